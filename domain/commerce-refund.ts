import type { CommerceOrder, CommerceOrderLine, CommerceTaxLine } from './commerce-order.js';
import { amountOnlyRefundLines, isAmountOnlyRefund } from './amount-only-refund.js';
import { amountsIn, spreadCents, type Amounts } from './money.js';
import { netMakingUpGross } from './once-per-rate-tax.js';
import { DEFAULT_TAX_ROUNDING, type TaxRounding } from './tax-rounding.js';

/**
 * Money a shop gave back on an order, as every commerce source reports it (shop currency, decimal strings).
 * Pure: safe in workflows.
 */
export interface CommerceRefundLine {
  /** The order line it gives back (CommerceOrderLine.id). */
  lineId: string;
  quantity: number;
  /** After the line's discount; tax-inclusive when the order's prices include tax. */
  subtotal: string;
  tax: string;
  /** Whether the units go back to stock (returned or cancelled) or not (damaged, kept by the customer). */
  restock: boolean;
}

export interface CommerceRefund {
  /** The shop's refund id; `CANCELLATION_REFUND_ID` for the reversal of a cancelled order. */
  id: string;
  orderId: string;
  createdAt: string;
  note: string | null;
  lines: CommerceRefundLine[];
  /** Shipping given back, null when none. */
  shipping: { amount: string; tax: string } | null;
  /** What the shop gave back in all, as it reports it: what the ledger's refund document must come to. */
  total: string;
  /**
   * The same refund in the buyer's currency, when the order was paid in another than the shop's (Shopify's
   * presentmentMoney): what a route that booked the sale in the buyer's currency gives back.
   */
  presentment?: CommerceRefund;
}

/**
 * What the refunds gave back in all, as a shop update reports it (ShopOrderNow.refunded in booked-order-change.ts:
 * the refunds that book account for that much of a lower total); null for none.
 */
export function refundedSoFar(refunds: CommerceRefund[], currency: string): { lines: string; total: string } | null {
  const money = amountsIn(currency);
  const minor = refunds.reduce((sum, refund) => sum + money.minor(refund.total), 0);
  return minor > 0 ? { lines: money.amount(minor), total: money.amount(minor) } : null;
}

/** The refund id of a cancellation's reversal: one per order. */
export const CANCELLATION_REFUND_ID = 'cancellation';

/**
 * A cancelled order's reversal: everything the sale booked that no refund has given back yet, line by line.
 * A line partly refunded before reverses its remaining units at the same share of discount and tax. After refunds
 * of an amount alone, its parts' tax is settled as the ledger rounds it (`rounding`, its AccountingPlatform's).
 */
export function cancellationRefund(order: CommerceOrder, refunds: CommerceRefund[], rounding: TaxRounding = DEFAULT_TAX_ROUNDING): CommerceRefund {
  // The buyer's side is worked out from the buyer's amounts, when the shop gave every refund in them too.
  const buyerRefunds = refunds.flatMap((refund) => (refund.presentment ? [refund.presentment] : []));
  const presentment = order.presentment && buyerRefunds.length === refunds.length ? { presentment: cancellationRefund(order.presentment, buyerRefunds, rounding) } : {};
  const money = amountsIn(order.currency);
  const refundedUnits = new Map<string, number>();
  for (const line of refunds.flatMap((refund) => refund.lines)) refundedUnits.set(line.lineId, (refundedUnits.get(line.lineId) ?? 0) + line.quantity);
  const lines: CommerceRefundLine[] = [];
  for (const line of order.lines) {
    const remaining = line.quantity - (refundedUnits.get(line.id) ?? 0);
    if (remaining <= 0) continue;
    const lineTax = line.taxLines.reduce((sum, tax) => sum + money.minor(tax.amount), 0);
    const subtotal = money.minor(line.unitPrice) * line.quantity - money.minor(line.discount);
    lines.push({ lineId: line.id, quantity: remaining, subtotal: money.amount(share(subtotal, remaining, line.quantity)), tax: money.amount(share(lineTax, remaining, line.quantity)), restock: true });
  }
  const shippingMinor = money.minor(order.totalShipping) - refunds.reduce((sum, refund) => sum + money.minor(refund.shipping?.amount ?? '0'), 0);
  const shippingTaxMinor =
    order.shippingLines.flatMap((line) => line.taxLines).reduce((sum, tax) => sum + money.minor(tax.amount), 0) -
    refunds.reduce((sum, refund) => sum + money.minor(refund.shipping?.tax ?? '0'), 0);
  const total = money.minor(order.total) - refunds.reduce((sum, refund) => sum + money.minor(refund.total), 0);
  const shipping = shippingMinor > 0 ? { amount: money.amount(shippingMinor), tax: money.amount(Math.max(0, shippingTaxMinor)) } : null;
  // Refunds of an amount alone gave back a share of every line: what is left of each is that much less.
  const rates = [...lines.map((line) => oneChargedRate(order.lines.find((sold) => sold.id === line.lineId)!)), ...(shipping ? [oneChargedRate({ taxable: true, taxLines: order.shippingLines.flatMap((line) => line.taxLines) })] : [])];
  const scaled = refunds.some(isAmountOnlyRefund) ? scaledToTotal(lines, shipping, total, order.taxesIncluded, money, rates, rounding) : { lines, shipping };
  return {
    id: CANCELLATION_REFUND_ID,
    orderId: order.id,
    createdAt: order.cancelledAt ?? order.updatedAt,
    note: null,
    ...scaled,
    total: money.amount(total),
    ...presentment,
  };
}

/** Lines and shipping scaled down together (each keeping its tax's share) so that they come to `totalMinor` exactly. */
function scaledToTotal(
  lines: CommerceRefundLine[],
  shipping: CommerceRefund['shipping'],
  totalMinor: number,
  taxesIncluded: boolean,
  money: Amounts,
  rates: Array<ChargedRate | null>,
  rounding: TaxRounding,
): Pick<CommerceRefund, 'lines' | 'shipping'> {
  const parts = [...lines.map((line) => ({ amount: line.subtotal, tax: line.tax })), ...(shipping ? [shipping] : [])];
  const paid = parts.map((part) => money.minor(part.amount) + (taxesIncluded ? 0 : money.minor(part.tax)));
  if (totalMinor <= 0 || paid.reduce((a, b) => a + b, 0) <= totalMinor) return { lines, shipping };
  const shares = spreadCents(totalMinor, paid);
  const taxes = parts.map((part, index) => (paid[index] === 0 ? 0 : Math.round((shares[index]! * money.minor(part.tax)) / paid[index]!)));
  if (!taxesIncluded && rounding === 'per-line') settlePerLine(shares, taxes, rates);
  else if (!taxesIncluded) settleOncePerRate(shares, taxes, parts.map((part) => money.minor(part.tax)), rates);
  const rescaled = parts.map((_, index) => ({ amount: money.amount(taxesIncluded ? shares[index]! : shares[index]! - taxes[index]!), tax: money.amount(taxes[index]!) }));
  return {
    lines: lines.map((line, index) => ({ ...line, subtotal: rescaled[index]!.amount, tax: rescaled[index]!.tax })),
    shipping: shipping ? rescaled[lines.length]! : null,
  };
}

/** The one rate a line (or the shipping) was charged, keyed by its title; null when untaxed or charged several. */
interface ChargedRate {
  key: string;
  rate: number;
}

function oneChargedRate(line: Pick<CommerceOrderLine, 'taxable' | 'taxLines'>): ChargedRate | null {
  const charged = line.taxable ? line.taxLines.filter((tax) => tax.rate > 0) : [];
  const [only, ...others] = charged;
  return only && others.length === 0 ? { key: `${only.title.trim()}@${only.rate}`, rate: only.rate } : null;
}

/** The parts (by index) charged each one rate. */
function partsByRate(rates: Array<ChargedRate | null>): Array<{ rate: number; indexes: number[] }> {
  const groups = new Map<string, { rate: number; indexes: number[] }>();
  rates.forEach((charged, index) => {
    if (!charged) return;
    const group = groups.get(charged.key) ?? { rate: charged.rate, indexes: [] };
    group.indexes.push(index);
    groups.set(charged.key, group);
  });
  return [...groups.values()];
}

/**
 * Taxes of parts charged the same one rate, settled so that their nets' tax, rounded once per rate as QuickBooks
 * Online does, is their tax (each part's share unchanged; the rate's tax spread over the parts as the sale had it).
 * Where no net makes up the rate's share, the per-part taxes stay.
 */
function settleOncePerRate(shares: number[], taxes: number[], soldTaxes: number[], rates: Array<ChargedRate | null>): void {
  for (const { rate, indexes } of partsByRate(rates)) {
    const shareMinor = indexes.reduce((sum, index) => sum + shares[index]!, 0);
    const net = netMakingUpGross(shareMinor, rate);
    if (net === undefined) continue;
    const weights = indexes.map((index) => soldTaxes[index]!);
    const spread = spreadCents(shareMinor - net, weights.some((weight) => weight > 0) ? weights : indexes.map((index) => shares[index]!));
    if (indexes.some((index, position) => spread[position]! > shares[index]!)) continue;
    indexes.forEach((index, position) => (taxes[index] = spread[position]!));
  }
}

/**
 * Taxes of parts charged one rate, settled so that each part's tax is its net's at the rate, rounded on its own as
 * a per-line ledger (Xero) works it out. A part whose share no net makes up (a cent the rate skips) trades a cent
 * with another part at the same rate, so both can; the shares still add up to the same total.
 */
function settlePerLine(shares: number[], taxes: number[], rates: Array<ChargedRate | null>): void {
  for (const { rate, indexes } of partsByRate(rates)) {
    const makes = (shareMinor: number) => shareMinor > 0 && netMakingUpGross(shareMinor, rate) !== undefined;
    for (const index of indexes) {
      if (makes(shares[index]!)) continue;
      const trades = [1, -1].flatMap((cent) => indexes.filter((other) => other !== index).map((other) => ({ other, cent })));
      const trade = trades.find(({ other, cent }) => makes(shares[index]! + cent) && makes(shares[other]! - cent));
      if (!trade) continue;
      shares[index] = shares[index]! + trade.cent;
      shares[trade.other] = shares[trade.other]! - trade.cent;
    }
    for (const index of indexes) {
      const net = shares[index]! > 0 ? netMakingUpGross(shares[index]!, rate) : undefined;
      if (net !== undefined) taxes[index] = shares[index]! - net;
    }
  }
}

/**
 * The refund in the shape of an order, so that the order's mapping (SKUs, tax codes, the ledger's tax setup) maps
 * its lines exactly as it mapped the sale's: each line is the sale's line with the refunded units, the discount
 * that makes its amount the refunded subtotal, and the sale's tax lines scaled to the refunded tax.
 */
export function refundAsOrder(order: CommerceOrder, refund: CommerceRefund): CommerceOrder {
  // The buyer's side of the refund, from the buyer's side of the sale; never the sale's own buyer amounts.
  const { presentment: soldToBuyer, ...shopSide } = order;
  const presentment = soldToBuyer && refund.presentment ? { presentment: refundAsOrder(soldToBuyer, refund.presentment) } : {};
  const money = amountsIn(order.currency);
  if (isAmountOnlyRefund(refund) && money.minor(refund.total) > 0) {
    // No lines named (WooCommerce's "refund an amount", Squarespace's refunds): spread over the sale, like its tax.
    const spread = amountOnlyRefundLines(order, refund);
    const taxesOf = (taxLines: CommerceTaxLine[]) => taxLines.reduce((sum, tax) => sum + money.minor(tax.amount), 0);
    const taxMinor = spread.lines.reduce((sum, line) => sum + taxesOf(line.taxLines), 0) + spread.shippingLines.reduce((sum, line) => sum + taxesOf(line.taxLines), 0);
    return {
      ...shopSide,
      ...presentment,
      note: refund.note,
      lines: spread.lines,
      shippingLines: spread.shippingLines,
      taxLines: [],
      totalDiscount: money.amount(0),
      totalTax: money.amount(taxMinor),
      totalShipping: money.amount(spread.shippingLines.reduce((sum, line) => sum + money.minor(line.price), 0)),
      total: refund.total,
      currentTotal: refund.total,
    };
  }
  const lines: CommerceOrderLine[] = refund.lines.map((refunded) => {
    const sold = order.lines.find((line) => line.id === refunded.lineId);
    if (!sold) throw new Error(`refund ${refund.id} gives back line ${refunded.lineId}, which order ${order.name} does not have`);
    const gross = money.minor(sold.unitPrice) * refunded.quantity;
    return {
      ...sold,
      quantity: refunded.quantity,
      discount: money.amount(Math.max(0, gross - money.minor(refunded.subtotal))),
      taxLines: scaledTaxLines(sold.taxLines, money.minor(refunded.tax), money),
      title: refunded.restock ? sold.title : `${sold.title} (not restocked)`,
    };
  });
  const soldShippingTaxes = order.shippingLines.flatMap((line) => line.taxLines);
  const shippingLines = refund.shipping ? [{ title: 'Shipping refund', price: refund.shipping.amount, taxLines: scaledTaxLines(soldShippingTaxes, money.minor(refund.shipping.tax), money) }] : [];
  const taxMinor = refund.lines.reduce((sum, line) => sum + money.minor(line.tax), 0) + money.minor(refund.shipping?.tax ?? '0');
  return {
    ...shopSide,
    ...presentment,
    note: refund.note,
    lines,
    shippingLines,
    taxLines: [],
    totalDiscount: money.amount(lines.reduce((sum, line) => sum + money.minor(line.discount), 0)),
    totalTax: money.amount(taxMinor),
    totalShipping: refund.shipping?.amount ?? money.amount(0),
    total: refund.total,
    currentTotal: refund.total,
  };
}

/** `amount` × part / whole, rounded to the currency's minor unit. */
function share(amountMinor: number, part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((amountMinor * part) / whole);
}

/** The sale's tax lines (same titles and rates) holding `totalMinor` between them, in the sale's proportions. */
function scaledTaxLines(taxLines: CommerceTaxLine[], totalMinor: number, money: Amounts): CommerceTaxLine[] {
  if (taxLines.length === 0) return [];
  const soldMinor = taxLines.reduce((sum, tax) => sum + money.minor(tax.amount), 0);
  let left = totalMinor;
  return taxLines.map((tax, index) => {
    const minor = index === taxLines.length - 1 ? left : soldMinor === 0 ? 0 : Math.round((money.minor(tax.amount) * totalMinor) / soldMinor);
    left -= minor;
    return { ...tax, amount: money.amount(minor) };
  });
}
