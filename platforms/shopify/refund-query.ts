import { amountsIn } from '../../domain/money.js';
import type { CommerceRefund } from '../../domain/commerce-refund.js';
import type { MoneyBagData } from './order-query.js';

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

/** An order's refunds, ids only: cheap at any count (Shopify's Order.refunds takes `first`, no pages). */
export const ORDER_REFUND_IDS_QUERY = `#graphql
  query LedgerbridgeOrderRefundIds($id: ID!, $refundsFirst: Int!) {
    order(id: $id) { id refunds(first: $refundsFirst) { id createdAt } }
  }`;

/** One refund: what it gave back line by line, shipping, and its total. 50 lines keep it far under the cost limit (more on one refund: see README). */
export const REFUND_QUERY = `#graphql
  query LedgerbridgeRefund($id: ID!) {
    refund(id: $id) {
      id legacyResourceId createdAt note
      totalRefundedSet { ${MONEY} }
      refundLineItems(first: 50) {
        nodes { lineItem { id } quantity restockType subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} } }
      }
      refundShippingLines(first: 5) {
        nodes { subtotalAmountSet { ${MONEY} } taxAmountSet { ${MONEY} } }
      }
    }
  }`;

export interface RefundData {
  id: string;
  legacyResourceId: string;
  createdAt: string;
  note: string | null;
  totalRefundedSet: MoneyBagData;
  refundLineItems: { nodes: Array<{ lineItem: { id: string }; quantity: number; restockType: string; subtotalSet: MoneyBagData; totalTaxSet: MoneyBagData }> };
  refundShippingLines: { nodes: Array<{ subtotalAmountSet: MoneyBagData; taxAmountSet: MoneyBagData }> };
}

/**
 * Shopify refund → CommerceRefund, in shop currency; a refund the buyer got in another currency (presentment ≠ shop)
 * carries the same refund in the buyer's currency as `presentment`, for a route that booked the sale in it.
 * NO_RESTOCK lines stay out of stock; the others go back.
 */
export function toCommerceRefund(orderId: string, refund: RefundData): CommerceRefund {
  const inShopCurrency = refundIn('shopMoney', orderId, refund);
  const buyer = refund.totalRefundedSet.presentmentMoney;
  if (!buyer || buyer.currencyCode === refund.totalRefundedSet.shopMoney.currencyCode) return inShopCurrency;
  return { ...inShopCurrency, presentment: refundIn('presentmentMoney', orderId, refund) };
}

function refundIn(side: 'shopMoney' | 'presentmentMoney', orderId: string, refund: RefundData): CommerceRefund {
  const currency = (refund.totalRefundedSet[side] ?? refund.totalRefundedSet.shopMoney).currencyCode;
  const money = amountsIn(currency);
  const amount = (bag: MoneyBagData) => money.amount(money.minor((bag[side] ?? bag.shopMoney).amount));
  const shippingMinor = refund.refundShippingLines.nodes.reduce((sum, line) => sum + money.minor(amount(line.subtotalAmountSet)), 0);
  const shippingTaxMinor = refund.refundShippingLines.nodes.reduce((sum, line) => sum + money.minor(amount(line.taxAmountSet)), 0);
  return {
    id: refund.legacyResourceId,
    orderId,
    createdAt: refund.createdAt,
    note: refund.note,
    lines: refund.refundLineItems.nodes.map((line) => ({
      lineId: line.lineItem.id.slice(line.lineItem.id.lastIndexOf('/') + 1),
      quantity: line.quantity,
      subtotal: amount(line.subtotalSet),
      tax: amount(line.totalTaxSet),
      restock: line.restockType !== 'NO_RESTOCK',
    })),
    shipping: shippingMinor > 0 ? { amount: money.amount(shippingMinor), tax: money.amount(shippingTaxMinor) } : null,
    total: amount(refund.totalRefundedSet),
  };
}
