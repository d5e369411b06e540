import type { CommerceOrder, CommerceOrderLine, CommerceTaxLine } from './commerce-order.js';
import type { LedgerItem, LedgerSalesLine, LedgerShippingLine, LedgerTaxCode, LedgerTaxSetup } from './accounting-target.js';
import { amountsIn, fromMinor, toMinor } from './money.js';
import { exactItemForSku, nearMatches } from './sku-suggestions.js';
import { combinedTaxKey, NO_TAX_KEY, ratePercentOfKey, taxTitleOfKey } from './tax-key.js';

/** What the ledger knows and what people mapped, for one route. */
export interface MappingRules {
  skuMappings: ReadonlyMap<string, string>;
  taxMappings: ReadonlyMap<string, string>;
  items: LedgerItem[];
  taxCodes: LedgerTaxCode[];
  /** How the ledger wants tax; absent means `per-line` (how orders were mapped before the ledger was asked). */
  taxSetup?: LedgerTaxSetup;
}

export type MappingProblem =
  | { kind: 'sku'; key: string; lineTitle: string; candidates: LedgerItem[] }
  | { kind: 'tax'; key: string; ratePercent: number; candidates?: LedgerTaxCode[] };

export interface MappedOrderLines {
  lines: LedgerSalesLine[];
  discount: string;
  shipping: LedgerShippingLine | null;
  /** `per-sale` ledgers: the code that gives the sale its rate; null when nothing is taxed. */
  txnTaxCodeId?: string | null;
}

/** The mapping key of a line: its SKU, or its title when the shop gave it none (custom items). */
export function skuKeyOf(line: Pick<CommerceOrderLine, 'sku' | 'title'>): string {
  return line.sku && line.sku.trim() !== '' ? line.sku : `title:${line.title}`;
}

/** Tax lines that charged something; a line with none is untaxed (zero-rated, exempt, or a tax-exempt customer). */
function chargedTaxLines(taxLines: CommerceTaxLine[]): CommerceTaxLine[] {
  return taxLines.filter((t) => t.rate > 0);
}

/**
 * The tax key of a line on a `per-line` ledger: its jurisdictions at their rates; a zero-rated line
 * keeps the shop's name for it ("VAT@0"); a line with no tax at all is "No tax@0". Every key needs a code.
 */
function perLineTaxKey(taxable: boolean, taxLines: CommerceTaxLine[]): string {
  const charged = chargedTaxLines(taxLines);
  if (taxable && charged.length > 0) return combinedTaxKey(charged)!;
  if (taxable && taxLines.length > 0) return combinedTaxKey(taxLines)!;
  return NO_TAX_KEY;
}

function sumOf(taxLines: CommerceTaxLine[], currency: string): string {
  return fromMinor(taxLines.reduce((sum, t) => sum + toMinor(t.amount, currency), 0), currency);
}

/**
 * Maps every line to a ledger item and, as the ledger's tax setup wants it, to tax codes. Returns every
 * problem at once, so a bookkeeper fixes an order in one go rather than one SKU per attempt.
 */
export function mapOrderLines(order: CommerceOrder, rules: MappingRules): MappedOrderLines | { problems: MappingProblem[] } {
  const mode = rules.taxSetup?.mode ?? 'per-line';
  const problems: MappingProblem[] = [];
  const seen = new Set<string>();
  const report = (problem: MappingProblem) => {
    const id = `${problem.kind}:${problem.key}`;
    if (!seen.has(id)) problems.push(problem);
    seen.add(id);
  };

  const codeFor = (key: string, title: string): string | null => {
    const mapped = rules.taxMappings.get(key);
    if (mapped) return mapped;
    const automatic = automaticTaxCode(key, title, rules.taxCodes);
    if (automatic) return automatic.id;
    const ratePercent = ratePercentOfKey(key);
    report({ kind: 'tax', key, ratePercent, candidates: codesAtRate(ratePercent, rules.taxCodes) });
    return null;
  };

  /** `per-line` only: the code of one line's (or the shipping's) tax. */
  const lineCodeFor = (taxable: boolean, taxLines: CommerceTaxLine[]): string | null => {
    if (mode !== 'per-line') return null;
    const key = perLineTaxKey(taxable, taxLines);
    return codeFor(key, key === NO_TAX_KEY ? taxTitleOfKey(NO_TAX_KEY) : (chargedTaxLines(taxLines)[0] ?? taxLines[0])?.title ?? '');
  };

  const currency = order.currency;
  const money = amountsIn(currency);
  const lines: LedgerSalesLine[] = [];
  let discountMinor = 0;
  for (const line of order.lines) {
    const key = skuKeyOf(line);
    const itemId =
      (line.mappingKey ? rules.skuMappings.get(line.mappingKey) : undefined) ?? rules.skuMappings.get(key) ?? (line.sku ? exactItemForSku(line.sku, rules.items)?.id : undefined);
    if (!itemId) report({ kind: 'sku', key, lineTitle: line.title, candidates: nearMatches(line.sku ?? line.title, rules.items) });
    const unitMinor = money.minor(line.unitPrice);
    discountMinor += money.minor(line.discount);
    lines.push({
      itemId: itemId ?? '',
      description: line.ledgerDescription ?? line.title,
      quantity: line.quantity,
      unitPrice: money.amount(unitMinor),
      amount: money.amount(unitMinor * line.quantity),
      taxCodeId: lineCodeFor(line.taxable, line.taxLines),
      taxable: line.taxable && chargedTaxLines(line.taxLines).length > 0,
      discount: money.amount(money.minor(line.discount)),
      tax: sumOf(line.taxLines, currency),
    });
  }

  let shipping: MappedOrderLines['shipping'] = null;
  const shippingMinor = order.shippingLines.reduce((sum, s) => sum + money.minor(s.price), 0);
  if (shippingMinor > 0) {
    const shippingTax = order.shippingLines.flatMap((s) => s.taxLines);
    shipping = {
      amount: money.amount(shippingMinor),
      taxCodeId: lineCodeFor(true, shippingTax),
      taxable: chargedTaxLines(shippingTax).length > 0,
      tax: sumOf(shippingTax, currency),
    };
  }

  // A US sale has one rate: every jurisdiction the shop charged, on any line or the shipping, as one code.
  let txnTaxCodeId: string | null = null;
  if (mode === 'per-sale') {
    const charged = chargedTaxLines([...order.lines.flatMap((l) => (l.taxable ? l.taxLines : [])), ...order.shippingLines.flatMap((s) => s.taxLines)]);
    const distinct = [...new Map(charged.map((t) => [`${t.title.trim()}@${t.rate}`, t])).values()];
    const key = combinedTaxKey(distinct);
    if (key !== null) txnTaxCodeId = codeFor(key, distinct[0]!.title);
  }

  if (problems.length > 0) return { problems };
  return { lines, discount: money.amount(discountMinor), shipping, txnTaxCodeId };
}

/** Active codes at this rate: what a bookkeeper is offered for a tax key ("suggested by rate"). */
export function codesAtRate(ratePercent: number, codes: LedgerTaxCode[]): LedgerTaxCode[] {
  return codes.filter((code) => code.active && Math.abs(code.ratePercent - ratePercent) < 1e-6);
}

/**
 * A ledger tax code we may pick without asking: exactly one active code with the same name and rate; for a
 * line taxed at 0 % or not at all, the only active code at 0 % (with two, zero-rated and exempt differ on a
 * VAT return: ask).
 */
function automaticTaxCode(key: string, title: string, codes: LedgerTaxCode[]): LedgerTaxCode | null {
  if (key.includes('+')) return null;
  const rate = ratePercentOfKey(key);
  const atRate = codesAtRate(rate, codes);
  if (rate === 0) return atRate.length === 1 ? atRate[0]! : null;
  const matches = atRate.filter((code) => code.name.trim().toLowerCase() === title.trim().toLowerCase());
  return matches.length === 1 ? matches[0]! : null;
}
