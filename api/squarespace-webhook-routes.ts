import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';
import { commonErrorResponses, ErrorResponse } from './error-response-schema.js';
import { integrationRouteIds } from './shop-routes-lookup.js';
import { WebhookAnswer } from './shopify-topic-handlers.js';
import type { VerifySquarespaceWebhook } from './squarespace-webhook-check.js';
import { OrderEventWriter } from '../db/order-event-writer.js';
import { refundDiscoveryReference } from '../db/refund-intake-events.js';
import { recordSettledEvent, type WebhookEventIdentity } from '../db/webhook-intake.js';
import { SQUARESPACE_WEBHOOK_PATH } from '../platforms/squarespace/index.js';
import { RequestsInFlight } from '../runtime/requests-in-flight.js';

const ORDER_TOPICS: ReadonlySet<string> = new Set(['order.create', 'order.update']);

export interface SquarespaceIntakeContext {
  verify: VerifySquarespaceWebhook;
  claimLeaseMs: number;
  /** Tells the intake drainer an order event was queued. */
  orderQueued: () => void;
}

/**
 * Squarespace notification intake, one address for every site (`/webhooks/squarespace`): the notification names
 * its subscription, whose secret (kept when we created it) checks Squarespace-Signature over the body exactly as
 * received. Order notifications are thin (the order id): they go into the same durable intake as every store's,
 * deduplicated by the notification id within the integration, and the drainer starts the same order sync, which
 * reads the order. extension.uninstall tells integration health: the site needs a reconnect.
 */
export function squarespaceWebhookRoutes(deps: ApiDeps, context: SquarespaceIntakeContext, deliveries: RequestsInFlight = new RequestsInFlight()): FastifyPluginAsync {
  const writer = new OrderEventWriter(deps.db, context.claimLeaseMs);
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // Scoped to this plugin: the exact bytes are what Squarespace signed.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

    app.post(
      SQUARESPACE_WEBHOOK_PATH,
      {
        schema: {
          summary: 'Squarespace notification intake',
          description:
            'Public, authenticated by Squarespace-Signature (hex HMAC-SHA256 of the body keyed with the hex-decoded secret of the subscription the body names). ' +
            'order.create and order.update are recorded and answered "accepted"; the order sync then starts on every route reading from the site. ' +
            "An order.update saying REFUNDED is recorded the same way; after the answer the order's refunds are read from its transactions: each is recorded once, by its id, and booked by the refund's sync. " +
            'A notification id already received for the integration is answered "duplicate". extension.uninstall marks the integration as needing a reconnect.',
          tags: ['webhooks'],
          body: Type.String({ description: "Squarespace's JSON notification, verified byte for byte against its signature." }),
          response: { 200: WebhookAnswer, ...commonErrorResponses, 401: ErrorResponse, 404: ErrorResponse },
        },
      },
      (request) => deliveries.track(async (): Promise<WebhookAnswer> => {
        const rawBody = request.body;
        const check = await context.verify(rawBody, request.headers);
        if (check.kind === 'unknown_subscription') {
          request.log.warn({ subscriptionId: check.subscriptionId }, 'squarespace webhook for a subscription ledgerbridge does not hold');
          throw new ApiError(404, 'not_found', 'No Squarespace integration holds this webhook subscription.');
        }
        if (check.kind === 'invalid') {
          request.log.warn({ reason: check.reason }, 'squarespace webhook rejected: signature check failed');
          throw new ApiError(401, 'invalid_signature', 'The webhook signature could not be verified.');
        }
        const { integrationId, notification } = check;
        const log = request.log.child({ integrationId, topic: notification.topic, notificationId: notification.id, subscriptionId: notification.subscriptionId });
        const event: WebhookEventIdentity = {
          // Unique within the integration only: scoped by it (db/webhook-intake.ts).
          eventId: `squarespace/${integrationId}/${notification.id}`,
          topic: notification.topic,
          shop: null,
          webhookId: notification.subscriptionId,
          integrationId,
        };
        if (notification.topic === 'extension.uninstall') {
          // A signal to integration health: sending it again for a redelivery is harmless.
          await deps.onAppUninstalled?.(integrationId);
          const recorded = await recordSettledEvent(deps.db, event, 'app_uninstalled');
          log.warn('squarespace extension uninstalled: the site needs a reconnect');
          return { status: recorded ? 'recorded' : 'duplicate' };
        }
        if (!ORDER_TOPICS.has(notification.topic)) {
          const recorded = await recordSettledEvent(deps.db, event, 'ignored');
          log.info('squarespace webhook topic not handled: acknowledged');
          return { status: recorded ? 'ignored' : 'duplicate' };
        }
        const orderId = typeof notification.data.orderId === 'string' ? notification.data.orderId : '';
        if (!/^[0-9a-f]{24}$/i.test(orderId)) {
          log.warn({ orderId }, 'squarespace webhook rejected: no order id');
          throw new ApiError(400, 'invalid_body', `The ${notification.topic} notification carries no order id.`);
        }
        if ((await integrationRouteIds(deps.db, integrationId)).length === 0) {
          const recorded = await recordSettledEvent(deps.db, event, 'ignored');
          log.warn('squarespace webhook ignored: no sync route reads from this site');
          return { status: recorded ? 'ignored' : 'duplicate' };
        }
        // Thin payload: the sync reads the order; a change to a booked one is judged when polling reads it. A refund
        // is only "REFUNDED" (no refund id, no refund topic): one write asks for the order's refund discovery, which
        // reads the order and its refunds after this answer, queues each refund by its own id (once, also when polling
        // finds it), and judges the booked order's change once the refunds explain it (workflows/refund-discovery.ts).
        const refunded = notification.topic === 'order.update' && notification.data.update === 'REFUNDED';
        const reference = refunded ? refundDiscoveryReference() : { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null };
        const queued = await writer.write({ ...event, orderId, orderReference: reference });
        if (queued === 'duplicate') {
          log.info({ orderId }, 'squarespace webhook already received: acknowledged, nothing done');
          return { status: 'duplicate' };
        }
        context.orderQueued();
        log.info({ orderId, requeued: queued === 'requeued', refunded }, 'squarespace order webhook accepted');
        return { status: 'accepted', orderId };
      }),
    );
  };
}
