import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';
import { commonErrorResponses, ErrorResponse } from './error-response-schema.js';
import { integrationRouteIds } from './shop-routes-lookup.js';
import { WebhookAnswer } from './shopify-topic-handlers.js';
import type { VerifyWooCommerceWebhook } from './woocommerce-webhook-check.js';
import { OrderEventWriter } from '../db/order-event-writer.js';
import { refundEventKey, refundIntakeReference } from '../db/refund-intake-events.js';
import type { IntakeOrderReference } from '../db/schema.js';
import { recordSettledEvent, type WebhookEventIdentity } from '../db/webhook-intake.js';
import {
  isWooPing,
  WOOCOMMERCE_ENTITY_TOPICS,
  WOOCOMMERCE_WEBHOOK_PATH,
  wooOrderEventKey,
  wooOrderReferenceOf,
  wooRecordEventKey,
  wooRecordReferenceOf,
  wooRefundIdsOf,
} from '../platforms/woocommerce/index.js';
import { RequestsInFlight } from '../runtime/requests-in-flight.js';

const ORDER_TOPICS: ReadonlySet<string> = new Set(['order.created', 'order.updated']);

export interface WooCommerceIntakeContext {
  verify: VerifyWooCommerceWebhook;
  claimLeaseMs: number;
  /** Tells the intake drainer an order (or customer, product) event was queued. */
  orderQueued: () => void;
}

/**
 * WooCommerce webhook intake, one address per integration (`/webhooks/woocommerce/:integrationId`): the
 * integration's keys give the secret the signature is checked with, over the body exactly as received. Order,
 * customer and product events go into the same durable intake as Shopify's (webhook_events, started by the drainer
 * into the same order, customer and product syncs, each route's sync settings honoured there). WooCommerce never retries, and disables a webhook after repeated failures: anything but a refusal of a
 * forged or unreadable delivery is a 200.
 */
export function wooCommerceWebhookRoutes(deps: ApiDeps, context: WooCommerceIntakeContext, deliveries: RequestsInFlight = new RequestsInFlight()): FastifyPluginAsync {
  const writer = new OrderEventWriter(deps.db, context.claimLeaseMs);
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // Scoped to this plugin: the exact bytes are what WooCommerce signed; its ping is a form body.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => done(null, body));

    app.post(
      `${WOOCOMMERCE_WEBHOOK_PATH}/:integrationId`,
      {
        schema: {
          summary: 'WooCommerce webhook intake (one address per integration)',
          description:
            'Public, authenticated by X-WC-Webhook-Signature (base64 HMAC-SHA256 of the body with the secret ledgerbridge set on the webhook). ' +
            'order.created and order.updated are recorded and answered "accepted"; the order sync then starts on every route reading from ' +
            "the integration; each refund an order lists (WooCommerce has no refund topic) is recorded once, by its id, and booked by the refund's sync. customer.created|updated and product.created|updated are recorded the same way and start the customer's or " +
            "product's sync on every route that syncs customers or products. A delivery reporting the same change again (same id, " +
            'date_modified_gmt and content) is answered "duplicate"; two changes within one second are two events. ' +
            "WooCommerce's ping (webhook_id=N) is answered 200.",
          tags: ['webhooks'],
          params: Type.Object({ integrationId: Type.String({ minLength: 1, maxLength: 200 }) }),
          body: Type.String({ description: "WooCommerce's JSON payload, verified byte for byte against its signature." }),
          response: { 200: WebhookAnswer, ...commonErrorResponses, 401: ErrorResponse, 404: ErrorResponse },
        },
      },
      (request) => deliveries.track(async (): Promise<WebhookAnswer> => {
        const { integrationId } = request.params;
        const rawBody = request.body;
        if (isWooPing(rawBody, request.headers)) {
          request.log.info({ integrationId }, 'woocommerce webhook ping answered');
          return { status: 'ignored' };
        }
        const check = await context.verify(integrationId, rawBody, request.headers);
        if (check.kind === 'unknown_integration') {
          // A 404 counts as a failed delivery: WooCommerce disables a webhook nobody reads any more.
          request.log.warn({ integrationId }, 'woocommerce webhook for an unknown integration');
          throw new ApiError(404, 'not_found', 'No WooCommerce integration reads from this address.');
        }
        if (check.kind === 'invalid') {
          request.log.warn({ integrationId, reason: check.reason, topic: request.headers['x-wc-webhook-topic'] }, 'woocommerce webhook rejected: signature check failed');
          throw new ApiError(401, 'invalid_signature', 'The webhook signature could not be verified.');
        }
        const log = request.log.child({ integrationId, topic: check.topic, webhookId: check.webhookId, deliveryId: check.deliveryId });
        let body: unknown;
        try {
          body = JSON.parse(rawBody);
        } catch (error) {
          log.warn({ reason: (error as Error).message, bytes: rawBody.length }, 'woocommerce webhook rejected: body is not JSON');
          throw new ApiError(400, 'invalid_body', 'The webhook body is not valid JSON.');
        }
        const identity = (key: string): WebhookEventIdentity => ({
          // Unique within the integration only: scoped by it (db/webhook-intake.ts).
          eventId: `woocommerce/${integrationId}/${key}`,
          topic: check.topic,
          shop: null,
          webhookId: check.webhookId,
          integrationId,
        });
        const entity = WOOCOMMERCE_ENTITY_TOPICS[check.topic];
        if (!ORDER_TOPICS.has(check.topic) && !entity) {
          const recorded = await recordSettledEvent(deps.db, identity(`delivery/${check.deliveryId}`), 'ignored');
          log.info('woocommerce webhook topic not handled: acknowledged');
          return { status: recorded ? 'ignored' : 'duplicate' };
        }
        /** One durable write of what the delivery reports (the drainer starts the syncs), or why nothing was written. */
        const queue = async (event: WebhookEventIdentity, sourceId: string, reference: IntakeOrderReference, what: string): Promise<'duplicate' | 'ignored' | 'accepted'> => {
          if ((await integrationRouteIds(deps.db, integrationId)).length === 0) {
            const recorded = await recordSettledEvent(deps.db, event, 'ignored');
            log.warn('woocommerce webhook ignored: no sync route reads from this store');
            return recorded ? 'ignored' : 'duplicate';
          }
          const queued = await writer.write({ ...event, orderId: sourceId, orderReference: reference });
          if (queued === 'duplicate') {
            log.info({ sourceId }, 'woocommerce webhook already received: acknowledged, nothing done');
            return 'duplicate';
          }
          context.orderQueued();
          log.info({ sourceId, requeued: queued === 'requeued' }, `woocommerce ${what} webhook accepted`);
          return 'accepted';
        };
        if (entity) {
          const record = wooRecordReferenceOf(body);
          if (!record) {
            log.warn('woocommerce webhook rejected: payload without a numeric id');
            throw new ApiError(400, 'invalid_body', `The ${check.topic} webhook carries no id.`);
          }
          // Like an order's: this customer or product as of this change, by its content (created and updated alike).
          const resource = entity === 'customers' ? 'customer' : 'product';
          const event = identity(wooRecordEventKey(resource, record, rawBody, check.deliveryId));
          return { status: await queue(event, record.id, { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null, entity }, resource) };
        }
        const order = wooOrderReferenceOf(body);
        if (!order) {
          log.warn('woocommerce webhook rejected: order payload without a numeric id');
          throw new ApiError(400, 'invalid_body', `The ${check.topic} webhook carries no order id.`);
        }
        // No event id in WooCommerce: what a delivery reports is this order as of this change, by its content.
        const status = await queue(identity(wooOrderEventKey(order, rawBody, check.deliveryId)), order.orderId, order.reference, 'order');
        // No refund topic either: each refund the order lists is queued once (by its id, so a later update showing
        // it again is a duplicate), naming the refund, as Shopify's refunds/create is; the drainer books it.
        const refundStatuses: string[] = [];
        for (const refundId of wooRefundIdsOf(body)) {
          refundStatuses.push(await queue(identity(refundEventKey(order.orderId, refundId)), order.orderId, refundIntakeReference(order.reference.orderName, refundId), 'refund'));
        }
        const anyAccepted = status === 'accepted' || refundStatuses.includes('accepted');
        return anyAccepted ? { status: 'accepted', orderId: order.orderId } : { status };
      }),
    );
  };
}
