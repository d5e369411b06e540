import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { CANCELLATION_REFUND_ID } from '../domain/commerce-refund.js';
import type { Database } from '../db/database.js';
import { orderSyncs, refundSyncs } from '../db/schema.js';

/**
 * Which shop refunds of an order a cancellation's reversal counts as given back already, decided once under the
 * order's row lock, so that the ledger never gives back more than the sale: a refund is either counted by the
 * reversal (its own document books) or, when the shop reported it only after the reversal was worked out, it is
 * covered by the reversal and books nothing. Refund bookings and the reversal meet here, whatever their order.
 */

type OrderRef = { routeId: string; orderId: string };

export type ShopRefundClaim = { covered: false } | { covered: true; reversalDocNumber: string | null };

/** A shop refund about to be booked: covered by the cancellation's reversal, or claimed (the reversal then counts it). */
export async function claimShopRefund(db: Database, ref: OrderRef, refundId: string): Promise<ShopRefundClaim> {
  return db.transaction(async (tx) => {
    await tx.select({ orderId: orderSyncs.orderId }).from(orderSyncs).where(orderWhere(ref)).for('update');
    const rows = await tx
      .select({ refundId: refundSyncs.refundId, claimedAt: refundSyncs.claimedAt, accounted: refundSyncs.accountedRefundIds, docNumber: refundSyncs.ledgerDocNumber, status: refundSyncs.status })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, ref.routeId), eq(refundSyncs.orderId, ref.orderId)));
    const own = rows.find((row) => row.refundId === refundId);
    const reversal = rows.find((row) => row.refundId === CANCELLATION_REFUND_ID);
    // Claimed before: the reversal counted it (it waits for every claim), whatever it decided since.
    if (!own?.claimedAt && reversal?.accounted && reversal.status !== 'skipped' && !reversal.accounted.includes(refundId)) {
      return { covered: true, reversalDocNumber: reversal.docNumber };
    }
    if (!own?.claimedAt) {
      await tx
        .update(refundSyncs)
        .set({ claimedAt: new Date() })
        .where(and(eq(refundSyncs.routeId, ref.routeId), eq(refundSyncs.orderId, ref.orderId), eq(refundSyncs.refundId, refundId)));
    }
    return { covered: false };
  });
}

export type ReversalAccounting = { accounted: string[] } | { missing: string[] };

/**
 * The refunds a cancellation's reversal counts as given back: those the shop listed when it was first worked out
 * (kept, so a rerun reverses the same amount), never fewer than the refunds already claimed for booking. `missing`:
 * claimed refunds the shop's list lacks (it lags): read the list again.
 */
export async function accountReversal(db: Database, ref: OrderRef, listedRefundIds: string[]): Promise<ReversalAccounting> {
  return db.transaction(async (tx) => {
    await tx.select({ orderId: orderSyncs.orderId }).from(orderSyncs).where(orderWhere(ref)).for('update');
    const [reversal] = await tx
      .select({ accounted: refundSyncs.accountedRefundIds })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, ref.routeId), eq(refundSyncs.orderId, ref.orderId), eq(refundSyncs.refundId, CANCELLATION_REFUND_ID)));
    if (reversal?.accounted) return { accounted: reversal.accounted };
    const claimed = await tx
      .select({ refundId: refundSyncs.refundId })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, ref.routeId), eq(refundSyncs.orderId, ref.orderId), ne(refundSyncs.refundId, CANCELLATION_REFUND_ID), isNotNull(refundSyncs.claimedAt)));
    const missing = claimed.map((row) => row.refundId).filter((id) => !listedRefundIds.includes(id));
    if (missing.length > 0) return { missing };
    await tx
      .update(refundSyncs)
      .set({ accountedRefundIds: listedRefundIds })
      .where(and(eq(refundSyncs.routeId, ref.routeId), eq(refundSyncs.orderId, ref.orderId), eq(refundSyncs.refundId, CANCELLATION_REFUND_ID)));
    return { accounted: listedRefundIds };
  });
}

function orderWhere(ref: OrderRef) {
  return and(eq(orderSyncs.routeId, ref.routeId), eq(orderSyncs.orderId, ref.orderId));
}
