/**
 * Whose a ledger document is. Every document we book opens its internal note with a header naming
 * the source order by id; reading it back tells "this order, booked before" from "another order that
 * took the same number" (two shops booking "#1001" into one ledger) and from a document someone
 * entered by hand. Pure: safe in workflows.
 */

const HEADER = /^(.* order .*) \(id (.+?)\), booked by ledgerbridge\./;

/** The note header on every document we create: "Shopify #1 order #1001 (id gid://shopify/Order/1), booked by ledgerbridge." */
export function bookedOrderHeader(sourceName: string, orderName: string, orderId: string): string {
  return `${sourceName} order ${orderName} (id ${orderId}), booked by ledgerbridge.`;
}

export type DocumentOwner =
  /** We booked it for this very order: it is already synced. */
  | { kind: 'this_order' }
  /** We booked it for another order: the number is taken. `order` reads "Shopify #2 order #1001". */
  | { kind: 'other_order'; orderId: string; order: string }
  /** Not ours (entered by hand, another connector) or the note was edited: treated as this order's, never booked twice. */
  | { kind: 'unknown' };

export function documentOwner(internalNote: string | null | undefined, orderId: string): DocumentOwner {
  const booked = internalNote ? HEADER.exec(internalNote.split('\n', 1)[0]!) : null;
  if (!booked) return { kind: 'unknown' };
  return booked[2] === orderId ? { kind: 'this_order' } : { kind: 'other_order', orderId: booked[2]!, order: booked[1]! };
}
