import type { CommerceOrder, CommerceTaxLine } from '../../domain/commerce-order.js';
import { amountsIn, type Amounts } from '../../domain/money.js';
import type { LineItemData, MoneyBagData, OrderData, TaxLineData } from './order-query.js';

/** Which side of Shopify's MoneyBag an order is read in: the shop's currency, or the buyer's. */
type MoneySide = 'shopMoney' | 'presentmentMoney';

/**
 * Shopify order → CommerceOrder, in shop currency; an order the buyer paid in another currency (presentment ≠ shop)
 * carries the same order in the buyer's currency as `presentment`, read from presentmentMoney, for a route that
 * books what the buyer paid. Amounts are written in each currency's minor units ("1200" JPY). They reconcile by construction:
 * Σ(unitPrice × quantity) − totalDiscount + totalShipping + (taxesIncluded ? 0 : totalTax) = total.
 * So `totalDiscount` holds product discounts only and shipping lines carry the price actually charged;
 * Shopify's totalDiscountsSet (which also holds shipping discounts) is not used.
 */
export function toCommerceOrder(order: OrderData, lineItems: LineItemData[], customerDataWithheld: string | null = null): CommerceOrder {
  const inShopCurrency = orderIn('shopMoney', order, lineItems, customerDataWithheld);
  const presentmentCurrency = order.totalPriceSet.presentmentMoney?.currencyCode;
  if (!presentmentCurrency || presentmentCurrency === inShopCurrency.currency) return inShopCurrency;
  return { ...inShopCurrency, presentment: orderIn('presentmentMoney', order, lineItems, customerDataWithheld) };
}

function orderIn(side: MoneySide, order: OrderData, lineItems: LineItemData[], customerDataWithheld: string | null): CommerceOrder {
  const currency = (side === 'shopMoney' ? order.totalPriceSet.shopMoney.currencyCode : order.totalPriceSet.presentmentMoney?.currencyCode) ?? order.currencyCode;
  const money = amountsIn(currency);
  const amount = (bag: MoneyBagData | null | undefined) => money.amount(money.minor(bagSide(bag, side)?.amount ?? '0'));
  const taxLine = (line: TaxLineData): CommerceTaxLine => ({ title: line.title, rate: line.rate ?? 0, amount: amount(line.priceSet) });
  const lines = lineItems.map((line) => ({
    id: numericId(line.id),
    sku: line.sku ?? line.variant?.sku ?? null,
    title: line.name,
    quantity: line.quantity,
    unitPrice: amount(line.originalUnitPriceSet),
    discount: money.amount(line.discountAllocations.reduce((sum, d) => sum + money.minor(amount(d.allocatedAmountSet)), 0)),
    taxable: line.taxable,
    taxLines: line.taxLines.map(taxLine),
  }));
  const shippingLines = order.shippingLines.nodes.map((line) => ({
    title: line.title,
    price: amount(line.discountedPriceSet),
    taxLines: line.taxLines.map(taxLine),
  }));
  return {
    id: order.legacyResourceId,
    name: order.name,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    currency,
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
    totalDiscount: sumOf(lines.map((line) => line.discount), money),
    totalTax: amount(order.totalTaxSet),
    totalShipping: sumOf(shippingLines.map((line) => line.price), money),
    total: amount(order.totalPriceSet),
    currentTotal: amount(order.currentTotalPriceSet ?? order.totalPriceSet),
  };
}

function bagSide(bag: MoneyBagData | null | undefined, side: MoneySide): { amount: string } | undefined {
  return bag?.[side] ?? undefined;
}

function sumOf(amounts: string[], money: Amounts): string {
  return money.amount(amounts.reduce((sum, amount) => sum + money.minor(amount), 0));
}

/** `gid://shopify/LineItem/123` → `123`. */
function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}
