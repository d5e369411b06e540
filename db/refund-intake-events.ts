import type { CommerceOrder } from '../domain/commerce-order.js';
import { refundedSoFar, type CommerceRefund } from '../domain/commerce-refund.js';
import type { IntakeOrderReference } from './schema.js';

/**
 * One refund of a store order in the intake, however it was found (a webhook that lists it, a notification that
 * says the order was refunded, a poll): one event id per integration, order and refund, so it is queued once and
 * its booking started once. Shopify's refunds/create carries an event id of its own.
 */
export function refundEventKey(orderId: string, refundId: string): string {
  return `refund/${orderId}/${refundId}`;
}

/** The full event id, in the `<platform>/<integration>/<key>` form of every integration-scoped event. */
export function refundEventId(platform: string, integrationId: string, orderId: string, refundId: string): string {
  return `${platform}/${integrationId}/${refundEventKey(orderId, refundId)}`;
}

/** What the drainer needs to start the refund's booking (runtime/order-intake-drainer.ts startRefund). */
export function refundIntakeReference(orderName: string | null, refundId: string): IntakeOrderReference {
  return { orderName, currentTotal: null, cancelledAt: null, updatedAt: null, refundId };
}

/**
 * An order whose notification says only that it was refunded (no refund named, nothing else read): the drainer
 * starts the order's refund discovery (workflows/refund-discovery.ts), which reads the order and its refunds after
 * the notification was answered, queues each refund, and judges the order's change once the refunds explain it.
 */
export function refundDiscoveryReference(orderName: string | null = null): IntakeOrderReference {
  return { orderName, currentTotal: null, cancelledAt: null, updatedAt: null, discoverRefunds: true };
}

/**
 * An order as the store shows it now, for the change judgement of a booked one: its total, cancellation, and what
 * the refunds the store lists gave back (a lower total they account for is theirs to book, not a change to report).
 */
export function storeOrderReference(order: CommerceOrder, refunds: CommerceRefund[]): IntakeOrderReference {
  const refunded = refundedSoFar(refunds, order.currency);
  return { orderName: order.name, currentTotal: order.currentTotal, cancelledAt: order.cancelledAt, updatedAt: order.updatedAt, createdAt: order.createdAt, ...(refunded ? { refunded } : {}) };
}
