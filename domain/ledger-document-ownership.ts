/**
 * Whose a ledger document is. Every document we book carries a marker naming the source order by id (each
 * ledger keeps it its own way: an internal note, a memo, a reference); reading it back tells "this order,
 * booked before" from "another order that took the same number" (two shops booking "#1001" into one ledger)
 * and from a document someone entered by hand. Pure: safe in workflows.
 */

const HEADER = /^(.* order .*) \(id (.+?)\), booked by ledgerbridge\./;

/** The marker on every document we create: "Shopify #1 order #1001 (id gid://shopify/Order/1), booked by ledgerbridge." */
export function bookedOrderHeader(sourceName: string, orderName: string, orderId: string): string {
  return `${sourceName} order ${orderName} (id ${orderId}), booked by ledgerbridge.`;
}

/** The marker on a refund document: "Shopify #1 order #1001 (id 1) refund 77, booked by ledgerbridge." */
export function bookedRefundHeader(sourceName: string, orderName: string, orderId: string, refundId: string): string {
  return `${sourceName} order ${orderName} (id ${orderId}) refund ${refundId}, booked by ledgerbridge.`;
}

/** The marker on a payout's document: "Shopify #1 payout 9001, booked by ledgerbridge." */
export function bookedPayoutHeader(sourceName: string, payoutId: string): string {
  return `${sourceName} payout ${payoutId}, booked by ledgerbridge.`;
}

const PAYOUT_HEADER = /^(.*) payout (.+?), booked by ledgerbridge\./;

/** Whether a payout document's marker names this payout of this shop: "this", "other" (ours, for another), or "unknown" (not ours). */
export function payoutDocumentOwner(marker: string | null | undefined, sourceName: string, payoutId: string): 'this' | 'other' | 'unknown' {
  const booked = markedPayout(marker);
  if (!booked) return 'unknown';
  return booked.source === sourceName && booked.payoutId === payoutId ? 'this' : 'other';
}

/** The payout a document's marker names (ours), or null for a document without our payout marker. */
export function markedPayout(marker: string | null | undefined): { source: string; payoutId: string } | null {
  const booked = marker ? PAYOUT_HEADER.exec(marker.split('\n', 1)[0]!) : null;
  return booked ? { source: booked[1]!, payoutId: booked[2]! } : null;
}

const REFUND_HEADER = /^.* order .* \(id (.+?)\) refund (.+?), booked by ledgerbridge\./;

/** Whether a refund document's marker names this order's refund: "this" one, "other" (ours, for another), or "unknown" (not ours). */
export function refundDocumentOwner(marker: string | null | undefined, orderId: string, refundId: string): 'this' | 'other' | 'unknown' {
  const booked = marker ? REFUND_HEADER.exec(marker.split('\n', 1)[0]!) : null;
  if (!booked) return 'unknown';
  return booked[1] === orderId && booked[2] === refundId ? 'this' : 'other';
}

export type DocumentOwner =
  /** We booked it for this very order: it is already synced. */
  | { kind: 'this_order' }
  /** We booked it for another order: the number is taken. `order` reads "Shopify #2 order #1001". */
  | { kind: 'other_order'; orderId: string; order: string }
  /** Not ours (entered by hand, another connector) or the marker was edited: treated as this order's, never booked twice. */
  | { kind: 'unknown' };

/** `marker`: the text the ledger keeps our marker in (LedgerDocumentRef.marker); only its first line counts. */
export function documentOwner(marker: string | null | undefined, orderId: string): DocumentOwner {
  const booked = marker ? HEADER.exec(marker.split('\n', 1)[0]!) : null;
  if (!booked) return { kind: 'unknown' };
  return booked[2] === orderId ? { kind: 'this_order' } : { kind: 'other_order', orderId: booked[2]!, order: booked[1]! };
}

/** The order a document's marker names (ours), or null for a document without our marker. */
export function markedOrder(marker: string | null | undefined): { orderId: string; order: string } | null {
  const booked = marker ? HEADER.exec(marker.split('\n', 1)[0]!) : null;
  return booked ? { orderId: booked[2]!, order: booked[1]! } : null;
}
