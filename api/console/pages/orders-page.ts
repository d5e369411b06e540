import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, count, desc, eq, exists, inArray, isNotNull, or } from 'drizzle-orm';
import { orderSyncs, refundSyncs, truncatedFields } from '../../../db/schema.js';
import { orderTriage } from '../../../domain/order-triage.js';
import { orderSyncRowView } from '../../order-sync-row-view.js';
import type { ConsoleDeps } from '../console-deps.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html, type SafeHtml } from '../html.js';
import { sendPage, statusBadge, timeText } from '../layout.js';
import { bookedChangeView, ledgerDocumentView, liveStatus, orderPath, orderStatusLook, temporalUiLink, triageView, type OrderView } from './order-views.js';
import { REFUND_NEEDS_A_PERSON, refundStatusLook } from './refund-views.js';
import { routeDirectory, type RouteEntry } from './route-directory.js';

const PAGE_SIZE = 200;
const STATES = Object.keys(orderStatusLook);

interface OrderFilter {
  state: string | null;
  integration: string | null;
  /** Only booked orders the shop changed or cancelled since ("Changes after booking"). */
  changed: boolean;
  /** Only orders with a refund (or a cancellation's reversal) waiting on a person or failed. */
  refundWaiting: boolean;
}

/**
 * Orders / sync log: every order (or one route's, at the API's own path /routes/:routeId/orders), filtered
 * by state and integration, each with what happened, the next step, its ledger document and its workflow.
 */
export const ordersPage: ConsolePagePlugin = (deps) => async (app) => {
  app.get(`${CONSOLE_PREFIX}/orders`, async (request, reply) => ordersList(deps, request, reply, null));
  app.get<{ Params: { routeId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders`, async (request, reply) => ordersList(deps, request, reply, request.params.routeId));
};

function filterOf(request: FastifyRequest): OrderFilter {
  const query = request.query as Record<string, unknown>;
  const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : null);
  const state = text('state');
  return { state: state && STATES.includes(state) ? state : null, integration: text('integration'), changed: text('changed') === '1', refundWaiting: text('refund') === 'waiting' };
}

async function ordersList(deps: ConsoleDeps, request: FastifyRequest, reply: FastifyReply, routeId: string | null): Promise<FastifyReply> {
  const filter = filterOf(request);
  const directory = await routeDirectory(deps.db, deps.platforms);
  if (routeId && !directory.routes.has(routeId)) {
    return sendPage(request, reply, { title: 'Route not found', nav: 'orders', body: html`<p>There is no sync route “${routeId}”. <a href="${CONSOLE_PREFIX}/orders">All orders</a></p>` }, 404);
  }
  const routesOfIntegration = filter.integration
    ? [...directory.routes.values()].filter((r) => r.sourceIntegrationId === filter.integration || r.targetIntegrationId === filter.integration).map((r) => r.id)
    : null;
  const rows =
    routesOfIntegration && routesOfIntegration.length === 0
      ? []
      : await deps.db
          .select()
          .from(orderSyncs)
          .where(
            and(
              routeId ? eq(orderSyncs.routeId, routeId) : undefined,
              routesOfIntegration ? inArray(orderSyncs.routeId, routesOfIntegration) : undefined,
              filter.state ? eq(orderSyncs.status, filter.state) : undefined,
              filter.changed ? isNotNull(orderSyncs.changedAfterBooking) : undefined,
              filter.refundWaiting ? exists(deps.db.select({ one: refundSyncs.refundId }).from(refundSyncs).where(and(eq(refundSyncs.routeId, orderSyncs.routeId), eq(refundSyncs.orderId, orderSyncs.orderId), inArray(refundSyncs.status, [...REFUND_NEEDS_A_PERSON])))) : undefined,
            ),
          )
          .orderBy(desc(orderSyncs.updatedAt), orderSyncs.orderId)
          .limit(PAGE_SIZE);
  const [shortened, refundsWaiting] = await Promise.all([truncatedCounts(deps, rows), waitingRefunds(deps, rows)]);
  const route = routeId ? directory.routes.get(routeId) : undefined;
  const action = routeId ? `${CONSOLE_PREFIX}/routes/${encodeURIComponent(routeId)}/orders` : `${CONSOLE_PREFIX}/orders`;
  const body = html`<form method="get" action="${action}" class="filters">
<div><label for="state">State</label><select id="state" name="state"><option value="">Any state</option>${STATES.map(
    (s) => html`<option value="${s}"${filter.state === s ? html` selected` : ''}>${orderStatusLook[s]!.label}</option>`,
  )}</select></div>
<div><label for="integration">Integration</label><select id="integration" name="integration"><option value="">Any integration</option>${directory.integrations.map(
    (i) => html`<option value="${i.id}"${filter.integration === i.id ? html` selected` : ''}>${i.displayName}</option>`,
  )}</select></div>
<div><label><input type="checkbox" name="changed" value="1"${filter.changed ? html` checked` : ''}> Only changes after booking</label></div>
<div><label><input type="checkbox" name="refund" value="waiting"${filter.refundWaiting ? html` checked` : ''}> Only refunds waiting or failed</label></div>
<button type="submit">Show</button>
</form>
${
  rows.length === 0
    ? html`<p>No orders match.</p>`
    : html`<table class="rows orders">
<caption class="visually-hidden">Orders and what to do about them</caption>
<thead><tr><th scope="col">Order</th>${routeId ? '' : html`<th scope="col">Route</th>`}<th scope="col">Status</th><th scope="col">What happened · next step</th><th scope="col">Ledger document</th><th scope="col">Updated</th><th scope="col">Workflow</th></tr></thead>
<tbody>${rows.map((row) => {
        const order = orderSyncRowView(row);
        const key = `${row.routeId}\n${row.orderId}`;
        return orderRow(deps, request, order, directory.routes.get(row.routeId), shortened.get(key) ?? 0, refundsWaiting.get(key) ?? null, !routeId);
      })}</tbody>
</table>${rows.length === PAGE_SIZE ? html`<p class="muted">The ${PAGE_SIZE} most recently changed orders are shown; filter to see others.</p>` : ''}`
}`;
  return sendPage(request, reply, {
    title: route ? `Orders: ${route.label}` : 'Orders',
    nav: 'orders',
    lead: 'Every order ledgerbridge has heard of, most recently changed first: what happened, and what to do.',
    body,
  });
}

function orderRow(
  deps: ConsoleDeps,
  request: FastifyRequest,
  order: OrderView,
  route: RouteEntry | undefined,
  truncatedCount: number,
  refundWaiting: string | null,
  showRoute: boolean,
): SafeHtml {
  const triage = orderTriage({ status: order.status, waitingOn: order.waitingOn, lastError: order.lastError, truncatedCount });
  return html`<tr data-order="${order.orderId}" data-route="${order.routeId}">
<th scope="row" data-label="Order"><a href="${orderPath(order.routeId, order.orderId)}">${order.orderName ?? order.orderId}</a>${refundWaiting ? html` <a class="refund-marker" href="${orderPath(order.routeId, order.orderId)}#refunds-h">${statusBadge(`Refund: ${refundStatusLook[refundWaiting]!.label}`, refundStatusLook[refundWaiting]!.tone)}</a>` : ''}</th>
${showRoute ? html`<td data-label="Route">${route?.label ?? order.routeId}</td>` : ''}
${liveStatus(order, 'td')}
<td data-label="What happened · next step">${triageView(request, order, triage, route)}${bookedChangeView(request, order)}</td>
<td data-label="Ledger document">${ledgerDocumentView(order, route)}</td>
<td data-label="Updated">${timeText(order.updatedAt)}</td>
<td data-label="Workflow">${temporalUiLink(deps, order) || html`<span class="muted">${order.workflowId}</span>`}</td>
</tr>`;
}

/** Shortened fields per listed order ("routeId\norderId" → count). */
async function truncatedCounts(deps: ConsoleDeps, rows: { routeId: string; orderId: string }[]): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map();
  const pairs = rows.map((row) => and(eq(truncatedFields.routeId, row.routeId), eq(truncatedFields.orderId, row.orderId))!);
  const counts = await deps.db
    .select({ routeId: truncatedFields.routeId, orderId: truncatedFields.orderId, n: count() })
    .from(truncatedFields)
    .where(or(...pairs))
    .groupBy(truncatedFields.routeId, truncatedFields.orderId);
  return new Map(counts.map((c) => [`${c.routeId}\n${c.orderId}`, c.n]));
}

/** Per listed order ("routeId\norderId"), the status of a refund of it waiting on a person (waiting before failed). */
async function waitingRefunds(deps: ConsoleDeps, rows: { routeId: string; orderId: string }[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const pairs = rows.map((row) => and(eq(refundSyncs.routeId, row.routeId), eq(refundSyncs.orderId, row.orderId))!);
  const found = await deps.db
    .select({ routeId: refundSyncs.routeId, orderId: refundSyncs.orderId, status: refundSyncs.status })
    .from(refundSyncs)
    .where(and(inArray(refundSyncs.status, [...REFUND_NEEDS_A_PERSON]), or(...pairs)));
  const byOrder = new Map<string, string>();
  for (const refund of found) {
    const key = `${refund.routeId}\n${refund.orderId}`;
    if (byOrder.get(key) !== 'waiting') byOrder.set(key, refund.status);
  }
  return byOrder;
}
