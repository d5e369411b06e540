import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { bookedOrderChange, bookedOrderChangeMessage, type BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import type { Database } from '../db/database.js';
import { integrations, orderSyncs, syncRoutes } from '../db/schema.js';
import type { ShopifyOrderReference } from './shopify-order-reference.js';

type OrderSyncRow = typeof orderSyncs.$inferSelect;

/**
 * A shop update of an order that is already booked: ledgerbridge does not rewrite the ledger, so a
 * change of total or a cancellation is recorded on the order's row (and listed by the API) for a
 * bookkeeper to act on, instead of being acknowledged and forgotten. Updates older than one already
 * judged (Shopify delivers late and out of order) change nothing.
 */
export async function judgeUpdateOfBookedOrder(
  db: Database,
  row: OrderSyncRow,
  update: ShopifyOrderReference,
  log: FastifyBaseLogger,
): Promise<BookedOrderChangeRecord | null> {
  const updatedAt = update.updatedAt && Number.isFinite(Date.parse(update.updatedAt)) ? new Date(update.updatedAt) : null;
  if (updatedAt && row.shopUpdatedAt && updatedAt <= row.shopUpdatedAt) return row.changedAfterBooking ?? null;

  const change = bookedOrderChange(row.bookedOrderTotal, { currentTotal: update.currentTotal, cancelledAt: update.cancelledAt });
  const record: BookedOrderChangeRecord | null = change
    ? {
        ...change,
        message: bookedOrderChangeMessage(change, {
          orderName: row.orderName ?? update.orderName ?? `with id ${row.orderId}`,
          ledgerName: await ledgerNameOf(db, row.routeId),
          docNumber: row.ledgerDocNumber,
        }),
        shopUpdatedAt: updatedAt?.toISOString() ?? null,
      }
    : null;

  const newer = updatedAt ? or(isNull(orderSyncs.shopUpdatedAt), lt(orderSyncs.shopUpdatedAt, updatedAt)) : undefined;
  await db
    .update(orderSyncs)
    .set({ changedAfterBooking: record, ...(updatedAt ? { shopUpdatedAt: updatedAt } : {}), ...(record ? { updatedAt: new Date() } : {}) })
    .where(and(eq(orderSyncs.routeId, row.routeId), eq(orderSyncs.orderId, row.orderId), newer));
  if (record) log.warn({ routeId: row.routeId, orderId: row.orderId, change: record }, 'booked order changed in the shop: the ledger needs a person');
  return record;
}

async function ledgerNameOf(db: Database, routeId: string): Promise<string> {
  const [found] = await db
    .select({ name: integrations.displayName })
    .from(syncRoutes)
    .innerJoin(integrations, eq(integrations.id, syncRoutes.targetIntegrationId))
    .where(eq(syncRoutes.id, routeId));
  return found?.name ?? 'the ledger';
}
