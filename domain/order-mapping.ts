import type { CommerceOrder, CommerceOrderLine } from './commerce-order.js';
import type { LedgerItem, LedgerSalesLine, LedgerTaxCode } from './accounting-target.js';
import { fromCents, toCents } from './money.js';
import { exactItemForSku, nearMatches } from './sku-suggestions.js';
import { combinedTaxKey, ratePercentOfKey } from './tax-key.js';

/** What the ledger knows and what people mapped, for one route. */
export interface MappingRules {
  skuMappings: ReadonlyMap<string, string>;
  taxMappings: ReadonlyMap<string, string>;
  items: LedgerItem[];
  taxCodes: LedgerTaxCode[];
}

export type MappingProblem =
  | { kind: 'sku'; key: string; lineTitle: string; candidates: LedgerItem[] }
  | { kind: 'tax'; key: string; ratePercent: number };

export interface MappedOrderLines {
  lines: LedgerSalesLine[];
  discount: string;
  shipping: { amount: string; taxCodeId: string | null } | null;
}

/** The mapping key of a line: its SKU, or its title when the shop gave it none (custom items). */
export function skuKeyOf(line: Pick<CommerceOrderLine, 'sku' | 'title'>): string {
  return line.sku && line.sku.trim() !== '' ? line.sku : `title:${line.title}`;
}

/**
 * Maps every line to a ledger item and tax code. Returns every problem at once, so a bookkeeper
 * fixes an order in one go rather than one SKU per attempt.
 */
export function mapOrderLines(order: CommerceOrder, rules: MappingRules): MappedOrderLines | { problems: MappingProblem[] } {
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  const report = (problem: MappingProblem) => {
    const id = `${problem.kind}:${problem.key}`;
    if (!seen.has(id)) problems.push(problem);
    seen.add(id);
  };

  const taxCodeFor = (taxLines: CommerceOrderLine['taxLines']): string | null => {
    const key = combinedTaxKey(taxLines.filter((t) => t.rate > 0));
    if (key === null) return null;
    const mapped = rules.taxMappings.get(key);
    if (mapped) return mapped;
    const automatic = automaticTaxCode(key, taxLines[0]?.title ?? '', rules.taxCodes);
    if (automatic) return automatic.id;
    report({ kind: 'tax', key, ratePercent: ratePercentOfKey(key) });
    return null;
  };

  const lines: LedgerSalesLine[] = [];
  let discountCents = 0;
  for (const line of order.lines) {
    const key = skuKeyOf(line);
    const itemId = rules.skuMappings.get(key) ?? (line.sku ? exactItemForSku(line.sku, rules.items)?.id : undefined);
    if (!itemId) report({ kind: 'sku', key, lineTitle: line.title, candidates: nearMatches(line.sku ?? line.title, rules.items) });
    const taxCodeId = line.taxable ? taxCodeFor(line.taxLines) : null;
    const unitCents = toCents(line.unitPrice);
    discountCents += toCents(line.discount);
    lines.push({
      itemId: itemId ?? '',
      description: line.title,
      quantity: line.quantity,
      unitPrice: fromCents(unitCents),
      amount: fromCents(unitCents * line.quantity),
      taxCodeId,
    });
  }

  let shipping: MappedOrderLines['shipping'] = null;
  const shippingCents = order.shippingLines.reduce((sum, s) => sum + toCents(s.price), 0);
  if (shippingCents > 0) {
    shipping = { amount: fromCents(shippingCents), taxCodeId: taxCodeFor(order.shippingLines.flatMap((s) => s.taxLines)) };
  }

  if (problems.length > 0) return { problems };
  return { lines, discount: fromCents(discountCents), shipping };
}

/** A ledger tax code we may pick without asking: exactly one active code with the same name and rate. */
function automaticTaxCode(key: string, title: string, codes: LedgerTaxCode[]): LedgerTaxCode | null {
  if (key.includes('+')) return null;
  const rate = ratePercentOfKey(key);
  const matches = codes.filter(
    (code) => code.active && code.name.trim().toLowerCase() === title.trim().toLowerCase() && Math.abs(code.ratePercent - rate) < 1e-6,
  );
  return matches.length === 1 ? matches[0]! : null;
}
