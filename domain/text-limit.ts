/** Cuts text to a ledger's field limit, marking the cut so a reader knows there is more. */
export function truncateForLedger(text: string, limit: number): { value: string; truncated: boolean } {
  if (text.length <= limit) return { value: text, truncated: false };
  const marker = '…';
  return { value: text.slice(0, Math.max(0, limit - marker.length)) + marker, truncated: true };
}
