/**
 * The ledger document number for an order: the route's prefix, if any, and the order's display name
 * without "#" and spaces ("#1001" → "1001", "B-1001"), the same on every run so the ledger's own
 * duplicate check backs ours up. Numbers longer than the ledger allows keep their head and end in a
 * stable hash of the whole. Pure: safe in workflows.
 */
export function documentNumberFor(orderName: string, maxLength: number, prefix: string | null = null): string {
  const cleaned = `${prefix ?? ''}${orderName.replace(/[#\s]/g, '')}`;
  if (cleaned.length <= maxLength) return cleaned;
  const hash = fnv1a32(cleaned).toString(36).toUpperCase();
  return `${cleaned.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

/**
 * The number of a refund document: the sale's number and the refund's place among the order's refunds
 * ("1001-R1", "1001-R2"), or "1001-C" for a cancellation's reversal; shortened like sale numbers when too long.
 */
export function refundDocumentNumber(saleDocNumber: string, refund: number | 'cancellation', maxLength: number): string {
  return documentNumberFor(`${saleDocNumber}-${refund === 'cancellation' ? 'C' : `R${refund}`}`, maxLength);
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A document number prefix no route of the ledger uses yet ("A-", "B-", …), to suggest in messages. */
export function unusedPrefix(used: readonly (string | null)[]): string {
  const taken = new Set(used.map((prefix) => (prefix ?? '').toUpperCase()));
  for (let code = 65; code <= 90; code++) {
    const candidate = `${String.fromCharCode(code)}-`;
    if (!taken.has(candidate)) return candidate;
  }
  return 'SHOP2-';
}

/**
 * A payout's document number: "PO-" and the payout's id, with the route's prefix ("B-PO-123456"); an id too long
 * for the ledger keeps its tail (the part that tells payouts apart).
 */
export function payoutDocumentNumber(payoutId: string, maxLength: number, prefix: string | null = null): string {
  const head = `${prefix ?? ''}PO-`;
  const room = Math.max(1, maxLength - head.length);
  return head + payoutId.slice(-room);
}
