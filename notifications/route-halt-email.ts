import { assertWebUrl, buttonHtml, emailDocumentHtml, escapeHtml, paragraphHtml } from './email-markup.js';
import type { ComposedEmail } from './notices.js';
import { oneLine } from './record-wording.js';

export interface RouteHaltNotice {
  /** "Shopify #1 → QuickBooks Online #1". */
  routeLabel: string;
  /** Short cause for the subject: "a duplicate document in QuickBooks Online #1". */
  cause: string;
  /** Why the route stopped, as stored with the halt. */
  message: string;
  /** What to check, one sentence each. */
  checks: string[];
  /** Our page of the route's orders (the halted ones among them). */
  routeUrl: string;
}

/** The one email a hard stop sends: posting stopped, why, what to check, and that only a release resumes it. */
export function composeRouteHaltEmail(notice: RouteHaltNotice): ComposedEmail {
  const routeUrl = assertWebUrl(notice.routeUrl, 'routeUrl');
  const subject = oneLine(`Posting stopped on ${notice.routeLabel}: ${notice.cause}`);
  const release = 'Nothing more is posted on this route until an operator releases it (the Release button on the route, or POST /routes/<route>/release). Orders that arrive meanwhile wait as "halted" and are booked once, after the release.';
  const text = [
    `${notice.routeLabel}: posting stopped`,
    '',
    notice.message,
    '',
    'What to check:',
    ...notice.checks.map((check) => `- ${check}`),
    '',
    release,
    '',
    `Open the route: ${routeUrl}`,
    '',
  ].join('\n');
  const html = emailDocumentHtml(
    subject,
    [
      `<p style="margin:0 0 4px;color:#6b7280">${escapeHtml(notice.routeLabel)}</p>`,
      `<h1 style="margin:0 0 16px;font-size:20px;color:#b42318">${escapeHtml('Posting stopped')}</h1>`,
      paragraphHtml(notice.message),
      `<p style="margin:16px 0 4px"><strong>What to check</strong></p>`,
      `<ul style="margin:0 0 16px">${notice.checks.map((check) => `<li>${escapeHtml(check)}</li>`).join('')}</ul>`,
      paragraphHtml(release),
      `<p style="margin:20px 0">${buttonHtml(routeUrl, 'Open the route')}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}
