import type { CommerceOrder, CommerceOrderLine, CommerceTaxLine } from './commerce-order.js';
import { fromCents, toCents } from './money.js';

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
}

/** The refund id of a cancellation's reversal: one per order. */
export const CANCELLATION_REFUND_ID = 'cancellation';

/**
 * A cancelled order's reversal: everything the sale booked that no refund has given back yet, line by line.
 * A line partly refunded before reverses its remaining units at the same share of discount and tax.
 */
export function cancellationRefund(order: CommerceOrder, refunds: CommerceRefund[]): CommerceRefund {
  const refundedUnits = new Map<string, number>();
  for (const line of refunds.flatMap((refund) => refund.lines)) refundedUnits.set(line.lineId, (refundedUnits.get(line.lineId) ?? 0) + line.quantity);
  const lines: CommerceRefundLine[] = [];
  for (const line of order.lines) {
    const remaining = line.quantity - (refundedUnits.get(line.id) ?? 0);
    if (remaining <= 0) continue;
    const lineTax = line.taxLines.reduce((sum, tax) => sum + toCents(tax.amount), 0);
    const subtotal = toCents(line.unitPrice) * line.quantity - toCents(line.discount);
    lines.push({ lineId: line.id, quantity: remaining, subtotal: fromCents(share(subtotal, remaining, line.quantity)), tax: fromCents(share(lineTax, remaining, line.quantity)), restock: true });
  }
  const shippingCents = toCents(order.totalShipping) - refunds.reduce((sum, refund) => sum + toCents(refund.shipping?.amount ?? '0'), 0);
  const shippingTaxCents =
    order.shippingLines.flatMap((line) => line.taxLines).reduce((sum, tax) => sum + toCents(tax.amount), 0) -
    refunds.reduce((sum, refund) => sum + toCents(refund.shipping?.tax ?? '0'), 0);
  const total = toCents(order.total) - refunds.reduce((sum, refund) => sum + toCents(refund.total), 0);
  return {
    id: CANCELLATION_REFUND_ID,
    orderId: order.id,
    createdAt: order.cancelledAt ?? order.updatedAt,
    note: null,
    lines,
    shipping: shippingCents > 0 ? { amount: fromCents(shippingCents), tax: fromCents(Math.max(0, shippingTaxCents)) } : null,
    total: fromCents(total),
  };
}

/**
 * The refund in the shape of an order, so that the order's mapping (SKUs, tax codes, the ledger's tax setup) maps
 * its lines exactly as it mapped the sale's: each line is the sale's line with the refunded units, the discount
 * that makes its amount the refunded subtotal, and the sale's tax lines scaled to the refunded tax.
 */
export function refundAsOrder(order: CommerceOrder, refund: CommerceRefund): CommerceOrder {
  const lines: CommerceOrderLine[] = refund.lines.map((refunded) => {
    const sold = order.lines.find((line) => line.id === refunded.lineId);
    if (!sold) throw new Error(`refund ${refund.id} gives back line ${refunded.lineId}, which order ${order.name} does not have`);
    const gross = toCents(sold.unitPrice) * refunded.quantity;
    return {
      ...sold,
      quantity: refunded.quantity,
      discount: fromCents(Math.max(0, gross - toCents(refunded.subtotal))),
      taxLines: scaledTaxLines(sold.taxLines, toCents(refunded.tax)),
      title: refunded.restock ? sold.title : `${sold.title} (not restocked)`,
    };
  });
  const soldShippingTaxes = order.shippingLines.flatMap((line) => line.taxLines);
  const shippingLines = refund.shipping ? [{ title: 'Shipping refund', price: refund.shipping.amount, taxLines: scaledTaxLines(soldShippingTaxes, toCents(refund.shipping.tax)) }] : [];
  const taxCents = refund.lines.reduce((sum, line) => sum + toCents(line.tax), 0) + toCents(refund.shipping?.tax ?? '0');
  return {
    ...order,
    note: refund.note,
    lines,
    shippingLines,
    taxLines: [],
    totalDiscount: fromCents(lines.reduce((sum, line) => sum + toCents(line.discount), 0)),
    totalTax: fromCents(taxCents),
    totalShipping: refund.shipping?.amount ?? '0.00',
    total: refund.total,
    currentTotal: refund.total,
  };
}

/** `amount` × part / whole, rounded to the cent. */
function share(amountCents: number, part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((amountCents * part) / whole);
}

/** The sale's tax lines (same titles and rates) holding `totalCents` between them, in the sale's proportions. */
function scaledTaxLines(taxLines: CommerceTaxLine[], totalCents: number): CommerceTaxLine[] {
  if (taxLines.length === 0) return [];
  const soldCents = taxLines.reduce((sum, tax) => sum + toCents(tax.amount), 0);
  let left = totalCents;
  return taxLines.map((tax, index) => {
    const cents = index === taxLines.length - 1 ? left : soldCents === 0 ? 0 : Math.round((toCents(tax.amount) * totalCents) / soldCents);
    left -= cents;
    return { ...tax, amount: fromCents(cents) };
  });
}
