/**
 * Plays the person on a platform's consent page: opens the authorize URL, lets the emulator approve,
 * and returns the query our OAuth callback receives. `toBrowserUrl` maps hosts a browser could not
 * reach (e.g. `https://demo.myshopify.com`) to the emulator.
 */
export async function approveConsent(
  authorizeUrl: string,
  toBrowserUrl: (url: string) => string = (url) => url,
): Promise<{ callbackUrl: string; query: Record<string, string> }> {
  let url = toBrowserUrl(authorizeUrl);
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new Error(`Consent page ${url} answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
    }
    const next = new URL(location, url);
    if (next.searchParams.has('code') || next.searchParams.has('error')) {
      return { callbackUrl: next.toString(), query: Object.fromEntries(next.searchParams) };
    }
    url = toBrowserUrl(next.toString());
  }
  throw new Error(`Consent for ${authorizeUrl} did not reach a callback within 5 redirects`);
}
