/** HTML building blocks shared by the notification emails. Every value goes through escapeHtml. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * Links in alert emails are only ever our app or the shop over http(s); anything else
 * (javascript:, relative paths) is a caller bug we surface instead of mailing a dead link.
 */
export function assertWebUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`${what} is not an absolute URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`${what} must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  return url;
}

export function linkHtml(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}" style="color:#1a56db">${escapeHtml(text)}</a>`;
}

export function buttonHtml(url: string, text: string): string {
  return (
    `<a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 18px;background:#1a56db;` +
    `color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${escapeHtml(text)}</a>`
  );
}

export function paragraphHtml(text: string): string {
  return `<p style="margin:0 0 14px">${escapeHtml(text)}</p>`;
}

/** A minimal, inline-styled document: mail clients ignore <style> blocks and external CSS. */
export function emailDocumentHtml(title: string, bodyHtml: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f5f6f8;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2937;font-size:15px;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">',
    bodyHtml,
    '</div></body></html>',
  ].join('\n');
}
