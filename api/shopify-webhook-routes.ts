import type { FastifyBaseLogger, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';
import { commonErrorResponses, ErrorResponse } from './error-response-schema.js';
import { OrderEventWriter } from '../db/order-event-writer.js';
import { RequestsInFlight } from '../runtime/requests-in-flight.js';
import { ShopRoutesCache } from './shop-routes-cache.js';
import { shopRoutesOf } from './shop-routes-lookup.js';
import { ignoreEvent, ORDER_TOPICS, shopifyTopicHandlers, WebhookAnswer, type ShopifyDelivery, type ShopifyTopicContext } from './shopify-topic-handlers.js';

/**
 * Shopify webhook intake. The body is kept as the exact text received (the HMAC is over those
 * bytes), checked, then parsed here, and handed to its topic's handler (api/shopify-topic-handlers.ts).
 * Every answer but 401/400/5xx is a 200: an error answer makes Shopify retry and, after enough of them,
 * delete the subscription. Shopify waits 5 s at most, so order events are answered after one durable
 * write; their syncs are started afterwards by the intake drainer.
 */
export function shopifyWebhookRoutes(
  deps: ApiDeps,
  context: Omit<ShopifyTopicContext, 'deps' | 'writeOrderEvent'>,
  deliveries: RequestsInFlight = new RequestsInFlight(),
): FastifyPluginAsync {
  const writer = new OrderEventWriter(deps.db, context.claimLeaseMs);
  const topicContext: ShopifyTopicContext = { deps, ...context, writeOrderEvent: (event) => writer.write(event) };
  // Order events come in bursts and only need to know a route exists (the drainer finds the routes again when it
  // starts the syncs); app/uninstalled and the privacy topics are rare and act on every integration: looked up afresh.
  const orderShopRoutes = new ShopRoutesCache(deps.db);
  const shopRoutesFor = (topic: string, shop: string) => (ORDER_TOPICS.has(topic) ? orderShopRoutes.routesOf(shop) : shopRoutesOf(deps.db, shop));
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    // Scoped to this plugin: every other route keeps Fastify's JSON parser.
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_request, body, done) => done(null, body));

    app.post(
      '/webhooks/shopify',
      {
        schema: {
          summary: 'Shopify webhook intake',
          description:
            'Public, authenticated by X-Shopify-Hmac-Sha256. orders/create, orders/updated, orders/cancelled and refunds/create are recorded and answered "accepted"; the ' +
            'order sync is then started (or joined) on every route reading from the shop, and for an order already booked a change of ' +
            'total or a cancellation is recorded on its row. app/uninstalled is acted on before the answer. Redeliveries (same ' +
            'X-Shopify-Event-Id) of a handled event are answered "duplicate".',
          tags: ['webhooks'],
          body: Type.String({ description: "Shopify's JSON payload, verified byte for byte against its signature." }),
          response: { 200: WebhookAnswer, ...commonErrorResponses, 401: ErrorResponse },
        },
      },
      (request) => deliveries.track(() => answer(request.body, request.headers, request.log)),
    );
  };

  /** Checks, parses and hands a delivery to its topic's handler. */
  async function answer(rawBody: string, headers: FastifyRequest['headers'], requestLog: FastifyBaseLogger): Promise<WebhookAnswer> {
    const check = await deps.verifyShopifyWebhook(rawBody, headers);
    if (!check.valid) {
      requestLog.warn({ reason: check.reason, topic: headers['x-shopify-topic'], shop: headers['x-shopify-shop-domain'] }, 'shopify webhook rejected: signature check failed');
      throw new ApiError(401, 'invalid_signature', 'The webhook signature could not be verified.');
    }
    const { topic, shop } = check;
    const log = requestLog.child({ topic, shop, webhookId: check.webhookId, eventId: check.eventId });

    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch (error) {
      log.warn({ reason: (error as Error).message, bytes: rawBody.length }, 'shopify webhook rejected: body is not JSON');
      throw new ApiError(400, 'invalid_body', 'The webhook body is not valid JSON.');
    }

    const delivery: ShopifyDelivery = {
      topic,
      shop,
      eventId: check.eventId ?? check.webhookId,
      webhookId: check.webhookId,
      rawBody,
      body,
      shopRoutes: await shopRoutesFor(topic, shop),
      log,
    };
    const handler = shopifyTopicHandlers[topic];
    if (!handler) return ignoreEvent(delivery, topicContext, 'shopify webhook topic not handled: acknowledged');
    return handler(delivery, topicContext);
  }
}
