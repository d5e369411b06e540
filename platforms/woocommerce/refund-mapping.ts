import type { CommerceOrder } from '../../domain/commerce-order.js';
import type { CommerceRefund, CommerceRefundLine } from '../../domain/commerce-refund.js';
import { amountsIn } from '../../domain/money.js';

/** A refunded line of a wc/v3 refund: WooCommerce's negative quantity and amounts (woocommerce.md §3). */
interface WooRefundItem {
  id: number;
  product_id?: number;
  variation_id?: number;
  name?: string;
  quantity?: number;
  total: string;
  total_tax: string;
  meta_data?: Array<{ key: string; value: unknown }>;
}

/**
 * `GET /wc/v3/orders/{id}/refunds` item, the parts read: `amount` positive, line items negative. Shipping and fee
 * lines on a refund are read where the store's version lists them (not confirmed [U]); the items name the order's
 * item they give back by `_refunded_item_id` (WC_Order_Refund, not confirmed in REST output [U]).
 */
export interface WooRefund {
  id: number;
  date_created_gmt: string;
  amount: string;
  reason: string;
  line_items: WooRefundItem[];
  shipping_lines?: WooRefundItem[];
  fee_lines?: WooRefundItem[];
}

/**
 * wc/v3 refund → CommerceRefund, in the order's currency and amounts as the order mapping built them (with prices
 * including tax, a line's subtotal includes its tax, as order-mapping.ts rebuilds the sale). Minor units throughout.
 * WooCommerce does not say whether units went back to stock (api_restock is write-only): they count as restocked.
 */
export function toCommerceRefundFromWoo(order: CommerceOrder, refund: WooRefund): CommerceRefund {
  const money = amountsIn(order.currency);
  const minor = (amount: string | undefined) => Math.abs(money.minor(amount || '0'));
  const gross = (item: WooRefundItem) => minor(item.total) + (order.taxesIncluded ? minor(item.total_tax) : 0);
  const lineOf = (item: WooRefundItem, idPrefix: string): CommerceRefundLine => ({
    lineId: refundedLineId(item, order, idPrefix),
    quantity: Math.max(1, Math.abs(item.quantity ?? 1)),
    subtotal: money.amount(gross(item)),
    tax: money.amount(minor(item.total_tax)),
    restock: true,
  });
  const lines = [
    ...refund.line_items.filter((item) => gross(item) > 0 || Math.abs(item.quantity ?? 0) > 0).map((item) => lineOf(item, '')),
    ...(refund.fee_lines ?? []).filter((item) => gross(item) > 0).map((item) => lineOf(item, 'fee-')),
  ];
  const shipping = refund.shipping_lines ?? [];
  const shippingMinor = shipping.reduce((sum, item) => sum + gross(item), 0);
  const shippingTaxMinor = shipping.reduce((sum, item) => sum + minor(item.total_tax), 0);
  return {
    id: String(refund.id),
    orderId: order.id,
    createdAt: /(Z|[+-]\d{2}:?\d{2})$/.test(refund.date_created_gmt) ? refund.date_created_gmt : `${refund.date_created_gmt}Z`,
    note: refund.reason ? refund.reason : null,
    lines,
    shipping: shippingMinor > 0 ? { amount: money.amount(shippingMinor), tax: money.amount(shippingTaxMinor) } : null,
    total: money.amount(minor(refund.amount)),
  };
}

/**
 * The order line (CommerceOrderLine.id) a refunded item gives back: by its `_refunded_item_id`, else the one order
 * line of the same name and kind (`fee-` lines are fees). An item matching neither keeps its own id: the booking
 * then says the order has no such line rather than giving back the wrong one.
 */
function refundedLineId(item: WooRefundItem, order: CommerceOrder, prefix: string): string {
  const meta = item.meta_data?.find((entry) => entry.key === '_refunded_item_id');
  if (meta && /^\d+$/.test(String(meta.value))) return `${prefix}${String(meta.value)}`;
  const sameKind = order.lines.filter((line) => line.id.startsWith('fee-') === (prefix === 'fee-'));
  const byName = item.name ? sameKind.filter((line) => line.title === item.name) : [];
  return byName.length === 1 ? byName[0]!.id : `${prefix}${item.id}`;
}
