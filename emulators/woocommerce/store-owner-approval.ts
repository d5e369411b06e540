/**
 * Plays the store owner on WooCommerce's grant page: opens the authorize URL, clicks Approve (or Deny), and
 * returns where WooCommerce sends the browser back (return_url?success=1&user_id=…). The keys themselves have
 * been POSTed to callback_url by then.
 */
export async function answerKeyGrant(authorizeUrl: string, choice: 'approve' | 'deny' = 'approve'): Promise<{ returnUrl: string; query: Record<string, string> }> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`Grant page ${authorizeUrl} answered ${page.status}: ${html.slice(0, 300)}`);
  const link = new RegExp(`class="wc-auth-${choice}" href="([^"]+)"`).exec(html)?.[1];
  if (!link) throw new Error(`Grant page ${authorizeUrl} has no ${choice} link`);
  const answer = await fetch(new URL(link.replace(/&#38;/g, '&'), authorizeUrl), { redirect: 'manual' });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`Grant ${choice} answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
  const returnUrl = new URL(location);
  return { returnUrl: returnUrl.toString(), query: Object.fromEntries(returnUrl.searchParams) };
}
