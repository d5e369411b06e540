import type { CommerceOrder, CommerceOrderLine, CommerceShippingLine, CommerceTaxLine } from '../../domain/commerce-order.js';
import { fromMinor, spreadCents, toMinor } from '../../domain/money.js';
import type { SquarespaceMoney, SquarespaceOrder, SquarespaceTax, SquarespaceTransactionDocument } from './order-shape.js';

/** Money's value in its currency's minor units; a null amount (documented fields may be null) is zero. */
export const cents = (money: SquarespaceMoney | null | undefined): number => (money ? toMinor(String(money.value), money.currency) : 0);

const taxLinesOf = (taxes: SquarespaceTax[] | null | undefined, currency: string): CommerceTaxLine[] =>
  (taxes ?? []).map((tax) => ({ title: tax.name ?? tax.jurisdiction ?? 'Tax', rate: Number(tax.rate ?? 0) || 0, amount: fromMinor(cents(tax.amount), currency) }));

/** The canonical payment state in the words Shopify's financial status uses (the engine's vocabulary). */
function financialStatus(order: SquarespaceOrder): string {
  if (order.fulfillmentStatus === 'CANCELED') return 'voided';
  switch (order.paymentState) {
    case 'REFUNDED':
      return cents(order.refundedTotal) >= cents(order.grandTotal) ? 'refunded' : 'partially_refunded';
    case 'PARTIALLY_PAID':
      return 'partially_paid';
    case 'AUTHORIZED':
      return 'authorized';
    case 'PENDING':
    case 'NOT_CHARGED':
      return 'pending';
    case 'FAILED':
      return 'failed';
    default:
      return 'paid';
  }
}

/**
 * Squarespace order (+ its transaction document) → CommerceOrder. An order carries only `taxTotal`: per-line and
 * shipping taxes, with their rates, and each line's share of the order's discounts come from the Transactions
 * document. Without one (not readable, or no payment yet) the discount is spread over the lines by their amount
 * and the tax is one order-level line. Amounts reconcile: Σ(unitPrice × quantity) − totalDiscount + totalShipping
 * + (INCLUSIVE ? 0 : totalTax) = grandTotal.
 */
export function toCommerceOrder(order: SquarespaceOrder, document: SquarespaceTransactionDocument | null): CommerceOrder {
  const currency = order.grandTotal.currency;
  const fromCents = (minor: number) => fromMinor(minor, currency);
  const items = order.lineItems ?? [];
  const documentLines = new Map((document?.salesLineItems ?? []).map((line) => [line.id, line]));
  const lineAmounts = items.map((line) => cents(line.unitPricePaid) * line.quantity);
  const discountTotal = cents(order.discountTotal);
  const fromDocument = items.map((line) => cents(documentLines.get(line.id)?.discountAmount));
  // The document's shares only when they account for the whole discount (line ids matched).
  const discounts = fromDocument.reduce((a, b) => a + b, 0) === discountTotal ? fromDocument : spreadCents(discountTotal, lineAmounts);
  const taxTotal = cents(order.taxTotal);
  const withDocumentTaxes = document !== null && documentLines.size > 0;

  const lines: CommerceOrderLine[] = items.map((line, i) => {
    const taxLines = withDocumentTaxes ? taxLinesOf(documentLines.get(line.id)?.taxes, currency) : [];
    return {
      id: line.id,
      // SKUs are optional in Squarespace; an empty one is none.
      sku: line.sku ? line.sku : null,
      title: line.productName ?? 'Item',
      quantity: line.quantity,
      unitPrice: fromCents(cents(line.unitPricePaid)),
      discount: fromCents(discounts[i]!),
      taxable: withDocumentTaxes ? taxLines.length > 0 : taxTotal > 0,
      taxLines,
    };
  });
  const shippingDocument = document?.shippingLineItems ?? [];
  const shippingLines: CommerceShippingLine[] = (order.shippingLines ?? []).map((line, i) => ({
    title: line.method ?? 'Shipping',
    price: fromCents(cents(line.amount)),
    taxLines: withDocumentTaxes ? taxLinesOf(shippingDocument[i]?.taxes, currency) : [],
  }));
  const email = order.customerEmail ? order.customerEmail : null;
  return {
    id: order.id,
    name: `#${String(order.orderNumber)}`,
    createdAt: order.createdOn,
    updatedAt: order.modifiedOn,
    currency,
    taxesIncluded: order.priceTaxInterpretation === 'INCLUSIVE',
    financialStatus: financialStatus(order),
    // Squarespace records no cancellation time: the change that cancelled it is the last modification.
    cancelledAt: order.fulfillmentStatus === 'CANCELED' ? order.modifiedOn : null,
    note: null,
    email,
    customer:
      order.customerId || email
        ? { id: order.customerId ?? null, email, firstName: order.billingAddress?.firstName || null, lastName: order.billingAddress?.lastName || null }
        : null,
    lines,
    shippingLines,
    taxLines: withDocumentTaxes ? orderTaxLines([...lines.flatMap((l) => l.taxLines), ...shippingLines.flatMap((l) => l.taxLines)], currency) : taxTotal > 0 ? [{ title: 'Tax', rate: 0, amount: fromCents(taxTotal) }] : [],
    totalDiscount: fromCents(discountTotal),
    totalTax: fromCents(taxTotal),
    totalShipping: fromCents(cents(order.shippingTotal)),
    total: fromCents(cents(order.grandTotal)),
    currentTotal: fromCents(cents(order.grandTotal) - cents(order.refundedTotal)),
  };
}

/** The order's taxes by name and rate, summed over lines and shipping. */
function orderTaxLines(all: CommerceTaxLine[], currency: string): CommerceTaxLine[] {
  const byKey = new Map<string, { title: string; rate: number; cents: number }>();
  for (const tax of all) {
    const key = `${tax.title}|${tax.rate}`;
    const entry = byKey.get(key) ?? { title: tax.title, rate: tax.rate, cents: 0 };
    entry.cents += toMinor(tax.amount, currency);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map((entry) => ({ title: entry.title, rate: entry.rate, amount: fromMinor(entry.cents, currency) }));
}
