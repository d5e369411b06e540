import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { orderSyncs, syncRoutes } from '../db/schema.js';
import { BEFORE_START_DATE_CODE, beforeStartDateMessage, placedBeforeStart } from '../domain/route-sync-settings.js';
import { orderSyncWorkflowId } from './order-sync-starter.js';

/** What a route's sync settings say about an order it has not booked yet. */
export type RouteOrderVerdict = 'sync' | 'before_start_date' | 'orders_off';

export type RouteSettingsRow = Pick<typeof syncRoutes.$inferSelect, 'id' | 'syncEntities' | 'ordersFrom'>;

/**
 * Checked before an order's first sync starts (the intake, a full re-sync), so the order sync workflow never needs to
 * know the settings: an order placed before the route's start date gets a Skipped row saying so (not parked, not
 * failed), and a route with orders switched off starts nothing. Orders already known to the route are not gated.
 */
export async function gateRouteOrder(db: Database, route: RouteSettingsRow, order: { id: string; name: string | null; createdAt: string | null | undefined }): Promise<RouteOrderVerdict> {
  if (route.syncEntities.orders === false) return 'orders_off';
  if (!placedBeforeStart(route.ordersFrom, order.createdAt)) return 'sync';
  const message = beforeStartDateMessage(order.name ?? order.id, order.createdAt!, route.ordersFrom!);
  const skipped = { status: 'skipped', lastErrorCode: BEFORE_START_DATE_CODE, lastErrorMessage: message, updatedAt: new Date() };
  await db
    .insert(orderSyncs)
    .values({ routeId: route.id, orderId: order.id, orderName: order.name, workflowId: orderSyncWorkflowId(route.id, order.id), ...skipped })
    .onConflictDoUpdate({ target: [orderSyncs.routeId, orderSyncs.orderId], set: skipped });
  return 'before_start_date';
}

/** A row skipped by the start date is gated again (the date may have moved); any other row is the sync's own. */
export function gatedAgain(row: { status: string; lastErrorCode: string | null } | undefined): boolean {
  return !row || (row.status === 'skipped' && row.lastErrorCode === BEFORE_START_DATE_CODE);
}

/** Loads route settings once per id for a batch of work (the intake drainer, a re-sync page). */
export function routeSettingsLoader(db: Database): (routeId: string) => Promise<RouteSettingsRow | undefined> {
  const cache = new Map<string, Promise<RouteSettingsRow | undefined>>();
  return (routeId) => {
    let found = cache.get(routeId);
    if (!found) {
      found = db
        .select({ id: syncRoutes.id, syncEntities: syncRoutes.syncEntities, ordersFrom: syncRoutes.ordersFrom })
        .from(syncRoutes)
        .where(eq(syncRoutes.id, routeId))
        .then((rows) => rows[0]);
      cache.set(routeId, found);
    }
    return found;
  };
}
