import { refundEventId, refundIntakeReference, storeOrderReference } from '../db/refund-intake-events.js';
import type { IntakeOrderReference } from '../db/schema.js';
import type { QueuedOrderEvent } from '../db/webhook-intake.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import type { CommerceRefund } from '../domain/commerce-refund.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import { amountsIn } from '../domain/money.js';

/**
 * What reconciliation polling and refund discovery read of an order that changed: the change judgement's reference
 * (total, cancellation, what its refunds gave back) and the refunds the store lists for it.
 */
export type OrderNow = { order: CommerceOrder | null; reference: IntakeOrderReference; refunds: CommerceRefund[] };

/**
 * An order some route already knows, read from the store as a webhook would carry it, and its refunds when it shows
 * any (`refunded`: the listing said so). Null when the order is gone.
 */
export async function knownOrderNow(source: CommerceSource, orderId: string, refunded: boolean): Promise<OrderNow | null> {
  const now = await source.getOrder(orderId);
  if (!now) return null;
  const { minor } = amountsIn(now.currency);
  const refunds = refunded || minor(now.currentTotal) < minor(now.total) ? await refundsOf(source, orderId) : [];
  if (!refunds) return null;
  return { order: now, reference: storeOrderReference(now, refunds), refunds };
}

/** The order's refunds where the store reports them (none where it does not); null when the order is gone. */
export async function refundsOf(source: CommerceSource, orderId: string): Promise<CommerceRefund[] | null> {
  return source.getRefunds ? source.getRefunds(orderId) : [];
}

/**
 * What the order shows given back (its total less its current total) beyond what the refunds the store lists add up
 * to, in the currency's minor units: a refund the listing does not show (yet, or ever: one made at the gateway).
 */
export function refundedBeyondListed(now: OrderNow): number {
  if (!now.order) return 0;
  const { minor } = amountsIn(now.order.currency);
  const listed = now.refunds.reduce((sum, refund) => sum + minor(refund.total), 0);
  return Math.max(0, minor(now.order.total) - minor(now.order.currentTotal) - listed);
}

/**
 * One refund of a store order for the intake, under the event id every way of finding it uses
 * (db/refund-intake-events.ts): queued once however often it is found.
 */
export function refundIntakeEvent(integration: { id: string; platform: string }, orderId: string, orderName: string | null, refundId: string, topic: string): QueuedOrderEvent {
  return {
    eventId: refundEventId(integration.platform, integration.id, orderId, refundId),
    topic,
    shop: null,
    webhookId: null,
    integrationId: integration.id,
    orderId,
    orderReference: refundIntakeReference(orderName, refundId),
  };
}
