import { createHash } from 'node:crypto';
import type { IntakeOrderReference } from '../../db/schema.js';
import { amountsIn } from '../../domain/money.js';
import { toCommerceOrder } from './order-mapping.js';
import type { WooOrder } from './order-shape.js';

/**
 * What an order webhook says about its order (the payload is the wc/v3 order, built when it was sent), for the
 * intake: its id, and for an order already booked its total now, cancellation and change time. Null without a
 * numeric id. WooCommerce has no event id: the order's id and `date_modified_gmt` identify what a delivery reports.
 */
export function wooOrderReferenceOf(body: unknown): { orderId: string; modifiedGmt: string | null; reference: IntakeOrderReference } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const order = body as Partial<WooOrder>;
  if (typeof order.id !== 'number' || !Number.isInteger(order.id) || order.id <= 0) return null;
  const modifiedGmt = typeof order.date_modified_gmt === 'string' ? order.date_modified_gmt : null;
  try {
    const mapped = toCommerceOrder(order as WooOrder);
    // WooCommerce's current total is its total less every refund (order-mapping.ts): the refunds are the difference.
    const { minor, amount } = amountsIn(mapped.currency);
    const refundedMinor = minor(mapped.total) - minor(mapped.currentTotal);
    const refunded = refundedMinor > 0 ? { lines: amount(refundedMinor), total: amount(refundedMinor) } : null;
    return {
      orderId: String(order.id),
      modifiedGmt,
      reference: { orderName: mapped.name, currentTotal: mapped.currentTotal, cancelledAt: mapped.cancelledAt, updatedAt: mapped.updatedAt, createdAt: mapped.createdAt, ...(refunded ? { refunded } : {}) },
    };
  } catch {
    // A payload we cannot read in full still names its order: the sync reads the order itself.
    return { orderId: String(order.id), modifiedGmt, reference: { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null } };
  }
}

/**
 * The key of what an order delivery reports, unique within its integration: the order, its `date_modified_gmt`,
 * and a digest of the body. WooCommerce has no event id, `date_modified_gmt` has whole seconds, and
 * `X-WC-Webhook-Delivery-ID` is a hash of the webhook id and the current second (class-wc-webhook.php
 * `get_new_delivery_id`), so two edits within one second differ only by their content. The body is the order as
 * it was when sent: two deliveries of the same state are one event, two states are two.
 */
export function wooOrderEventKey(order: { orderId: string; modifiedGmt: string | null }, rawBody: string, deliveryId: string): string {
  return wooRecordEventKey('order', { id: order.orderId, modifiedGmt: order.modifiedGmt }, rawBody, deliveryId);
}

/** The same key for any resource a webhook reports (order, customer, product): `<resource>/<id>/<modified>/<digest>`. */
export function wooRecordEventKey(resource: string, record: { id: string; modifiedGmt: string | null }, rawBody: string, deliveryId: string): string {
  const digest = createHash('sha256').update(rawBody).digest('hex').slice(0, 16);
  return `${resource}/${record.id}/${record.modifiedGmt ?? deliveryId}/${digest}`;
}

/**
 * The refund ids an order payload lists (`refunds[].id`). WooCommerce has no refund topic: a refund fires
 * `order.updated` (woocommerce_order_refunded), so each refund is queued from the order it shows up on.
 */
export function wooRefundIdsOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const refunds = (body as { refunds?: unknown }).refunds;
  if (!Array.isArray(refunds)) return [];
  return refunds.flatMap((refund) => {
    const id = (refund as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isInteger(id) && id > 0 ? [String(id)] : [];
  });
}
