import { assertWebUrl, emailDocumentHtml, escapeHtml, linkHtml, paragraphHtml } from './email-markup.js';
import type { AllClearNotice, ComposedEmail } from './notices.js';
import { countRecords, oneLine } from './record-wording.js';

/** The short email that closes an incident: connected again, and what resumed. */
export function composeAllClearEmail(notice: AllClearNotice): ComposedEmail {
  const kind = notice.recordKind ?? 'order';
  const integrationUrl = assertWebUrl(notice.integrationUrl, 'integrationUrl');
  const name = notice.integrationName;

  const subject = oneLine(`${name} is connected again`);
  const resumedLine =
    notice.resumedCount > 0
      ? `${countRecords(notice.resumedCount, kind)} that ${notice.resumedCount === 1 ? 'was' : 'were'} waiting ${notice.resumedCount === 1 ? 'has' : 'have'} resumed syncing.`
      : `No ${kind}s were waiting.`;
  const statusLine = `${name} is Connected again. No action is needed.`;

  const text = [`${name}: Connected`, '', statusLine, resumedLine, '', `View ${name}: ${integrationUrl}`, ''].join('\n');

  const html = emailDocumentHtml(
    subject,
    [
      `<p style="margin:0 0 4px;color:#6b7280">${escapeHtml(name)}</p>`,
      '<h1 style="margin:0 0 16px;font-size:20px;color:#067647">Connected</h1>',
      paragraphHtml(statusLine),
      paragraphHtml(resumedLine),
      `<p style="margin:0">${linkHtml(integrationUrl, `View ${name}`)}</p>`,
    ].join('\n'),
  );

  return { subject, text, html };
}
