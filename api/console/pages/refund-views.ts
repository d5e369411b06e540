import type { FastifyRequest } from 'fastify';
import { orderTriage, type NextStep } from '../../../domain/order-triage.js';
import type { RefundSyncView } from '../../refund-sync-row-view.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, statusBadge, timeText } from '../layout.js';
import { fixAction, ledgerDocumentView, ORDER_LIVE_EVERY_MS, orderPath, orderStatusLook } from './order-views.js';
import type { RouteEntry } from './route-directory.js';
import { moneyText } from './money-text.js';

/** A refund's status in the order's own words; a refund also waits for its order's sale to be booked. */
export const refundStatusLook: Record<string, { label: string; tone: 'green' | 'grey' | 'red' | 'amber' | 'blue' }> = {
  ...orderStatusLook,
  waiting_for_sale: { label: 'Waiting for the order to be booked', tone: 'grey' },
};

/** Statuses of a refund a person should look at: the orders list marks its order. */
export const REFUND_NEEDS_A_PERSON: readonly string[] = ['waiting', 'failed'];

export function refundStatusBadge(status: string): SafeHtml {
  const look = refundStatusLook[status] ?? { label: status, tone: 'grey' as const };
  return statusBadge(look.label, look.tone);
}

/** "Refund 77" or "Cancellation": what the row is, as the shop knows it. */
const refundName = (refund: Pick<RefundSyncView, 'refundId'>) => (refund.refundId === 'cancellation' ? 'Cancellation' : `Refund ${refund.refundId}`);

/**
 * What to do about a refund. Its diagnosis is the message its row stores (the order triage's reading of its error);
 * a reconnect or a saved mapping resumes a parked refund as it does an order, so nothing needs pressing after it.
 */
function refundNextStep(refund: RefundSyncView, step: NextStep): string {
  if (refund.status === 'waiting_for_sale') return 'Nothing to do here: it books right after its order. If the order waits, fix that first.';
  if (refund.status === 'synced') return 'Nothing to do.';
  if (refund.status === 'skipped') return 'Nothing to do: nothing was written to the ledger for it.';
  switch (step.kind) {
    case 'reconnect':
      return 'Reconnect the integration; the refund books by itself once it is connected.';
    case 'map_sku':
      return `Map the SKU ${step.sku} to an item of your ledger; the refund books by itself once it is saved.`;
    case 'map_tax':
      return `Map the tax ${step.taxKey} to a tax code of your ledger; the refund books by itself once it is saved.`;
    case 'release_route':
      return "Fix what the route's halt names in the ledger, then release the route; the refund books by itself, once.";
    case 'nothing':
      return refund.lastError ? 'Nothing to do: ledgerbridge tries again by itself. Retry tries now.' : 'Nothing to do: it books by itself.';
    default:
      return 'Fix what the message says (in the ledger or the route settings), then press Retry.';
  }
}

function refundRetryButton(request: FastifyRequest, refund: RefundSyncView): SafeHtml {
  const label = refund.refundId === 'cancellation' ? 'the cancellation' : `refund ${refund.refundId}`;
  return html`<form method="post" action="${orderPath(refund.routeId, refund.orderId)}/refunds/${encodeURIComponent(refund.refundId)}/retry">${csrfField(request)}<button type="submit" aria-label="Retry ${label} of order ${refund.orderName ?? refund.orderId}">Retry</button></form>`;
}

function refundTriageView(request: FastifyRequest, refund: RefundSyncView, route: RouteEntry | undefined): SafeHtml {
  const triage = orderTriage({ status: refund.status, waitingOn: refund.waitingOn, lastError: refund.lastError, truncatedCount: 0 });
  const parked = REFUND_NEEDS_A_PERSON.includes(refund.status);
  const diagnosis = parked && refund.lastError ? refund.lastError.message : null;
  return html`<div class="triage">
${diagnosis ? html`<p class="diagnosis"><strong>What happened:</strong> ${diagnosis}</p>` : ''}
<p class="next-step"><strong>Next step:</strong> ${refundNextStep(refund, triage.step)}</p>
${parked ? html`<div class="actions">${fixAction(triage.step, refund.routeId, route)}${refundRetryButton(request, refund)}</div>` : ''}
</div>`;
}

/** The address of an order's refund rows as a fragment (the section refreshes from it while the page is open). */
export const refundRowsPath = (routeId: string, orderId: string) => `${orderPath(routeId, orderId)}/refunds`;

/** The order's refunds and its cancellation's reversal on this route: a section that keeps itself up to date. */
export function refundsSection(request: FastifyRequest, order: { routeId: string; orderId: string }, refunds: RefundSyncView[], route: RouteEntry | undefined): SafeHtml {
  return html`<section aria-labelledby="refunds-h" data-testid="refunds">
<h2 id="refunds-h">Refunds and cancellations</h2>
<div data-refresh-url="${refundRowsPath(order.routeId, order.orderId)}" data-refresh-every="${ORDER_LIVE_EVERY_MS}">${refundRows(request, refunds, route)}</div>
</section>`;
}

/** Each refund with its status, what to do, its refund document and when (the section's live content). */
export function refundRows(request: FastifyRequest, refunds: RefundSyncView[], route: RouteEntry | undefined): SafeHtml {
  if (refunds.length === 0) return html`<p class="muted">No refund or cancellation of this order has reached ledgerbridge.</p>`;
  return html`<table class="rows refunds">
<caption class="visually-hidden">Refunds and cancellations of this order and what to do about them</caption>
<thead><tr><th scope="col">Refund</th><th scope="col">Given back (shop currency)</th><th scope="col">Status</th><th scope="col">What happened · next step</th><th scope="col">Ledger document</th><th scope="col">When</th></tr></thead>
<tbody>${refunds.map(
    (refund) => html`<tr data-refund="${refund.refundId}">
<th scope="row" data-label="Refund">${refundName(refund)}</th>
<td data-label="Given back (shop currency)">${refund.refundTotal ? moneyText(refund.refundTotal, refund.refundCurrency) : html`<span class="muted">not read yet</span>`}</td>
<td data-label="Status">${refundStatusBadge(refund.status)}</td>
<td data-label="What happened · next step">${refundTriageView(request, refund, route)}</td>
<td data-label="Ledger document">${ledgerDocumentView({ ledgerDocument: refund.ledgerDocumentId || refund.ledgerDocNumber ? { id: refund.ledgerDocumentId, docNumber: refund.ledgerDocNumber } : null }, route, 'refund')}</td>
<td data-label="When">${refund.status === 'synced' ? html`booked ${timeText(refund.syncedAt)}` : html`updated ${timeText(refund.updatedAt)}`}</td>
</tr>`,
  )}</tbody>
</table>`;
}
