import type { CommerceTaxLine } from './commerce-order.js';

/**
 * The key a tax mapping is saved under: jurisdiction title and rate in percent, e.g. "VAT@20"
 * or "CA State Tax@7.25". Rates are rounded to 4 decimals so 0.0725 and 0.07250001 agree.
 */
export function taxKeyOf(line: Pick<CommerceTaxLine, 'title' | 'rate'>): string {
  const percent = Math.round(line.rate * 100 * 10_000) / 10_000;
  return `${line.title.trim()}@${percent}`;
}

/** The combined key of a line taxed by several jurisdictions ("CA State Tax@6+LA County Tax@1.25"). */
export function combinedTaxKey(lines: Pick<CommerceTaxLine, 'title' | 'rate'>[]): string | null {
  if (lines.length === 0) return null;
  return lines
    .map(taxKeyOf)
    .sort()
    .join('+');
}

export function ratePercentOfKey(key: string): number {
  return key
    .split('+')
    .map((part) => Number(part.slice(part.lastIndexOf('@') + 1)))
    .reduce((sum, rate) => sum + rate, 0);
}

/** The key of a line the shop charged no tax on, which a per-line ledger (VAT/GST) still needs a code for. */
export const NO_TAX_KEY = 'No tax@0';

/** "CA State Tax@7.25" → "CA State Tax"; combined keys keep their "+". */
export function taxTitleOfKey(key: string): string {
  return key.replace(/@[\d.]+/g, '');
}
