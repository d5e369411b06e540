import type { LedgerItem } from './accounting-target.js';

/** How SKUs compare loosely: case, surrounding spaces, and separators do not count. */
export function looseSku(sku: string): string {
  return sku.trim().toLowerCase().replace(/[\s_\-./]+/g, '');
}

/** The ledger item whose SKU is exactly this one (the only automatic match we trust). */
export function exactItemForSku(sku: string, items: LedgerItem[]): LedgerItem | null {
  return items.find((item) => item.active && item.sku === sku) ?? null;
}

/**
 * Items a bookkeeper probably meant: same SKU up to case/spaces/separators ("Product-A" vs "product-a "),
 * then SKUs or names within a small edit distance. Best first, at most `limit`.
 */
export function nearMatches(sku: string, items: LedgerItem[], limit = 3): LedgerItem[] {
  const wanted = looseSku(sku);
  const scored: { item: LedgerItem; score: number }[] = [];
  for (const item of items) {
    if (!item.active) continue;
    const candidates = [item.sku, item.name].filter((v): v is string => !!v).map(looseSku);
    let best = Infinity;
    for (const candidate of candidates) {
      if (candidate === wanted) best = 0;
      else best = Math.min(best, editDistance(candidate, wanted));
    }
    const tolerance = Math.max(1, Math.floor(wanted.length / 4));
    if (best <= tolerance) scored.push({ item, score: best });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.item.name.localeCompare(b.item.name))
    .slice(0, limit)
    .map((entry) => entry.item);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
