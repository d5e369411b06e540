import { escapeHtml } from '../notifications/email-markup.js';

/**
 * The few HTML pages a browser sees around connecting: plain, escaped, and never carrying an authorization
 * code, a token or a platform's answer (only our own sentences).
 */
export function messagePage(title: string, message: string, link?: { href: string; label: string }): string {
  const next = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return document(title, `<p>${escapeHtml(message)}</p>${next}`);
}

/** A page with one button that POSTs `fields` to `action`: a link scanner that GETs the page spends nothing. */
export function formPage(title: string, message: string, action: string, fields: Record<string, string>, button: string): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return document(
    title,
    `<p>${escapeHtml(message)}</p><form method="post" action="${escapeHtml(action)}">${inputs}<button type="submit">${escapeHtml(button)}</button></form>`,
  );
}

/** A page with one button per option, each POSTing `fields` plus its own `index` to `action` (the operator picks one). */
export function choicePage(title: string, message: string, action: string, fields: Record<string, string>, options: readonly string[]): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const forms = options
    .map(
      (label, index) =>
        `<li><form method="post" action="${escapeHtml(action)}">${inputs}<input type="hidden" name="index" value="${index}"><button type="submit">${escapeHtml(label)}</button></form></li>`,
    )
    .join('');
  return document(title, `<p>${escapeHtml(message)}</p><ul>${forms}</ul>`);
}

/** A whole page around `body`, which the caller has built from escaped text. */
export function htmlDocument(title: string, body: string): string {
  return document(title, body);
}

function document(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
