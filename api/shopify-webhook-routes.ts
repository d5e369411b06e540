import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { and, eq } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';
import { commonErrorResponses, ErrorResponse } from './error-response-schema.js';
import { shopRoutesOf } from './shop-routes-lookup.js';
import { handlePrivacyWebhook, PRIVACY_TOPICS } from './shopify-privacy-webhooks.js';
import { shopifyOrderReferenceOf, type ShopifyOrderReference } from './shopify-order-reference.js';
import { recordShopUpdate } from '../db/booked-order-state.js';
import { orderSyncs, webhookEvents } from '../db/schema.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';

const ORDER_TOPICS = new Set(['orders/create', 'orders/updated']);
// Shopify gives up after 5 s and retries; answer (or fail) before that.
const TEMPORAL_DEADLINE_MS = 4_000;

const RouteOutcome = Type.Object({
  routeId: Type.String(),
  result: Type.Union([Type.Literal('started'), Type.Literal('already_synced'), Type.Literal('changed_after_booking')], {
    description: 'changed_after_booking: the order was booked before and has since changed or been cancelled; its row says what to fix in the ledger.',
  }),
  workflowId: Type.String(),
  runId: Type.Union([Type.String(), Type.Null()], { description: 'The run handling the order; the same run when a sync was already running.' }),
});

const WebhookAnswer = Type.Object({
  status: Type.Union([
    Type.Literal('started'),
    Type.Literal('already_synced'),
    Type.Literal('changed_after_booking'),
    Type.Literal('duplicate'),
    Type.Literal('ignored'),
    Type.Literal('recorded'),
  ]),
  orderId: Type.Optional(Type.String()),
  routes: Type.Optional(Type.Array(RouteOutcome)),
});

/**
 * Shopify webhook intake. The body is kept as the exact text received (the HMAC is over those
 * bytes), checked, then parsed here. Every answer but 401/400/5xx is a 200: an error answer makes
 * Shopify retry and, after enough of them, delete the subscription.
 */
export function shopifyWebhookRoutes(deps: ApiDeps): FastifyPluginAsync {
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
            'Public, authenticated by X-Shopify-Hmac-Sha256. Handles orders/create and orders/updated (starts or joins the order sync on ' +
            'every route reading from the shop; for an order already booked, records a change of total or a cancellation on its row) and app/uninstalled. Redeliveries (same X-Shopify-Event-Id) are answered "duplicate".',
          tags: ['webhooks'],
          body: Type.String({ description: "Shopify's JSON payload, verified byte for byte against its signature." }),
          response: { 200: WebhookAnswer, ...commonErrorResponses, 401: ErrorResponse },
        },
      },
      async (request) => {
        const rawBody = request.body;
        const headerTopic = request.headers['x-shopify-topic'];
        const headerShop = request.headers['x-shopify-shop-domain'];

        const check = await deps.verifyShopifyWebhook(rawBody, request.headers);
        if (!check.valid) {
          request.log.warn({ reason: check.reason, topic: headerTopic, shop: headerShop }, 'shopify webhook rejected: signature check failed');
          throw new ApiError(401, 'invalid_signature', 'The webhook signature could not be verified.');
        }
        const { topic, shop } = check;
        const log = request.log.child({ topic, shop, webhookId: check.webhookId, eventId: check.eventId });

        let parsed: unknown;
        try {
          parsed = JSON.parse(rawBody);
        } catch (error) {
          log.warn({ reason: (error as Error).message, bytes: rawBody.length }, 'shopify webhook rejected: body is not JSON');
          throw new ApiError(400, 'invalid_body', 'The webhook body is not valid JSON.');
        }

        if (PRIVACY_TOPICS.has(topic)) {
          return { status: (await handlePrivacyWebhook(deps.db, { topic, shop, eventId: check.eventId ?? check.webhookId, rawBody }, log)).status };
        }

        const order = ORDER_TOPICS.has(topic) ? shopifyOrderReferenceOf(rawBody, parsed) : null;
        if (ORDER_TOPICS.has(topic) && !order) {
          log.warn('shopify webhook rejected: order payload without a numeric id');
          throw new ApiError(400, 'invalid_body', `The ${topic} webhook carries no order id.`);
        }

        const shopRoutes = await shopRoutesOf(deps.db, shop);
        const eventId = check.eventId ?? check.webhookId;
        const [claimed] = await deps.db
          .insert(webhookEvents)
          .values({ eventId, integrationId: shopRoutes?.integrationIds[0] ?? null, topic, webhookId: check.webhookId, outcome: 'processing' })
          .onConflictDoNothing()
          .returning({ eventId: webhookEvents.eventId });
        if (!claimed) {
          log.info('shopify webhook already received: acknowledged, nothing done');
          return { status: 'duplicate' as const };
        }

        const settle = (outcome: string) => deps.db.update(webhookEvents).set({ outcome }).where(eq(webhookEvents.eventId, eventId));
        try {
          if (!shopRoutes || (order && shopRoutes.routeIds.length === 0)) {
            log.warn({ known: !!shopRoutes }, 'shopify webhook ignored: no sync route reads from this shop');
            await settle('ignored');
            return { status: 'ignored' as const };
          }

          if (topic === 'app/uninstalled') {
            for (const integrationId of shopRoutes.integrationIds) await deps.onAppUninstalled?.(integrationId);
            await settle('app_uninstalled');
            log.warn({ integrationIds: shopRoutes.integrationIds }, 'shopify app uninstalled');
            return { status: 'recorded' as const };
          }

          if (!order) {
            log.info('shopify webhook topic not handled: acknowledged');
            await settle('ignored');
            return { status: 'ignored' as const };
          }

          const routes = await deps.temporal.withDeadline(Date.now() + TEMPORAL_DEADLINE_MS, () =>
            Promise.all(shopRoutes.routeIds.map((routeId) => bookOrder(deps, routeId, order, log))),
          );
          const status = routes.some((r) => r.result === 'started')
            ? ('started' as const)
            : routes.some((r) => r.result === 'changed_after_booking')
              ? ('changed_after_booking' as const)
              : ('already_synced' as const);
          await settle(status);
          log.info({ orderId: order.orderId, routes }, 'shopify order webhook handled');
          return { status, orderId: order.orderId, routes };
        } catch (error) {
          // Forget the event so that Shopify's retry of it is handled rather than taken for a duplicate.
          await deps.db.delete(webhookEvents).where(eq(webhookEvents.eventId, eventId));
          throw error;
        }
      },
    );
  };
}

async function bookOrder(deps: ApiDeps, routeId: string, order: ShopifyOrderReference, log: FastifyBaseLogger) {
  const { orderId, orderName } = order;
  const [row] = await deps.db
    .select()
    .from(orderSyncs)
    .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)));
  if (row?.status === 'synced') {
    const change = await recordShopUpdate(deps.db, { routeId, orderId }, order);
    if (change) {
      log.warn({ routeId, orderId, change }, 'booked order changed in the shop: the ledger needs a person');
      await deps.bookedOrderChanges?.bookedOrderChanged({ routeId, orderId, change });
    }
    return { routeId, result: change ? ('changed_after_booking' as const) : ('already_synced' as const), workflowId: row.workflowId, runId: null };
  }
  const started = await startOrderSync(deps.temporal, deps.db, deps.taskQueue, { routeId, orderId, orderName });
  // The sync may have fetched the order before this update: its booking judges it.
  await recordShopUpdate(deps.db, { routeId, orderId }, order);
  return { routeId, result: 'started' as const, workflowId: started.workflowId, runId: started.runId };
}
