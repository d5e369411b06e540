import { and, eq } from 'drizzle-orm';
import { orderSyncs, syncRoutes, truncatedFields } from '../../../db/schema.js';
import { orderSyncRowView } from '../../order-sync-row-view.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { html } from '../html.js';
import { sendPage, statusBadge, timeText } from '../layout.js';
import { CONSOLE_PREFIX } from '../console-paths.js';

/** How each order status reads and which colour it wears. */
export const orderStatusLook: Record<string, { label: string; tone: 'green' | 'grey' | 'red' | 'amber' | 'blue' }> = {
  pending: { label: 'Pending', tone: 'grey' },
  syncing: { label: 'Syncing', tone: 'blue' },
  synced: { label: 'Synced', tone: 'green' },
  failed: { label: 'Failed (retrying on its own)', tone: 'red' },
  waiting: { label: 'Waiting for you', tone: 'amber' },
  skipped: { label: 'Skipped', tone: 'grey' },
};

/**
 * One order on one route: the page the "Open Order #1002" link of an alert email lands on
 * (/routes/:routeId/orders/:orderId → /console/routes/:routeId/orders/:orderId). The Orders page extends it.
 */
export const orderPage: ConsolePagePlugin = (deps) => async (app) => {
  app.get<{ Params: { routeId: string; orderId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/orders/:orderId`, async (request, reply) => {
    const { routeId, orderId } = request.params;
    const [route] = await deps.db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.id, routeId));
    const [row] = route ? await deps.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId))) : [];
    if (!row) {
      return sendPage(request, reply, { title: 'Order not found', nav: 'orders', body: html`<p>Order ${orderId} has never been synced on route “${routeId}”.</p>` }, 404);
    }
    const order = orderSyncRowView(row);
    const look = orderStatusLook[order.status] ?? { label: order.status, tone: 'grey' as const };
    const truncated = await deps.db.select().from(truncatedFields).where(and(eq(truncatedFields.routeId, routeId), eq(truncatedFields.orderId, orderId)));
    const body = html`<dl class="facts">
  <dt>Status</dt><dd data-testid="order-status">${statusBadge(look.label, look.tone)}</dd>
  <dt>Route</dt><dd>${routeId}</dd>
  ${order.waitingFor ? html`<dt>Waiting for</dt><dd>${order.waitingFor}${order.waitingOn ? html` — ${order.waitingOn}` : ''}</dd>` : ''}
  ${order.lastError ? html`<dt>What happened</dt><dd>${order.lastError.message}</dd>` : ''}
  ${order.customerNotice ? html`<dt>Customer</dt><dd>${order.customerNotice}</dd>` : ''}
  <dt>Ledger document</dt><dd>${order.ledgerDocument ? (order.ledgerDocument.docNumber ?? order.ledgerDocument.id) : 'none yet'}</dd>
  <dt>Attempts</dt><dd>${order.attempts}</dd>
  <dt>First seen</dt><dd>${timeText(order.firstSeenAt)}</dd>
  <dt>Synced</dt><dd>${timeText(order.syncedAt, 'not yet')}</dd>
</dl>
${truncated.length > 0 ? html`<h2>Shortened for the ledger</h2><ul>${truncated.map((t) => html`<li><strong>${t.field}</strong> (limit ${t.limit}): ${t.fullText}</li>`)}</ul>` : ''}`;
    return sendPage(request, reply, { title: `Order ${order.orderName ?? order.orderId}`, nav: 'orders', body });
  });
};
