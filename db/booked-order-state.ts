import { and, eq } from 'drizzle-orm';
import {
  bookedOrderChange,
  bookedOrderChangeRecord,
  type BookedOrderChangeRecord,
  type ShopOrderUpdate,
} from '../domain/booked-order-change.js';
import { ledgerDocumentKind, ledgerRefundDocumentKind } from '../platforms/installed.js';
import type { Database } from './database.js';
import { integrations, orderSyncs, syncRoutes } from './schema.js';

/**
 * What the shop did to an order around and after its booking. A shop update and the booking meet on the
 * order's row under its lock, so an update is never lost between them: before the booking it is kept
 * for the booking to judge, after it is judged at once. ledgerbridge does not rewrite the ledger; a
 * change of total or a cancellation is recorded for a bookkeeper (and listed by the API).
 */

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type OrderRef = { routeId: string; orderId: string };

/** A shop update (webhook) of an order. Returns the change now recorded on a booked order, if any. */
export async function recordShopUpdate(db: Database, ref: OrderRef, update: ShopOrderUpdate & { orderName: string | null }): Promise<BookedOrderChangeRecord | null> {
  const updatedAt = validDate(update.updatedAt);
  return db.transaction(async (tx) => {
    const row = await lockedRow(tx, ref);
    if (!row) return null;
    // Shopify delivers late and out of order: an update older than the newest seen changes nothing.
    if (updatedAt && row.shopUpdatedAt && updatedAt <= row.shopUpdatedAt) return row.changedAfterBooking ?? null;

    if (row.bookedOrderTotal === null) {
      // Not booked (yet): the booking compares what it booked with this, if it is newer than its fetch.
      if (!updatedAt) return null;
      await tx
        .update(orderSyncs)
        .set({
          shopUpdatePending: { currentTotal: update.currentTotal, cancelledAt: update.cancelledAt, updatedAt: updatedAt.toISOString(), ...(update.refunded ? { refunded: update.refunded } : {}) },
          shopUpdatedAt: updatedAt,
        })
        .where(where(ref));
      return null;
    }

    const ledger = await ledgerOf(tx, ref.routeId);
    const change = bookedOrderChange(row.bookedOrderTotal, update, ledger.reversalKind ? { saleTotal: row.bookedSaleTotal } : null);
    const record = change
      ? bookedOrderChangeRecord(change, { orderName: row.orderName ?? update.orderName ?? `with id ${ref.orderId}`, ...ledger, docNumber: row.ledgerDocNumber }, updatedAt)
      : null;
    await tx
      .update(orderSyncs)
      .set({ changedAfterBooking: record, ...(updatedAt ? { shopUpdatedAt: updatedAt } : {}), ...(record ? { updatedAt: new Date() } : {}) })
      .where(where(ref));
    return record;
  });
}

/**
 * The order was just booked as `docNumber`, from the order as fetched. Judges any shop update that
 * arrived while it was being booked and is newer than that fetch.
 */
export async function recordBooking(
  db: Database,
  ref: OrderRef,
  booked: {
    orderName: string;
    currentTotal: string;
    /** The order's total before refunds: what its document was booked for (absent in callers that predate it). */
    saleTotal?: string;
    updatedAt: string;
    docNumber: string;
    ledgerName: string;
    documentKind: string;
    reversalKind?: string | null;
  },
): Promise<BookedOrderChangeRecord | null> {
  const fetchedAt = validDate(booked.updatedAt);
  return db.transaction(async (tx) => {
    const row = await lockedRow(tx, ref);
    if (!row) return null;
    const pending = row.shopUpdatePending;
    const pendingAt = validDate(pending?.updatedAt ?? null);
    const later = pending && pendingAt && (!fetchedAt || pendingAt > fetchedAt) ? pending : null;
    const change = later ? bookedOrderChange(booked.currentTotal, later, booked.reversalKind ? { saleTotal: booked.saleTotal ?? null } : null) : null;
    const record = change ? bookedOrderChangeRecord(change, booked, pendingAt) : null;
    const newest = later ? pendingAt : fetchedAt;
    await tx
      .update(orderSyncs)
      .set({ bookedOrderTotal: booked.currentTotal, bookedSaleTotal: booked.saleTotal ?? null, changedAfterBooking: record, shopUpdatePending: null, shopUpdatedAt: newest })
      .where(where(ref));
    return record;
  });
}

async function lockedRow(tx: Tx, ref: OrderRef) {
  const [row] = await tx.select().from(orderSyncs).where(where(ref)).for('update');
  return row;
}

function where(ref: OrderRef) {
  return and(eq(orderSyncs.routeId, ref.routeId), eq(orderSyncs.orderId, ref.orderId));
}

/** The route's ledger as a message names it: "QuickBooks Online #1", and what its documents are called. */
async function ledgerOf(tx: Tx, routeId: string): Promise<{ ledgerName: string; documentKind: string; reversalKind: string | null }> {
  const [found] = await tx
    .select({ name: integrations.displayName, platform: integrations.platform })
    .from(syncRoutes)
    .innerJoin(integrations, eq(integrations.id, syncRoutes.targetIntegrationId))
    .where(eq(syncRoutes.id, routeId));
  return { ledgerName: found?.name ?? 'the ledger', documentKind: ledgerDocumentKind(found?.platform ?? ''), reversalKind: ledgerRefundDocumentKind(found?.platform ?? '') };
}

function validDate(text: string | null): Date | null {
  return text && Number.isFinite(Date.parse(text)) ? new Date(text) : null;
}
