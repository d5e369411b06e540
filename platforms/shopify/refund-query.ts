import { amountsIn } from '../../domain/money.js';
import type { CommerceRefund } from '../../domain/commerce-refund.js';
import type { MoneyBagData } from './order-query.js';

const MONEY = 'shopMoney { amount currencyCode }';

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

/** Shopify refund → CommerceRefund, in shop currency. NO_RESTOCK lines stay out of stock; the others go back. */
export function toCommerceRefund(orderId: string, refund: RefundData): CommerceRefund {
  const money = amountsIn(refund.totalRefundedSet.shopMoney.currencyCode);
  const shippingMinor = refund.refundShippingLines.nodes.reduce((sum, line) => sum + money.minor(line.subtotalAmountSet.shopMoney.amount), 0);
  const shippingTaxMinor = refund.refundShippingLines.nodes.reduce((sum, line) => sum + money.minor(line.taxAmountSet.shopMoney.amount), 0);
  return {
    id: refund.legacyResourceId,
    orderId,
    createdAt: refund.createdAt,
    note: refund.note,
    lines: refund.refundLineItems.nodes.map((line) => ({
      lineId: line.lineItem.id.slice(line.lineItem.id.lastIndexOf('/') + 1),
      quantity: line.quantity,
      subtotal: money.amount(money.minor(line.subtotalSet.shopMoney.amount)),
      tax: money.amount(money.minor(line.totalTaxSet.shopMoney.amount)),
      restock: line.restockType !== 'NO_RESTOCK',
    })),
    shipping: shippingMinor > 0 ? { amount: money.amount(shippingMinor), tax: money.amount(shippingTaxMinor) } : null,
    total: money.amount(money.minor(refund.totalRefundedSet.shopMoney.amount)),
  };
}
