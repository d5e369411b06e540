import { amountsIn, normalizeAmount } from '../../domain/money.js';
import type { EmulatedOrder, EmulatedTaxLine } from './model.js';

/** The checkout totals Shopify derives from an order's lines, in shop currency. */
export interface OrderTotals {
  subtotal: string;
  /** Product and shipping discounts. */
  totalDiscounts: string;
  /** Shipping before discounts, as Shopify's totalShippingPriceSet. */
  totalShipping: string;
  totalTax: string;
  total: string;
  /**
   * The total after returns (`currentTotalPriceSet`, REST `current_total_price`): the total less the refunded units
   * (their discounted price, and their tax unless prices include it). Refunded shipping stays in it [U]: the schema
   * says "after returns" (FIDELITY.md); the product accepts either reading.
   */
  currentTotal: string;
  /** Order-level tax lines: line and shipping taxes summed per title and rate. */
  taxLines: EmulatedTaxLine[];
}

export function orderTotals(order: EmulatedOrder): OrderTotals {
  const { minor: toCents, amount: fromCents } = amountsIn(order.currency);
  let subtotal = 0;
  let discounts = 0;
  let shipping = 0;
  let shippingBeforeDiscounts = 0;
  const taxes = new Map<string, EmulatedTaxLine & { cents: number }>();
  const addTaxes = (lines: EmulatedTaxLine[]) => {
    for (const line of lines) {
      const key = `${line.title}|${line.rate}`;
      const entry = taxes.get(key) ?? { ...line, cents: 0 };
      entry.cents += toCents(line.amount);
      taxes.set(key, entry);
    }
  };
  for (const item of order.lineItems) {
    const discount = toCents(item.discount);
    subtotal += toCents(item.unitPrice) * item.quantity - discount;
    discounts += discount;
    addTaxes(item.taxLines);
  }
  for (const line of order.shippingLines) {
    shipping += toCents(line.discountedPrice);
    shippingBeforeDiscounts += toCents(line.price);
    discounts += toCents(line.price) - toCents(line.discountedPrice);
    addTaxes(line.taxLines);
  }
  const taxLines = [...taxes.values()].map(({ title, rate, cents }) => ({ title, rate, amount: fromCents(cents) }));
  const tax = taxLines.reduce((sum, line) => sum + toCents(line.amount), 0);
  // With taxes included, prices already contain the tax; otherwise it is added on top.
  const total = subtotal + shipping + (order.taxesIncluded ? 0 : tax);
  const returned = (order.refunds ?? []).flatMap((refund) => refund.lines).reduce((sum, line) => sum + toCents(line.subtotal) + (order.taxesIncluded ? 0 : toCents(line.totalTax)), 0);
  return {
    currentTotal: fromCents(total - returned),
    subtotal: fromCents(subtotal),
    totalDiscounts: fromCents(discounts),
    totalShipping: fromCents(shippingBeforeDiscounts),
    totalTax: fromCents(tax),
    total: fromCents(total),
    taxLines,
  };
}

/** An amount in the buyer's (presentment) currency, rounded to that currency's minor units. */
export function toPresentment(order: EmulatedOrder, amount: string): string {
  return normalizeAmount(Number(amount) * order.presentmentRate, order.presentmentCurrency);
}

/**
 * The order as the buyer saw it: every price, discount and tax converted on its own, so that the presentment
 * totals are the sums of the presentment parts (what the buyer's checkout added up), like the shop's are.
 */
function sumIn(currency: string, amounts: string[]): string {
  const money = amountsIn(currency);
  return money.amount(amounts.reduce((sum, amount) => sum + money.minor(amount), 0));
}

export function inPresentment(order: EmulatedOrder): EmulatedOrder {
  const convert = (amount: string) => toPresentment(order, amount);
  const taxes = (lines: EmulatedTaxLine[]) => lines.map((line) => ({ ...line, amount: convert(line.amount) }));
  return {
    ...order,
    currency: order.presentmentCurrency,
    presentmentRate: 1,
    lineItems: order.lineItems.map((line) => ({
      ...line,
      unitPrice: convert(line.unitPrice),
      ...(line.discountAllocations
        ? { discountAllocations: line.discountAllocations.map(convert), discount: sumIn(order.presentmentCurrency, line.discountAllocations.map(convert)) }
        : { discount: convert(line.discount) }),
      taxLines: taxes(line.taxLines),
    })),
    shippingLines: order.shippingLines.map((line) => ({ ...line, price: convert(line.price), discountedPrice: convert(line.discountedPrice), taxLines: taxes(line.taxLines) })),
  };
}
