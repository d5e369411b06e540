import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { orderSyncs, refundSyncs, syncRoutes, truncatedFields } from '../../../db/schema.js';
import { orderTriage } from '../../../domain/order-triage.js';
import { ApiError } from '../../api-error.js';
import { markChangeHandled, resumeParkedOrder } from '../../order-actions.js';
import { orderSyncRowView } from '../../order-sync-row-view.js';
import { orderSyncWorkflowView } from '../../order-sync-workflow-view.js';
import { retryParkedRefund } from '../../refund-actions.js';
import { refundSyncRowView } from '../../refund-sync-row-view.js';
import type { ConsoleDeps } from '../console-deps.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { html } from '../html.js';
import { sendHtml, sendPage, timeText, wantsFragment, type ConsolePage } from '../layout.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { bookedChangeView, ledgerDocumentView, liveStatus, orderPath, orderStatusBadge, temporalUiLink, triageView } from './order-views.js';
import { refundRows, refundsSection } from './refund-views.js';
import { routeDirectory } from './route-directory.js';

export { orderStatusLook } from './order-views.js';

type OrderRequest = FastifyRequest<{ Params: { routeId: string; orderId: string } }>;

/** Notices after an action, by a fixed key (the query never carries text the page shows). */
const notices: Record<string, string> = {
  retried: 'Retrying: the order repeats the step it stopped at.',
  handled: 'Marked handled: the change no longer shows as outstanding.',
  'refund-retried': 'Retrying: the refund repeats the step it stopped at.',
};

/**
 * One order on one route: the page the "Open Order #1002" link of an alert email lands on
 * (/routes/:routeId/orders/:orderId → /console/routes/:routeId/orders/:orderId): what happened, the next
 * step, the ledger document, its refunds and cancellation (each with its refund document and Retry), its
 * workflow's runs, and the actions (Retry, Mark handled).
 */
export const orderPage: ConsolePagePlugin = (deps) => async (app) => {
  const findRow = async (routeId: string, orderId: string) => {
    const [route] = await deps.db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.id, routeId));
    return route ? (await deps.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId))))[0] : undefined;
  };
  const notFoundPage = (request: FastifyRequest, reply: FastifyReply, routeId: string, orderId: string) =>
    sendPage(request, reply, { title: 'Order not found', nav: 'orders', body: html`<p>Order ${orderId} has never been synced on route “${routeId}”. <a href="${CONSOLE_PREFIX}/orders">All orders</a></p>` }, 404);

  app.get<{ Params: { routeId: string; orderId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId`, async (request, reply) => {
    const { routeId, orderId } = request.params;
    const row = await findRow(routeId, orderId);
    if (!row) return notFoundPage(request, reply, routeId, orderId);
    return sendPage(request, reply, await orderDetail(deps, request, row, noticeOf(request)));
  });

  // The status badge alone, for the live refresh of a row or of this page.
  app.get<{ Params: { routeId: string; orderId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId/status`, async (request, reply) => {
    const row = await findRow(request.params.routeId, request.params.orderId);
    if (!row) return reply.code(404).type('text/plain').send('This order is no longer recorded.');
    return sendHtml(reply, orderStatusBadge(row.status));
  });

  // The refund rows alone, for the live refresh of the order's "Refunds and cancellations"; a browser sent here from the
  // API's GET …/refunds (browser-redirect.ts) gets the order's page at that section.
  app.get<{ Params: { routeId: string; orderId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId/refunds`, async (request, reply) => {
    const { routeId, orderId } = request.params;
    if (!wantsFragment(request)) return reply.redirect(`${orderPath(routeId, orderId)}#refunds-h`, 303);
    const row = await findRow(routeId, orderId);
    if (!row) return reply.code(404).type('text/plain').send('This order is no longer recorded.');
    const [refunds, directory] = await Promise.all([refundsOfOrder(deps, routeId, orderId), routeDirectory(deps.db, deps.platforms)]);
    return sendHtml(reply, refundRows(request, refunds, directory.routes.get(routeId)));
  });

  const action = async (request: OrderRequest, reply: FastifyReply, run: () => Promise<unknown>, done: string) => {
    const { routeId, orderId } = request.params;
    try {
      await run();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const row = await findRow(routeId, orderId);
      if (!row) return notFoundPage(request, reply, routeId, orderId);
      return sendPage(request, reply, await orderDetail(deps, request, row, { kind: 'error', text: error.message }), error.statusCode);
    }
    return reply.redirect(`${orderPath(routeId, orderId)}?done=${done}`, 303);
  };
  app.post<{ Params: { routeId: string; orderId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId/retry`, (request, reply) =>
    action(request, reply, () => resumeParkedOrder(deps.health.client, deps.db, request.params.routeId, request.params.orderId, 'retry'), 'retried'),
  );
  app.post<{ Params: { routeId: string; orderId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId/change-handled`, (request, reply) =>
    action(request, reply, () => markChangeHandled(deps.db, request.params.routeId, request.params.orderId), 'handled'),
  );
  app.post<{ Params: { routeId: string; orderId: string; refundId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId/refunds/:refundId/retry`, (request, reply) =>
    action(request, reply, () => retryParkedRefund(deps.health.client, deps.db, request.params.routeId, request.params.orderId, request.params.refundId), 'refund-retried'),
  );
};

function noticeOf(request: FastifyRequest): ConsolePage['notice'] {
  const key = (request.query as Record<string, unknown>).done;
  return typeof key === 'string' && notices[key] ? { kind: 'ok', text: notices[key] } : null;
}

async function orderDetail(deps: ConsoleDeps, request: FastifyRequest, row: typeof orderSyncs.$inferSelect, notice: ConsolePage['notice']): Promise<ConsolePage> {
  const order = orderSyncRowView(row);
  const [truncated, refunds, directory, workflow, runs] = await Promise.all([
    deps.db.select().from(truncatedFields).where(and(eq(truncatedFields.routeId, row.routeId), eq(truncatedFields.orderId, row.orderId))).orderBy(truncatedFields.field),
    refundsOfOrder(deps, row.routeId, row.orderId),
    routeDirectory(deps.db, deps.platforms),
    // The running workflow's own view carries the SKU suggestions; the page still answers without a worker.
    orderSyncWorkflowView(deps.health.client, row.workflowId).catch(() => null),
    workflowRuns(deps, row.workflowId),
  ]);
  const route = directory.routes.get(row.routeId);
  const triage = orderTriage({ status: order.status, waitingOn: order.waitingOn, lastError: order.lastError, truncatedCount: truncated.length });
  const suggestions = workflow?.live?.lastError?.suggestions ?? [];
  const body = html`<dl class="facts">
  <dt>Status</dt>${liveStatus(order, 'dd')}
  <dt>Route</dt><dd>${route?.label ?? row.routeId}</dd>
  <dt>Ledger document</dt><dd data-testid="ledger-document">${ledgerDocumentView(order, route)}</dd>
  ${order.customerNotice ? html`<dt>Customer</dt><dd>${order.customerNotice}</dd>` : ''}
  <dt>Attempts</dt><dd>${order.attempts}</dd>
  <dt>First seen</dt><dd>${timeText(order.firstSeenAt)}</dd>
  <dt>Last change</dt><dd>${timeText(order.updatedAt)}</dd>
  <dt>Synced</dt><dd>${timeText(order.syncedAt, 'not yet')}</dd>
</dl>
${triageView(request, order, triage, route, suggestions)}
${bookedChangeView(request, order)}
${refundsSection(request, row, refunds, route)}
${truncated.length > 0 ? html`<h2>Shortened for the ledger</h2><ul class="truncated">${truncated.map((t) => html`<li><strong>${t.field}</strong> (the ledger takes ${t.limit} characters), full text: ${t.fullText}</li>`)}</ul>` : ''}
<section aria-labelledby="history-h">
<h2 id="history-h">History</h2>
${runs.length === 0 ? html`<p class="muted">No run of this order's sync is listed yet.</p>` : html`<ol class="history">${runs.map((run) => html`<li>${timeText(run.startTime)}: sync ${run.status.toLowerCase()}${run.closeTime ? html`, ended ${timeText(run.closeTime)}` : ''}</li>`)}</ol>`}
<p>${temporalUiLink(deps, order)}</p>
</section>
<p><a href="${CONSOLE_PREFIX}/routes/${encodeURIComponent(row.routeId)}/orders">All orders of this route</a></p>`;
  return { title: `Order ${order.orderName ?? order.orderId}`, nav: 'orders', lead: route?.label, body, notice };
}

/** The order's refunds and cancellation on its route, oldest first (as the API's GET …/orders/:orderId/refunds lists them). */
async function refundsOfOrder(deps: ConsoleDeps, routeId: string, orderId: string) {
  const rows = await deps.db.select().from(refundSyncs).where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId))).orderBy(refundSyncs.firstSeenAt, refundSyncs.refundId);
  return rows.map(refundSyncRowView);
}

/** The order's workflow runs, newest first, as Temporal's visibility lists them (a retry by hand, a continue-as-new). */
async function workflowRuns(deps: ConsoleDeps, workflowId: string): Promise<{ startTime: Date; closeTime: Date | undefined; status: string }[]> {
  const runs: { startTime: Date; closeTime: Date | undefined; status: string }[] = [];
  try {
    for await (const execution of deps.health.client.workflow.list({ query: `WorkflowId = "${workflowId.replace(/[\\"]/g, '')}"`, pageSize: 20 })) {
      runs.push({ startTime: execution.startTime, closeTime: execution.closeTime, status: execution.status.name });
      if (runs.length >= 20) break;
    }
  } catch {
    return runs; // Temporal unreachable: the page still shows the order's row.
  }
  return runs.sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
}
