import type { FastifyBaseLogger } from 'fastify';
import { Type, type Static } from 'typebox';
import { ApiError } from './api-error.js';
import type { ApiDeps } from './api-deps.js';
import type { ShopRoutes } from './shop-routes-lookup.js';
import { shopifyOrderReferenceOf, shopifyRecordIdOf, shopifyRefundReferenceOf } from './shopify-order-reference.js';
import { handlePrivacyWebhook, PRIVACY_TOPICS } from './shopify-privacy-webhooks.js';
import { claimEvent, forgetEvent, recordSettledEvent, settleEvent, type QueuedOrderEvent, type QueueOutcome, type WebhookEventIdentity } from '../db/webhook-intake.js';

export const WebhookAnswer = Type.Object({
  status: Type.Union(
    [Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('ignored'), Type.Literal('recorded')],
    {
      description:
        'accepted: the order event is recorded and its syncs start shortly (GET /intake shows what is still to start); ' +
        'duplicate: this event was handled before; ignored: nothing reads from this shop or the topic needs nothing; recorded: acted on.',
    },
  ),
  orderId: Type.Optional(Type.String()),
});
export type WebhookAnswer = Static<typeof WebhookAnswer>;

/** A delivery whose signature was checked and whose body is JSON. */
export interface ShopifyDelivery {
  topic: string;
  shop: string;
  /** X-Shopify-Event-Id, or the webhook id on API versions without one: what redeliveries share. */
  eventId: string;
  webhookId: string;
  rawBody: string;
  body: unknown;
  /** The integrations connected to the shop and the routes reading from it; null for an unknown shop. */
  shopRoutes: ShopRoutes | null;
  log: FastifyBaseLogger;
}

export interface ShopifyTopicContext {
  deps: ApiDeps;
  /** A `processing` claim older than this is taken over by the next delivery. */
  claimLeaseMs: number;
  /** Tells the intake drainer an order event was queued. */
  orderQueued: () => void;
  /** The intake's durable write of an order event (db/order-event-writer.ts groups concurrent ones). */
  writeOrderEvent: (event: QueuedOrderEvent) => Promise<QueueOutcome>;
}

/** Acts on one topic. Throws an ApiError for a delivery it refuses (400); answers 200 otherwise. */
export type ShopifyTopicHandler = (delivery: ShopifyDelivery, context: ShopifyTopicContext) => Promise<WebhookAnswer>;

export function eventIdentity(delivery: ShopifyDelivery): WebhookEventIdentity {
  return {
    eventId: delivery.eventId,
    topic: delivery.topic,
    shop: delivery.shop,
    webhookId: delivery.webhookId,
    integrationId: delivery.shopRoutes?.integrationIds[0] ?? null,
  };
}

/**
 * Runs `act` once per event while Shopify waits: a redelivery is a duplicate, unless the process that
 * claimed the event died before recording what it did (its claim is older than the lease), in which case
 * this delivery acts. If `act` fails, the event is forgotten so Shopify's retry acts on it.
 */
export async function actOnce(delivery: ShopifyDelivery, context: ShopifyTopicContext, act: () => Promise<string>): Promise<boolean> {
  const { db } = context.deps;
  if (!(await claimEvent(db, eventIdentity(delivery), context.claimLeaseMs))) return false;
  try {
    await settleEvent(db, delivery.eventId, await act());
    return true;
  } catch (error) {
    await forgetEvent(db, delivery.eventId);
    throw error;
  }
}

/** Records an event that needs nothing, once; a redelivery of it is a duplicate. */
export async function ignoreEvent(delivery: ShopifyDelivery, context: ShopifyTopicContext, why: string): Promise<WebhookAnswer> {
  if (!(await recordSettledEvent(context.deps.db, eventIdentity(delivery), 'ignored'))) return { status: 'duplicate' };
  delivery.log.info(why);
  return { status: 'ignored' };
}

/**
 * orders/create and orders/updated: one durable write (the event and its order reference), then the
 * answer. The syncs are started from that record by the intake drainer, so a burst never holds Shopify
 * waiting on Temporal, and a process that dies after the write loses nothing.
 */
export const acceptOrderEvent: ShopifyTopicHandler = async (delivery, context) => {
  const order = shopifyOrderReferenceOf(delivery.rawBody, delivery.body);
  if (!order) {
    delivery.log.warn('shopify webhook rejected: order payload without a numeric id');
    throw new ApiError(400, 'invalid_body', `The ${delivery.topic} webhook carries no order id.`);
  }
  if (!delivery.shopRoutes || delivery.shopRoutes.routeIds.length === 0) {
    delivery.log.warn({ known: !!delivery.shopRoutes }, 'shopify webhook ignored: no sync route reads from this shop');
    return ignoreEvent(delivery, context, 'shopify order webhook for a shop without routes recorded');
  }
  const { orderId, orderName, currentTotal, cancelledAt, updatedAt, createdAt, refunded } = order;
  const queued = await context.writeOrderEvent({
    ...eventIdentity(delivery),
    orderId,
    orderReference: { orderName, currentTotal, cancelledAt, updatedAt, createdAt, ...(refunded ? { refunded } : {}) },
  });
  if (queued === 'duplicate') {
    delivery.log.info('shopify webhook already received: acknowledged, nothing done');
    return { status: 'duplicate' };
  }
  context.orderQueued();
  delivery.log.info({ orderId, requeued: queued === 'requeued' }, 'shopify order webhook accepted');
  return { status: 'accepted', orderId };
};

/**
 * refunds/create: the same one durable write as an order event, naming the refund; the drainer starts the
 * refund's booking (and the order's sync, should the order not be booked yet).
 */
export const acceptRefundEvent: ShopifyTopicHandler = async (delivery, context) => {
  const refund = shopifyRefundReferenceOf(delivery.rawBody, delivery.body);
  if (!refund) {
    delivery.log.warn('shopify webhook rejected: refund payload without a numeric id or order id');
    throw new ApiError(400, 'invalid_body', 'The refunds/create webhook carries no refund id or no order id.');
  }
  if (!delivery.shopRoutes || delivery.shopRoutes.routeIds.length === 0) {
    return ignoreEvent(delivery, context, 'shopify refund webhook for a shop without routes recorded');
  }
  const queued = await context.writeOrderEvent({
    ...eventIdentity(delivery),
    orderId: refund.orderId,
    orderReference: { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null, refundId: refund.refundId },
  });
  if (queued === 'duplicate') {
    delivery.log.info('shopify webhook already received: acknowledged, nothing done');
    return { status: 'duplicate' };
  }
  context.orderQueued();
  delivery.log.info({ orderId: refund.orderId, refundId: refund.refundId, requeued: queued === 'requeued' }, 'shopify refund webhook accepted');
  return { status: 'accepted', orderId: refund.orderId };
};

/** Which entity each customer and product topic is about. */
export const ENTITY_TOPICS: Readonly<Record<string, 'customers' | 'products'>> = {
  'customers/create': 'customers',
  'customers/update': 'customers',
  'products/create': 'products',
  'products/update': 'products',
};

/**
 * customers/create|update and products/create|update: the same one durable write as an order event, naming the
 * customer or product; the drainer starts its sync on every route reading from the shop (workflows/entity-sync.ts).
 */
export const acceptEntityEvent: ShopifyTopicHandler = async (delivery, context) => {
  const entity = ENTITY_TOPICS[delivery.topic]!;
  const sourceId = shopifyRecordIdOf(delivery.rawBody, delivery.body);
  if (!sourceId) {
    delivery.log.warn('shopify webhook rejected: payload without a numeric id');
    throw new ApiError(400, 'invalid_body', `The ${delivery.topic} webhook carries no id.`);
  }
  if (!delivery.shopRoutes || delivery.shopRoutes.routeIds.length === 0) {
    return ignoreEvent(delivery, context, `shopify ${delivery.topic} webhook for a shop without routes recorded`);
  }
  const queued = await context.writeOrderEvent({
    ...eventIdentity(delivery),
    orderId: sourceId,
    orderReference: { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null, entity },
  });
  if (queued === 'duplicate') {
    delivery.log.info('shopify webhook already received: acknowledged, nothing done');
    return { status: 'duplicate' };
  }
  context.orderQueued();
  delivery.log.info({ entity, sourceId, requeued: queued === 'requeued' }, 'shopify entity webhook accepted');
  return { status: 'accepted' };
};

/** app/uninstalled: every integration connected to the shop is told at once (integration health acts on it). */
export const recordAppUninstalled: ShopifyTopicHandler = async (delivery, context) => {
  const shopRoutes = delivery.shopRoutes;
  if (!shopRoutes) {
    delivery.log.warn({ known: false }, 'shopify webhook ignored: no sync route reads from this shop');
    return ignoreEvent(delivery, context, 'shopify app/uninstalled for an unknown shop recorded');
  }
  const acted = await actOnce(delivery, context, async () => {
    for (const integrationId of shopRoutes.integrationIds) await context.deps.onAppUninstalled?.(integrationId);
    return 'app_uninstalled';
  });
  if (!acted) {
    delivery.log.info('shopify webhook already received: acknowledged, nothing done');
    return { status: 'duplicate' };
  }
  delivery.log.warn({ integrationIds: shopRoutes.integrationIds }, 'shopify app uninstalled');
  return { status: 'recorded' };
};

/** Shopify's mandatory privacy topics: erase or export the customer's data, once per event. */
export const actOnPrivacyRequest: ShopifyTopicHandler = async (delivery, context) => {
  const { topic, shop, eventId, rawBody } = delivery;
  return { status: (await handlePrivacyWebhook(context.deps.db, { topic, shop, eventId, rawBody }, delivery.log)).status };
};

/** Topics answered after the one intake write (acceptOrderEvent, acceptRefundEvent). */
export const ORDER_TOPICS: ReadonlySet<string> = new Set(['orders/create', 'orders/updated', 'orders/cancelled', 'refunds/create']);

/**
 * What each topic does. A topic not listed is acknowledged and recorded as ignored. Add a topic here
 * (a handler per module); `actOnce` gives a handler the crash-safe "once per event" the others have.
 */
export const shopifyTopicHandlers: Record<string, ShopifyTopicHandler> = {
  ...Object.fromEntries([...ORDER_TOPICS].map((topic) => [topic, acceptOrderEvent])),
  'refunds/create': acceptRefundEvent,
  ...Object.fromEntries(Object.keys(ENTITY_TOPICS).map((topic) => [topic, acceptEntityEvent])),
  'app/uninstalled': recordAppUninstalled,
  ...Object.fromEntries([...PRIVACY_TOPICS].map((topic) => [topic, actOnPrivacyRequest])),
};
