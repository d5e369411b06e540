import { assertWebUrl, buttonHtml, emailDocumentHtml, escapeHtml, linkHtml, paragraphHtml } from './email-markup.js';
import type { ComposedEmail, IncidentNotice } from './notices.js';
import { formatUtcMinute, oneLine } from './record-wording.js';

/**
 * The one email an incident sends: what broke, in plain words, and the two links that fix it.
 * Later failures of the same incident go into the digest, not here.
 */
export function composeIncidentEmail(notice: IncidentNotice): ComposedEmail {
  const reconnectUrl = assertWebUrl(notice.reconnectUrl, 'reconnectUrl');
  const recordUrl = notice.record ? assertWebUrl(notice.record.url, 'record.url') : null;
  const when = formatUtcMinute(notice.occurredAt);
  const name = notice.integrationName;
  const record = notice.record;

  const subject = oneLine(
    record
      ? `${notice.integrationStatus}: ${name} — ${record.label} did not sync`
      : `${notice.integrationStatus}: ${name}`,
  );
  const pausedLine = `${record ? `${record.label} and any new orders` : 'New orders'} will wait and sync automatically once ${name} is reconnected.`;
  const recordLine = record ? `${record.label} could not be synced to ${name}.` : null;

  const text = [
    `${name}: ${notice.integrationStatus}`,
    '',
    notice.message,
    '',
    ...(record && recordLine ? [recordLine, `Open ${record.label}: ${recordUrl}`, ''] : []),
    `Reconnect ${name}: ${reconnectUrl}`,
    '',
    pausedLine,
    '',
    `Happened at: ${when}`,
    ...(notice.detail ? ['', '--', 'Technical details (for your IT contact or our support):', notice.detail] : []),
    '',
  ].join('\n');

  const html = emailDocumentHtml(
    subject,
    [
      `<p style="margin:0 0 4px;color:#6b7280">${escapeHtml(name)}</p>`,
      `<h1 style="margin:0 0 16px;font-size:20px;color:#b42318">${escapeHtml(notice.integrationStatus)}</h1>`,
      paragraphHtml(notice.message),
      record && recordUrl && recordLine
        ? `<p style="margin:0 0 14px">${escapeHtml(recordLine)} ${linkHtml(recordUrl, `Open ${record.label}`)}</p>`
        : '',
      `<p style="margin:20px 0">${buttonHtml(reconnectUrl, `Reconnect ${name}`)}</p>`,
      `<p style="margin:0 0 14px;font-size:13px;color:#6b7280">Or open this link: ${linkHtml(reconnectUrl, reconnectUrl)}</p>`,
      paragraphHtml(pausedLine),
      `<p style="margin:0 0 14px;color:#6b7280">Happened at: ${escapeHtml(when)}</p>`,
      notice.detail
        ? '<hr style="border:none;border-top:1px solid #e5e7eb;margin:20px 0">' +
          '<p style="margin:0 0 6px;font-size:12px;color:#6b7280">Technical details (for your IT contact or our support):</p>' +
          `<pre style="margin:0;font-size:12px;color:#6b7280;white-space:pre-wrap;word-break:break-word">${escapeHtml(notice.detail)}</pre>`
        : '',
    ]
      .filter((part) => part !== '')
      .join('\n'),
  );

  return { subject, text, html };
}
