import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { ASSETS_PATH, CONSOLE_PREFIX, SIGN_OUT_PATH } from './console-paths.js';
import { consoleSessionOf } from './console-session-hook.js';
import { ASSET_VERSION } from './console-assets.js';

/** The console's main sections, in nav order. A page names the one it belongs to. */
export const NAV = [
  { id: 'integrations', label: 'Integrations', path: `${CONSOLE_PREFIX}/integrations` },
  { id: 'orders', label: 'Orders', path: `${CONSOLE_PREFIX}/orders` },
  { id: 'mappings', label: 'Mappings', path: `${CONSOLE_PREFIX}/mappings` },
  { id: 'replay', label: 'Replay', path: `${CONSOLE_PREFIX}/replay` },
  { id: 'payouts', label: 'Payouts', path: `${CONSOLE_PREFIX}/payouts` },
] as const;
export type NavSection = (typeof NAV)[number]['id'];

export interface ConsolePage {
  /** The page's <title> and <h1>. */
  title: string;
  /** Which nav item is marked current; none for pages outside the sections (sign-in). */
  nav?: NavSection;
  body: SafeHtml;
  /** A line under the title (what this page is for). */
  lead?: HtmlValue;
  /** A notice at the top, e.g. after an action ("Pausing: …"), announced to screen readers. */
  notice?: { kind: 'ok' | 'error'; text: string } | null;
}

/** The whole document: skip link, header with the nav and sign-out, the page. Usable from 320 px wide up. */
export function renderDocument(page: ConsolePage, signedIn: { email: string; csrfToken: string } | null): SafeHtml {
  const nav = signedIn
    ? html`<nav aria-label="Sections"><ul>${NAV.map(
        (item) => html`<li><a href="${item.path}"${item.id === page.nav ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
      )}</ul></nav>
      <form class="sign-out" method="post" action="${SIGN_OUT_PATH}">${csrfInput(signedIn.csrfToken)}<span class="who">${signedIn.email}</span> <button type="submit" class="link">Sign out</button></form>`
    : '';
  const notice = page.notice
    ? html`<p class="notice notice-${page.notice.kind}" role="${page.notice.kind === 'error' ? 'alert' : 'status'}">${page.notice.text}</p>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="data:,">
<title>${page.title} · ledgerbridge</title>
<link rel="stylesheet" href="${ASSETS_PATH}/console.css?v=${ASSET_VERSION}">
<script src="${ASSETS_PATH}/console.js?v=${ASSET_VERSION}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="${CONSOLE_PREFIX}/integrations">ledgerbridge</a>${nav}</header>
<main id="main" tabindex="-1">
<h1>${page.title}</h1>
${page.lead ? html`<p class="lead">${page.lead}</p>` : ''}
${notice}
${page.body}
</main>
</body>
</html>`;
}

/** The hidden field every form of a signed-in page carries; the console refuses a POST without it. */
export function csrfInput(csrfToken: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}">`;
}

/** The CSRF field for this request's session (inside a signed-in page). */
export function csrfField(request: FastifyRequest): SafeHtml {
  return csrfInput(consoleSessionOf(request).csrfToken);
}

/** Sends a full console page for a signed-in request. */
export function sendPage(request: FastifyRequest, reply: FastifyReply, page: ConsolePage, status = 200): FastifyReply {
  const session = consoleSessionOf(request);
  return sendHtml(reply, renderDocument(page, session), status);
}

/** Sends markup (a whole document, or a fragment a script asked for), never cached: pages show live state and a session's token. */
export function sendHtml(reply: FastifyReply, markup: SafeHtml, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .type('text/html; charset=utf-8')
    .send(markup.markup);
}

/** True when the console's script asked for a fragment (live status, an in-place action) rather than a whole page. */
export function wantsFragment(request: FastifyRequest): boolean {
  return request.headers['x-console-fragment'] === '1';
}

/** A status in words and colour (colour is never the only signal). `tone` picks the colour: green, grey, red, amber, blue. */
export function statusBadge(label: string, tone: 'green' | 'grey' | 'red' | 'amber' | 'blue'): SafeHtml {
  return html`<span class="badge badge-${tone}"><span class="dot" aria-hidden="true"></span>${label}</span>`;
}

/** A time as people read it in the console, in UTC (the emails say UTC too); machine-readable in `datetime`. */
export function timeText(iso: string | Date | null | undefined, empty = 'never'): SafeHtml {
  if (!iso) return html`${empty}`;
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const text = `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}
