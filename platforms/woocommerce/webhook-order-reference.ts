import type { IntakeOrderReference } from '../../db/schema.js';
import { fromCents, toCents } from '../../domain/money.js';
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
    const refundedCents = toCents(mapped.total) - toCents(mapped.currentTotal);
    const refunded = refundedCents > 0 ? { lines: fromCents(refundedCents), total: fromCents(refundedCents) } : null;
    return {
      orderId: String(order.id),
      modifiedGmt,
      reference: { orderName: mapped.name, currentTotal: mapped.currentTotal, cancelledAt: mapped.cancelledAt, updatedAt: mapped.updatedAt, ...(refunded ? { refunded } : {}) },
    };
  } catch {
    // A payload we cannot read in full still names its order: the sync reads the order itself.
    return { orderId: String(order.id), modifiedGmt, reference: { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null } };
  }
}
