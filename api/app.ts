import { privacyRequestRoutes } from './privacy-request-routes.js';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { ApiDeps } from './api-deps.js';
import { BackgroundResumptions, DEFAULT_RESUME_RATE_PER_SECOND } from './background-resumptions.js';
import { installErrorHandler } from './error-handler.js';
import { ErrorResponse } from './error-response-schema.js';
import { healthRoutes, openApiRoutes } from './health-routes.js';
import { intakeRoutes } from './intake-routes.js';
import { codecRoutes } from './codec-routes.js';
import { mappingRoutes } from './mapping-routes.js';
import { requireOperatorToken } from './operator-auth.js';
import { sendBrowsersToConsole } from './console/browser-redirect.js';
import { orderRoutes } from './order-routes.js';
import { entitySyncRoutes } from './entity-sync-routes.js';
import { refundRoutes } from './refund-routes.js';
import { payoutRoutes } from './payout-routes.js';
import { replayRoutes } from './replay-routes.js';
import { auditRoutes } from './audit-routes.js';
import { shopifyWebhookRoutes } from './shopify-webhook-routes.js';
import { squarespaceWebhookRoutes } from './squarespace-webhook-routes.js';
import { syncRouteRoutes } from './sync-route-routes.js';
import { routeSyncSettingsRoutes } from './route-sync-settings-routes.js';
import { fullResyncRoutes } from './full-resync-routes.js';
import { wooCommerceWebhookRoutes } from './woocommerce-webhook-routes.js';
import { DEFAULT_CLAIM_LEASE_MS, OrderIntakeDrainer } from '../runtime/order-intake-drainer.js';
import { RequestsInFlight } from '../runtime/requests-in-flight.js';

export type { ApiDeps } from './api-deps.js';
export type { ShopifyWebhookCheck, VerifyShopifyWebhook } from './shopify-webhook-check.js';
export { operatorTokenHook } from './operator-auth.js';

/**
 * The HTTP face of the engine: Shopify webhooks in, and the operator routes a bookkeeper's tools
 * call (order status, mappings, resuming parked orders). Thin: the work happens in workflows.
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: deps.logger ?? false, routerOptions: { ignoreTrailingSlash: true } });
  installErrorHandler(app);
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'ledgerbridge', version: '0.1.0', description: 'Books shop orders into the ledger through durable workflows.' },
      components: { securitySchemes: { operatorToken: { type: 'http', scheme: 'bearer' } } },
    },
  });

  const resumptions = new BackgroundResumptions(deps.temporal, deps.db, deps.taskQueue, deps.resumeRatePerSecond ?? DEFAULT_RESUME_RATE_PER_SECOND, app.log);
  // Let queued resumptions finish before the Temporal connection goes away.
  app.addHook('onClose', async () => resumptions.idle());
  // One budget for the whole process: plugins (the console) resume through this same queue.
  app.decorate('bulkResumptions', resumptions);

  // Order webhooks are answered once recorded; this starts their syncs, beginning with what a previous process left.
  // Webhook answers go first: while any is in flight the drainer starts one sync at a time. With drainIntake false
  // another process starts them, woken by the database's notification (db/migrations/0038_intake_notify.sql).
  const deliveries = new RequestsInFlight();
  const intake =
    deps.drainIntake === false
      ? null
      : new OrderIntakeDrainer(
          { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, bookedOrderChanges: deps.bookedOrderChanges, log: app.log },
          { yieldTo: deliveries, ...deps.orderIntake },
        );
  if (intake) {
    app.addHook('onReady', async () => intake.start());
    app.addHook('onClose', async () => intake.stop());
  }
  const orderIntake = {
    claimLeaseMs: intake?.claimLeaseMs ?? deps.orderIntake?.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
    orderQueued: () => intake?.nudge(),
  };

  await app.register(healthRoutes);
  await app.register(openApiRoutes);
  await app.register(shopifyWebhookRoutes(deps, orderIntake, deliveries));
  if (deps.verifyWooCommerceWebhook) {
    await app.register(wooCommerceWebhookRoutes(deps, { verify: deps.verifyWooCommerceWebhook, ...orderIntake }, deliveries));
  }
  if (deps.verifySquarespaceWebhook) {
    await app.register(squarespaceWebhookRoutes(deps, { verify: deps.verifySquarespaceWebhook, ...orderIntake }, deliveries));
  }
  await app.register(async (operator) => {
    if (deps.consoleForBrowsers) operator.addHook('onRequest', sendBrowsersToConsole);
    requireOperatorToken(operator, deps.operatorToken);
    operator.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, security: [{ operatorToken: [] }] };
    });
    await operator.register(orderRoutes(deps));
    await operator.register(refundRoutes(deps));
    await operator.register(entitySyncRoutes(deps));
    await operator.register(payoutRoutes(deps));
    await operator.register(intakeRoutes(deps));
    await operator.register(mappingRoutes(deps, resumptions));
    await operator.register(replayRoutes(deps, resumptions));
    await operator.register(auditRoutes(deps, resumptions));
    await operator.register(syncRouteRoutes(deps, resumptions));
    await operator.register(routeSyncSettingsRoutes(deps));
    await operator.register(fullResyncRoutes(deps));
    await operator.register(privacyRequestRoutes(deps));
    for (const plugin of deps.operatorPlugins ?? []) await operator.register(plugin);
  });
  if (deps.payloadCodec) await app.register(codecRoutes({ ...deps.payloadCodec, operatorToken: deps.operatorToken }));
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}
