import type { CommerceOrder, CommerceOrderLine, CommerceShippingLine, CommerceTaxLine } from './commerce-order.js';
import type { CommerceRefund } from './commerce-refund.js';
import { amountsIn, spreadCents, type Amounts } from './money.js';
import { netMakingUpGross } from './once-per-rate-tax.js';

/**
 * The SKU mapping key of the route's "refunds" item: when a route maps it (PUT sku-mappings/refund%3Aamount-only),
 * every refund of an amount alone books to that item; unmapped, each books to its sale's own item.
 */
export const AMOUNT_REFUND_ITEM_KEY = 'refund:amount-only';

/** A refund of an amount alone: the shop names no lines and no shipping, only what it gave back. */
export function isAmountOnlyRefund(refund: Pick<CommerceRefund, 'lines' | 'shipping'>): boolean {
  return refund.lines.length === 0 && !refund.shipping;
}

/**
 * An amount-only refund as lines a ledger's refund document can hold (ledgers refuse one without lines): the amount
 * spread over the sale in proportion to what the buyer paid for each part, one line per tax treatment of the sale
 * (usually one), so that the refund gives back the sale's tax in the sale's proportions. Each line reads
 * "Refund of order #1001 (amount only)", one unit, and books to the route's refunds item or else to the item of the
 * sale's largest line of that treatment (the sale's own item when it had one line). A treatment only the shipping
 * had goes back as shipping. Lines and shipping come to the refund's total exactly, in the currency's minor units.
 */
export function amountOnlyRefundLines(order: CommerceOrder, refund: CommerceRefund): { lines: CommerceOrderLine[]; shippingLines: CommerceShippingLine[] } {
  const money = amountsIn(order.currency);
  const groups = treatmentsOf(order, money);
  const totalMinor = money.minor(refund.total);
  const shares = groups.length === 0 ? [] : spreadCents(totalMinor, groups.map((group) => group.paidMinor));
  const description = `Refund of order ${order.name} (amount only)`;
  const lines: CommerceOrderLine[] = [];
  const shippingLines: CommerceShippingLine[] = [];
  groups.forEach((group, index) => {
    const shareMinor = shares[index]!;
    if (shareMinor === 0) return;
    const taxMinor = taxOfShare(group, shareMinor, order.taxesIncluded);
    const priceMinor = order.taxesIncluded ? shareMinor : shareMinor - taxMinor;
    const taxLines = scaledTaxLines(group.taxLines, taxMinor, money);
    if (!group.largestLine) {
      shippingLines.push({ title: description, price: money.amount(priceMinor), taxLines });
      return;
    }
    lines.push({
      ...group.largestLine,
      id: `amount-refund-${index + 1}`,
      quantity: 1,
      unitPrice: money.amount(priceMinor),
      discount: money.amount(0),
      taxable: group.key !== 'untaxed',
      taxLines,
      ledgerDescription: description,
      mappingKey: AMOUNT_REFUND_ITEM_KEY,
    });
  });
  if (lines.length === 0 && shippingLines.length === 0 && totalMinor > 0) {
    // A sale that cost nothing (nothing to spread over): the amount goes back untaxed on its first line's item.
    const first = order.lines[0];
    if (!first) throw new Error(`refund ${refund.id} gives back ${refund.total} of order ${order.name}, which has no lines to give it back against`);
    lines.push({ ...first, id: 'amount-refund-1', quantity: 1, unitPrice: refund.total, discount: money.amount(0), taxable: false, taxLines: [], ledgerDescription: description, mappingKey: AMOUNT_REFUND_ITEM_KEY });
  }
  return { lines, shippingLines };
}

/**
 * The tax in one treatment's share. One rate charged: the rate's tax on the line as a ledger works it out (the net
 * whose tax makes up the share, or the tax inside a tax-inclusive share), so the ledger's own figure agrees; else
 * (several jurisdictions, compound rates) the sale's tax in the sale's proportion.
 */
function taxOfShare(group: Treatment, shareMinor: number, taxesIncluded: boolean): number {
  if (group.paidMinor === 0 || group.taxMinor === 0) return 0;
  const proportional = Math.round((shareMinor * group.taxMinor) / group.paidMinor);
  const [only, ...others] = group.taxLines;
  if (!group.key.startsWith('charged|') || !only || others.length > 0) return proportional;
  if (taxesIncluded) return Math.round(Number(((shareMinor * only.rate) / (1 + only.rate)).toFixed(6)));
  const net = netMakingUpGross(shareMinor, only.rate);
  // No net's tax makes up exactly this share (a cent the rate skips): the sale's proportion, the total kept.
  return net === undefined ? proportional : shareMinor - net;
}

/** The parts of a sale taxed one way: what the buyer paid for them (tax included), their tax, and the line that took most. */
interface Treatment {
  key: string;
  paidMinor: number;
  taxMinor: number;
  /** One tax line per jurisdiction and rate, holding the treatment's tax of it. */
  taxLines: CommerceTaxLine[];
  largestLine: CommerceOrderLine | null;
  largestMinor: number;
}

function treatmentsOf(order: CommerceOrder, money: Amounts): Treatment[] {
  const groups = new Map<string, Treatment>();
  const add = (taxable: boolean, taxLines: CommerceTaxLine[], netOrGrossMinor: number, line: CommerceOrderLine | null) => {
    // The tax the ledger's mapping reads (order-mapping.ts): what was charged, else the zero rates named, else none.
    const charged = taxLines.filter((tax) => tax.rate > 0);
    const keyLines = taxable ? (charged.length > 0 ? charged : taxLines) : [];
    const key = keyLines.length === 0 ? 'untaxed' : `${charged.length > 0 ? 'charged' : 'zero'}|${keyLines.map((tax) => `${tax.title.trim()}@${tax.rate}`).sort().join('+')}`;
    const taxMinor = keyLines.reduce((sum, tax) => sum + money.minor(tax.amount), 0);
    const paidMinor = netOrGrossMinor + (order.taxesIncluded ? 0 : taxMinor);
    const group = groups.get(key) ?? { key, paidMinor: 0, taxMinor: 0, taxLines: [], largestLine: null, largestMinor: -1 };
    group.paidMinor += paidMinor;
    group.taxMinor += taxMinor;
    for (const tax of keyLines) {
      const same = group.taxLines.find((kept) => kept.title.trim() === tax.title.trim() && kept.rate === tax.rate);
      if (same) same.amount = money.amount(money.minor(same.amount) + money.minor(tax.amount));
      else group.taxLines.push({ ...tax });
    }
    if (line && paidMinor > group.largestMinor) {
      group.largestLine = line;
      group.largestMinor = paidMinor;
    }
    groups.set(key, group);
  };
  for (const line of order.lines) add(line.taxable, line.taxLines, money.minor(line.unitPrice) * line.quantity - money.minor(line.discount), line);
  // Shipping is taxed like a taxable line (order-mapping.ts): it joins the goods taxed the same way.
  for (const shipping of order.shippingLines) add(true, shipping.taxLines, money.minor(shipping.price), null);
  return [...groups.values()].filter((group) => group.paidMinor > 0);
}

/** The treatment's tax lines (same titles and rates) holding `totalMinor` between them, in the sale's proportions. */
function scaledTaxLines(taxLines: CommerceTaxLine[], totalMinor: number, money: Amounts): CommerceTaxLine[] {
  if (taxLines.length === 0) return [];
  const parts = spreadCents(totalMinor, taxLines.map((tax) => money.minor(tax.amount)));
  // Zero-rated lines weigh nothing: their share is zero, as on the sale.
  const spread = parts.reduce((a, b) => a + b, 0) === totalMinor ? parts : taxLines.map((_, index) => (index === 0 ? totalMinor : 0));
  return taxLines.map((tax, index) => ({ ...tax, amount: money.amount(spread[index]!) }));
}
