import type { LedgerTaxCode } from './accounting-target.js';
import { codesAtRate } from './order-mapping.js';
import { ratePercentOfKey, taxTitleOfKey } from './tax-key.js';

/** Names compare by their words: case, punctuation and "%" figures do not count. */
function wordsOf(name: string): Set<string> {
  return new Set(
    name
      .toLowerCase()
      .replace(/[\d.]+\s*%/g, ' ')
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 0),
  );
}

/**
 * The ledger tax codes a bookkeeper probably means for a tax key ("CA State Tax@7.25"): only active codes at
 * the key's rate (a code at another rate would book the wrong tax), the closest name first: the same name,
 * then the most words in common. At most `limit`.
 */
export function taxCodeSuggestions(taxKey: string, codes: LedgerTaxCode[], limit = 3): LedgerTaxCode[] {
  const title = taxTitleOfKey(taxKey).trim().toLowerCase();
  const wanted = wordsOf(taxTitleOfKey(taxKey));
  const scored = codesAtRate(ratePercentOfKey(taxKey), codes).map((code) => {
    const name = code.name.trim().toLowerCase();
    const shared = [...wordsOf(code.name)].filter((word) => wanted.has(word)).length;
    return { code, score: name === title ? Number.MAX_SAFE_INTEGER : shared };
  });
  return scored
    .sort((a, b) => b.score - a.score || a.code.name.localeCompare(b.code.name))
    .slice(0, limit)
    .map((entry) => entry.code);
}
