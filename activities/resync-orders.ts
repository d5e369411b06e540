import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { orderSyncs } from '../db/schema.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import { gatedAgain, gateRouteOrder } from '../runtime/route-order-gate.js';
import type { ResyncEntityKind } from './resync-entity-kinds.js';

/** A row in one of these states has its sync running or parked: starting it again only joins it. */
const IN_PROGRESS = new Set(['pending', 'syncing', 'waiting', 'failed']);

/**
 * Orders, for a full re-sync: the store's "orders changed since" listing (the one reconciliation polling reads), and
 * per route the same order sync as a webhook would start (workflow id per route and order). A booked order is
 * counted and left alone; a new one passes the route's settings (start date, orders on) before its sync starts.
 */
export function ordersResyncKind(deps: { client: Client; taskQueue: string }): ResyncEntityKind {
  return {
    kind: 'orders',
    words: { many: 'orders', alreadyDone: 'already booked' },
    listPage(source, since, pageCursor) {
      if (!source.listOrdersUpdatedSince) return null;
      return source.listOrdersUpdatedSince(since, pageCursor).then((page) => ({
        items: page.orders.map((order) => ({ id: order.id, ...(order.createdAt ? { createdAt: order.createdAt } : {}) })),
        ...(page.nextPageCursor ? { nextPageCursor: page.nextPageCursor } : {}),
        ...(page.total !== undefined ? { total: page.total } : {}),
      }));
    },
    async handOver(context, route, item) {
      const [row] = await context.db
        .select({ status: orderSyncs.status, lastErrorCode: orderSyncs.lastErrorCode, orderName: orderSyncs.orderName, firstSeenAt: orderSyncs.firstSeenAt })
        .from(orderSyncs)
        .where(and(eq(orderSyncs.routeId, route.id), eq(orderSyncs.orderId, item.id)));
      if (row && !gatedAgain(row)) {
        const newThisWalk = row.firstSeenAt >= context.walkStartedAt;
        if (!IN_PROGRESS.has(row.status)) return newThisWalk ? 'started' : 'already_done';
        // Joined, never restarted: a running sync is reused by its workflow id; an ended one (terminated) runs again.
        await context.startPaced(() => startOrderSync(deps.client, context.db, deps.taskQueue, { routeId: route.id, orderId: item.id, orderName: row.orderName }));
        return newThisWalk ? 'started' : 'in_progress';
      }
      const verdict = await gateRouteOrder(context.db, route, { id: item.id, name: item.name ?? row?.orderName ?? null, createdAt: item.createdAt });
      if (verdict === 'orders_off') return 'kind_off';
      if (verdict === 'before_start_date') return 'before_start_date';
      await context.startPaced(() => startOrderSync(deps.client, context.db, deps.taskQueue, { routeId: route.id, orderId: item.id, orderName: item.name ?? null }));
      return 'started';
    },
  };
}
