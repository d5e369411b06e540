import { sameAmount, toMinor } from './money.js';

/**
 * What the shop did to an order after it was booked. ledgerbridge never edits a booked document (a
 * bookkeeper may have reconciled it); it says what changed so a person adjusts the ledger.
 */
export type BookedOrderChange =
  | { kind: 'cancelled'; bookedTotal: string | null }
  | { kind: 'total_changed'; bookedTotal: string; shopTotal: string };

/** As stored on the order's row and shown by the API. */
export type BookedOrderChangeRecord = BookedOrderChange & { message: string; shopUpdatedAt: string | null };

/** Where a recorded change goes to reach people (an email to the ledger's recipients). */
export interface BookedOrderChangeSink {
  bookedOrderChanged(event: { routeId: string; orderId: string; change: BookedOrderChangeRecord }): Promise<void>;
}

/** The order as a shop update now shows it. */
export interface ShopOrderNow {
  /** Current total (after edits and refunds), shop currency; null when the update does not say. */
  currentTotal: string | null;
  cancelledAt: string | null;
  /**
   * What the order's refunds gave back so far, as the update reports them: `lines` the refunded units (what a
   * current total "after returns" leaves out), `total` everything refunded (shipping too). Absent when it does not say.
   */
  refunded?: { lines: string; total: string } | null;
}

/** A shop update as received, with the order's own updated_at that orders updates delivered out of order. */
export interface ShopOrderUpdate extends ShopOrderNow {
  updatedAt: string | null;
}

/**
 * On a route whose ledger books refunds itself: the total of the sale's document (the order's total before refunds;
 * null on rows booked before it was kept, where the booked total stands in).
 */
export interface RefundsBookedByLedger {
  saleTotal: string | null;
}

/**
 * null: the order still matches what was booked. Where the ledger books refunds (`refundsBooked`), a lower total
 * that the refunds account for is not a change: each refund is booked by its own workflow. Whether the shop's current
 * total leaves out refunded shipping is not confirmed [U], so either reading of it counts.
 */
export function bookedOrderChange(bookedTotal: string | null, now: ShopOrderNow, refundsBooked: RefundsBookedByLedger | null = null): BookedOrderChange | null {
  if (now.cancelledAt) return { kind: 'cancelled', bookedTotal };
  if (bookedTotal === null || now.currentTotal === null) return null;
  if (!isAmount(bookedTotal) || !isAmount(now.currentTotal)) return null;
  if (sameAmount(bookedTotal, now.currentTotal)) return null;
  if (refundsBooked && refundsExplain(refundsBooked.saleTotal ?? bookedTotal, now)) return null;
  return { kind: 'total_changed', bookedTotal, shopTotal: now.currentTotal };
}

/** The current total is the sale's total less what the refunds gave back (lines only, or everything). */
function refundsExplain(saleTotal: string, now: ShopOrderNow): boolean {
  const refunded = now.refunded;
  if (!refunded || now.currentTotal === null || !isAmount(saleTotal) || !isAmount(refunded.lines) || !isAmount(refunded.total)) return false;
  // In millionths: every currency's minor units fit (the update does not say which currency).
  const micro = (amount: string) => toMinor(amount, 'XXX6');
  const current = micro(now.currentTotal);
  return [refunded.lines, refunded.total].some((amount) => micro(amount) > 0 && current + micro(amount) === micro(saleTotal));
}

/** How a change message names the order and its document: "sales receipt 5001 in QuickBooks Online #1". */
export interface BookedOrderNames {
  orderName: string;
  ledgerName: string;
  docNumber: string | null;
  /** What the ledger calls the document ("sales receipt", "invoice"). */
  documentKind: string;
  /** What ledgerbridge books a cancellation's reversal as in this ledger ("refund receipt"); null or absent where it books none. */
  reversalKind?: string | null;
}

/** The sentence a bookkeeper reads: what changed, and what to do about it in the ledger. */
export function bookedOrderChangeMessage(
  change: BookedOrderChange,
  names: BookedOrderNames,
): string {
  const document = names.docNumber ? `${names.documentKind} ${names.docNumber}` : `its ${names.documentKind}`;
  if (change.kind === 'cancelled' && names.reversalKind) {
    // The reversal is booked by its own workflow (workflows/refund-sync.ts): voiding as well would reverse the sale twice.
    return (
      `Order ${names.orderName} was cancelled in the shop after it was booked in ${names.ledgerName} as ${document}. ` +
      `ledgerbridge books its reversal as a ${names.reversalKind} in ${names.ledgerName} (see the order's refunds); do not void or delete ${document} as well.`
    );
  }
  if (change.kind === 'cancelled') {
    return (
      `Order ${names.orderName} was cancelled in the shop after it was booked in ${names.ledgerName} as ${document}. ` +
      `ledgerbridge does not change booked documents: void or delete ${document} in ${names.ledgerName} if the sale did not happen.`
    );
  }
  return (
    `Order ${names.orderName} changed in the shop after it was booked: its total is now ${change.shopTotal}, but ${document} in ` +
    `${names.ledgerName} was booked for ${change.bookedTotal}. ledgerbridge does not change booked documents: adjust the ${shortWord(names.documentKind)} ` +
    `(or book a refund) in ${names.ledgerName}.`
  );
}

export function bookedOrderChangeRecord(
  change: BookedOrderChange,
  names: BookedOrderNames,
  shopUpdatedAt: Date | null,
): BookedOrderChangeRecord {
  return { ...change, message: bookedOrderChangeMessage(change, names), shopUpdatedAt: shopUpdatedAt?.toISOString() ?? null };
}

/** "sales receipt" → "receipt", "bank transaction" → "transaction": the document once it has been named in full. */
function shortWord(documentKind: string): string {
  return documentKind.split(' ').at(-1) ?? documentKind;
}

function isAmount(text: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(text.trim());
}
