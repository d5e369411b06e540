/**
 * The ledger document number for an order: its display name without "#" and spaces ("#1001" → "1001"),
 * the same on every run so the ledger's own duplicate check backs ours up. Names longer than the
 * ledger allows keep their head and end in a stable hash of the whole name. Pure: safe in workflows.
 */
export function documentNumberFor(orderName: string, maxLength: number): string {
  const cleaned = orderName.replace(/[#\s]/g, '');
  if (cleaned.length <= maxLength) return cleaned;
  const hash = fnv1a32(cleaned).toString(36).toUpperCase();
  return `${cleaned.slice(0, maxLength - hash.length - 1)}-${hash}`;
}

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
