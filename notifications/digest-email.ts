import { assertWebUrl, buttonHtml, emailDocumentHtml, escapeHtml, linkHtml, paragraphHtml } from './email-markup.js';
import type { ComposedEmail, DigestNotice } from './notices.js';
import { countRecords, isOrAre, oneLine } from './record-wording.js';

/**
 * One summary of the records that failed after the incident email, so a broken connection
 * during a sale does not send an email per order: "and 37 more orders are waiting".
 */
export function composeDigestEmail(notice: DigestNotice): ComposedEmail {
  const kind = notice.recordKind ?? 'order';
  const reconnectUrl = assertWebUrl(notice.reconnectUrl, 'reconnectUrl');
  const listed = notice.records.map((record) => ({ label: record.label, url: assertWebUrl(record.url, 'record url') }));
  // A caller that lists more than it counts is still telling us those records wait.
  const total = Math.max(notice.totalWaiting, listed.length);
  const unlisted = total - listed.length;
  const name = notice.integrationName;

  const subject = oneLine(`${name}: ${countRecords(total, kind)} waiting to sync`);
  const intro = `Since our last email, ${countRecords(total, kind)} could not sync to ${name}. ${total === 1 ? 'It is' : 'They are'} waiting and will sync automatically once you reconnect.`;
  const remainder = unlisted > 0 ? `and ${unlisted} more ${unlisted === 1 ? kind : `${kind}s`} ${isOrAre(unlisted)} waiting` : null;

  const text = [
    `${name}: still disconnected`,
    '',
    intro,
    '',
    ...listed.map((record) => `- ${record.label}: ${record.url}`),
    ...(remainder ? [`${remainder}.`] : []),
    '',
    `Reconnect ${name}: ${reconnectUrl}`,
    '',
  ].join('\n');

  const html = emailDocumentHtml(
    subject,
    [
      `<p style="margin:0 0 4px;color:#6b7280">${escapeHtml(name)}</p>`,
      `<h1 style="margin:0 0 16px;font-size:20px;color:#b42318">${escapeHtml(`${countRecords(total, kind)} waiting to sync`)}</h1>`,
      paragraphHtml(intro),
      listed.length > 0
        ? `<ul style="margin:0 0 14px;padding-left:20px">${listed.map((record) => `<li>${linkHtml(record.url, record.label)}</li>`).join('')}</ul>`
        : '',
      remainder ? paragraphHtml(`${remainder}.`) : '',
      `<p style="margin:20px 0">${buttonHtml(reconnectUrl, `Reconnect ${name}`)}</p>`,
      `<p style="margin:0;font-size:13px;color:#6b7280">Or open this link: ${linkHtml(reconnectUrl, reconnectUrl)}</p>`,
    ]
      .filter((part) => part !== '')
      .join('\n'),
  );

  return { subject, text, html };
}
