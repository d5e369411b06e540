import { assertWebUrl, buttonHtml, emailDocumentHtml, escapeHtml, paragraphHtml } from './email-markup.js';
import type { ComposedEmail } from './notices.js';
import { oneLine } from './record-wording.js';

export interface BookedOrderChangeNotice {
  /** "QuickBooks Online #1": the ledger the order was booked in. */
  ledgerName: string;
  /** "Order #5001". */
  orderLabel: string;
  /** Our page of the order (its row, the change, the ledger document). */
  orderUrl: string;
  kind: 'cancelled' | 'total_changed';
  /** What changed and what to do in the ledger, as stored on the order's row. */
  message: string;
}

/** One email per change the shop made to a booked order: the ledger needs a person, and says so once. */
export function composeBookedOrderChangeEmail(notice: BookedOrderChangeNotice): ComposedEmail {
  const orderUrl = assertWebUrl(notice.orderUrl, 'orderUrl');
  const what = notice.kind === 'cancelled' ? 'was cancelled' : 'changed';
  const subject = oneLine(`${notice.orderLabel} ${what} after it was booked in ${notice.ledgerName}`);
  const done = 'Once the ledger is adjusted, mark the change as handled in ledgerbridge.';
  const text = [`${notice.ledgerName}: a booked order ${what}`, '', notice.message, '', `Open ${notice.orderLabel}: ${orderUrl}`, '', done, ''].join('\n');
  const html = emailDocumentHtml(
    subject,
    [
      `<p style="margin:0 0 4px;color:#6b7280">${escapeHtml(notice.ledgerName)}</p>`,
      `<h1 style="margin:0 0 16px;font-size:20px;color:#b54708">${escapeHtml(`${notice.orderLabel} ${what} after it was booked`)}</h1>`,
      paragraphHtml(notice.message),
      `<p style="margin:20px 0">${buttonHtml(orderUrl, `Open ${notice.orderLabel}`)}</p>`,
      paragraphHtml(done),
    ].join('\n'),
  );
  return { subject, text, html };
}
