import type { FastifyRequest } from 'fastify';
import type { NextStep, OrderTriage } from '../../../domain/order-triage.js';
import type { LedgerDocumentKind } from '../../../platforms/platform.js';
import { orderSyncRunsUrl } from '../../../runtime/temporal-ui-links.js';
import type { orderSyncRowView } from '../../order-sync-row-view.js';
import type { ConsoleDeps } from '../console-deps.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, statusBadge } from '../layout.js';
import type { RouteEntry } from './route-directory.js';

export type OrderView = ReturnType<typeof orderSyncRowView>;
export type SkuSuggestion = { sku: string; candidates: { itemId: string; name: string; sku: string | null }[] };

/** How each order status reads and which colour it wears. */
export const orderStatusLook: Record<string, { label: string; tone: 'green' | 'grey' | 'red' | 'amber' | 'blue' }> = {
  pending: { label: 'Pending', tone: 'grey' },
  syncing: { label: 'Syncing', tone: 'blue' },
  synced: { label: 'Synced', tone: 'green' },
  failed: { label: 'Failed (retrying on its own)', tone: 'red' },
  waiting: { label: 'Waiting for you', tone: 'amber' },
  skipped: { label: 'Skipped', tone: 'grey' },
  halted: { label: 'Halted (the route stopped posting)', tone: 'red' },
};

/** How often an open page asks for an order's status again. */
export const ORDER_LIVE_EVERY_MS = 3000;

export const orderPath = (routeId: string, orderId: string) => `${CONSOLE_PREFIX}/routes/${encodeURIComponent(routeId)}/orders/${encodeURIComponent(orderId)}`;
export const mappingsPath = (routeId: string) => `${CONSOLE_PREFIX}/mappings?route=${encodeURIComponent(routeId)}`;

/** The id of a waiting SKU's or tax's row on the Mappings page (the order's "map it" link points there). */
export const mappingAnchor = (kind: 'sku' | 'tax', key: string) => `${kind}-${encodeURIComponent(key)}`;

export function orderStatusBadge(status: string): SafeHtml {
  const look = orderStatusLook[status] ?? { label: status, tone: 'grey' as const };
  return statusBadge(look.label, look.tone);
}

/** The live status cell: its badge, refreshed from the order's status fragment. */
export function liveStatus(order: Pick<OrderView, 'routeId' | 'orderId' | 'status'>, tag: 'td' | 'dd'): SafeHtml {
  const url = `${orderPath(order.routeId, order.orderId)}/status`;
  return tag === 'td'
    ? html`<td data-label="Status" class="order-status" data-refresh-url="${url}" data-refresh-every="${ORDER_LIVE_EVERY_MS}">${orderStatusBadge(order.status)}</td>`
    : html`<dd data-testid="order-status" class="order-status" data-refresh-url="${url}" data-refresh-every="${ORDER_LIVE_EVERY_MS}">${orderStatusBadge(order.status)}</dd>`;
}

/** What happened and what to do, with the action that does it (Reconnect, map it, Retry). */
export function triageView(request: FastifyRequest, order: OrderView, triage: OrderTriage, route: RouteEntry | undefined, suggestions: SkuSuggestion[] = []): SafeHtml {
  const retry = order.status === 'waiting' || order.status === 'failed' ? retryButton(request, order) : '';
  return html`<div class="triage" data-testid="triage">
<p class="diagnosis"><strong>What happened:</strong> ${triage.diagnosis}</p>
<p class="next-step"><strong>Next step:</strong> ${triage.nextStep}</p>
<div class="actions">${fixAction(triage.step, order.routeId, route, suggestions)}${retry}</div>
</div>`;
}

/** The link that does a triage's next step (Reconnect, Map SKU …, Map tax …, Open the route's halt); '' when there is none. */
export function fixAction(step: NextStep, routeId: string, route: RouteEntry | undefined, suggestions: SkuSuggestion[] = []): SafeHtml | '' {
  if (step.kind === 'reconnect') {
    const integrationId = step.integrationId ?? route?.targetIntegrationId;
    return integrationId ? html`<a class="button primary" href="${CONSOLE_PREFIX}/integrations/${encodeURIComponent(integrationId)}">Reconnect</a>` : '';
  }
  if (step.kind === 'map_sku') {
    const candidates = suggestions.find((s) => s.sku === step.sku)?.candidates ?? [];
    return html`<a class="button primary" href="${mappingsPath(routeId)}#${mappingAnchor('sku', step.sku)}">Map SKU ${step.sku}</a>${
      candidates.length ? html` <span class="suggestions">Probably: ${candidates.map((c, i) => html`${i ? ', ' : ''}<strong>${c.name}</strong>${c.sku ? ` (${c.sku})` : ''}`)}</span>` : ''
    }`;
  }
  if (step.kind === 'release_route') return html`<a class="button primary" href="${CONSOLE_PREFIX}/routes/${encodeURIComponent(routeId)}/audits">Open the route's halt</a>`;
  if (step.kind === 'map_tax') return html`<a class="button primary" href="${mappingsPath(routeId)}#${mappingAnchor('tax', step.taxKey)}">Map tax ${step.taxKey}</a>`;
  return '';
}

export function retryButton(request: FastifyRequest, order: Pick<OrderView, 'routeId' | 'orderId' | 'orderName'>): SafeHtml {
  return html`<form method="post" action="${orderPath(order.routeId, order.orderId)}/retry">${csrfField(request)}<button type="submit" aria-label="Retry order ${order.orderName ?? order.orderId}">Retry</button></form>`;
}

/** The ledger document: its number, and a link into the ledger where the platform has one. */
export function ledgerDocumentView(order: Pick<OrderView, 'ledgerDocument'>, route: RouteEntry | undefined, kind: LedgerDocumentKind = 'sale'): SafeHtml {
  const document = order.ledgerDocument;
  if (!document) return html`<span class="muted">none yet</span>`;
  const label = document.docNumber ?? document.id ?? '';
  const url = route?.documentUrl({ ...document, kind }) ?? null;
  return url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">${label} in ${route!.ledgerName}</a>` : html`${label}${route ? html` <span class="muted">in ${route.ledgerName}</span>` : ''}`;
}

/** The order's runs in Temporal UI (filtered by RouteId and OrderId); nothing when no Temporal UI is configured. */
export function temporalUiLink(deps: ConsoleDeps, order: Pick<OrderView, 'routeId' | 'orderId' | 'orderName'>): SafeHtml | '' {
  if (!deps.temporalUiUrl) return '';
  const url = orderSyncRunsUrl(deps.temporalUiUrl, deps.health.client.options.namespace, order.routeId, order.orderId);
  return html`<a class="temporal-link" href="${url}" rel="noopener noreferrer" target="_blank" aria-label="Workflow of order ${order.orderName ?? order.orderId} in Temporal UI">Workflow in Temporal UI</a>`;
}

/** A change the shop made after booking, and "Mark handled" once the ledger is adjusted. */
export function bookedChangeView(request: FastifyRequest, order: OrderView): SafeHtml | '' {
  const change = order.changedAfterBooking;
  if (!change) return '';
  return html`<div class="booked-change" data-testid="booked-change">
<p>${statusBadge(change.kind === 'cancelled' ? 'Cancelled after booking' : 'Changed after booking', 'amber')} ${change.message}</p>
<form method="post" action="${orderPath(order.routeId, order.orderId)}/change-handled">${csrfField(request)}<button type="submit" aria-label="Mark the change to order ${order.orderName ?? order.orderId} handled">Mark handled</button></form>
</div>`;
}
