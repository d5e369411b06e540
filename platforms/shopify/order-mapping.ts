import type { CommerceOrder, CommerceTaxLine } from '../../domain/commerce-order.js';
import { fromCents, toCents } from '../../domain/money.js';
import type { LineItemData, OrderData, TaxLineData } from './order-query.js';

/**
 * Shopify order → CommerceOrder, in shop currency. Amounts reconcile by construction:
 * Σ(unitPrice × quantity) − totalDiscount + totalShipping + (taxesIncluded ? 0 : totalTax) = total.
 * So `totalDiscount` holds product discounts only and shipping lines carry the price actually charged;
 * Shopify's totalDiscountsSet (which also holds shipping discounts) is not used.
 */
export function toCommerceOrder(order: OrderData, lineItems: LineItemData[], customerDataWithheld: string | null = null): CommerceOrder {
  const lines = lineItems.map((line) => ({
    id: numericId(line.id),
    sku: line.sku ?? line.variant?.sku ?? null,
    title: line.name,
    quantity: line.quantity,
    unitPrice: line.originalUnitPriceSet.shopMoney.amount,
    discount: fromCents(line.discountAllocations.reduce((sum, d) => sum + toCents(d.allocatedAmountSet.shopMoney.amount), 0)),
    taxable: line.taxable,
    taxLines: line.taxLines.map(taxLine),
  }));
  const shippingLines = order.shippingLines.nodes.map((line) => ({
    title: line.title,
    price: line.discountedPriceSet.shopMoney.amount,
    taxLines: line.taxLines.map(taxLine),
  }));
  return {
    id: order.legacyResourceId,
    name: order.name,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    currency: order.currencyCode,
    taxesIncluded: order.taxesIncluded,
    // Lower case, as Shopify's REST API and webhooks spell it: "paid", "partially_refunded".
    financialStatus: (order.displayFinancialStatus ?? 'PENDING').toLowerCase(),
    cancelledAt: order.cancelledAt,
    note: order.note,
    email: order.email,
    customer: order.customer
      ? {
          id: order.customer.legacyResourceId,
          email: order.customer.email,
          firstName: order.customer.firstName,
          lastName: order.customer.lastName,
        }
      : null,
    ...(customerDataWithheld ? { customerDataWithheld } : {}),
    lines,
    shippingLines,
    taxLines: order.taxLines.map(taxLine),
    totalDiscount: fromCents(lines.reduce((sum, line) => sum + toCents(line.discount), 0)),
    totalTax: order.totalTaxSet?.shopMoney.amount ?? '0.00',
    totalShipping: fromCents(shippingLines.reduce((sum, line) => sum + toCents(line.price), 0)),
    total: order.totalPriceSet.shopMoney.amount,
    currentTotal: order.currentTotalPriceSet?.shopMoney.amount ?? order.totalPriceSet.shopMoney.amount,
  };
}

function taxLine(line: TaxLineData): CommerceTaxLine {
  return { title: line.title, rate: line.rate ?? 0, amount: line.priceSet.shopMoney.amount };
}

/** `gid://shopify/LineItem/123` → `123`. */
function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}
