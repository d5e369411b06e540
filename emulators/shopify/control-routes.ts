import type { FastifyInstance, FastifyReply } from 'fastify';
import { registerFaultRoutes } from '../common/fault-injector.js';
import type { ShopifyEmulatorControl } from './emulator-control.js';
import type { CustomerInput, OrderInput, OrderPatch, ProductInput, ProductPatch } from './store.js';
import type { RedeliveryOptions } from './webhook-dispatcher.js';
import type { RefundInput } from './refunds.js';
import type { PayoutInput } from './payouts.js';

/**
 * JSON control API under /_emulator, a thin layer over ShopifyEmulatorControl. Every body may carry
 * `shop` (a domain); without it the default shop is meant.
 *
 *   GET  /_emulator/state                              everything
 *   POST /_emulator/shops                              {domain, name?, currencyCode?, grantedScopes?}
 *   POST /_emulator/orders                             OrderInput → order (sends orders/create)
 *   GET  /_emulator/orders?shop=
 *   PATCH /_emulator/orders/:orderId                   OrderPatch → order (sends orders/updated)
 *   POST /_emulator/orders/:orderId/refunds           RefundInput → refund (sends refunds/create)
 *   POST /_emulator/orders/:orderId/cancel             → order (sends orders/cancelled and orders/updated)
 *   POST /_emulator/payouts                            PayoutInput → payout (Shopify Payments; no webhook)
 *   GET  /_emulator/payouts?shop=
 *   POST /_emulator/products | /_emulator/customers   {…, webhook?} (webhook: true sends products/create | customers/create)
 *   PATCH /_emulator/customers/:customerId             {email?, firstName?, lastName?} (sends customers/update)
 *   PATCH /_emulator/products/:productId               {title?, variants?: [{id, sku?, title?, price?}]} (sends products/update)
 *   POST /_emulator/tokens                             {scopes?, expiring?} → token (installs the app, skips OAuth)
 *   GET  /_emulator/tokens?shop=
 *   POST /_emulator/tokens/:accessToken/expire | /revoke
 *   POST /_emulator/uninstall                          {shop?} → revokes tokens, sends app/uninstalled
 *   POST /_emulator/scopes                             {scopes, shop?}
 *   POST /_emulator/bucket                             {currentlyAvailable?, maximumAvailable?, restoreRate?, shop?}
 *   GET  /_emulator/webhooks/subscriptions | /events | /deliveries?eventId=&shop=
 *        (subscriptions are made only through the Admin API's webhookSubscriptionCreate, as with Shopify)
 *   POST /_emulator/app/compliance-url                 {url} (the app configuration's privacy webhook URL)
 *   POST /_emulator/privacy                            {topic: customers/data_request|customers/redact|shop/redact, customerId?, shop?}
 *   POST /_emulator/customer-data                      {withheld, shop?} (protected customer data not approved)
 *   POST /_emulator/webhooks/:eventId/redeliver        {times?, delayMs?, sameWebhookId?}
 *   POST /_emulator/webhooks/drop                      {count} (the next count events are never sent)
 *   GET|POST|DELETE /_emulator/faults                  FaultSettings (latency, failNext, dropNext, throttleNext)
 */
export function registerControlRoutes(app: FastifyInstance, control: ShopifyEmulatorControl): void {
  registerFaultRoutes(app, control.faults);
  const body = <T>(request: { body: unknown }) => (request.body ?? {}) as T & { shop?: string };
  const shopQuery = (request: { query: unknown }) => (request.query as { shop?: string }).shop;

  app.get('/_emulator/state', async () => control.snapshot());
  app.post('/_emulator/shops', async (request, reply) =>
    reply.code(201).send(control.addShop(body<{ domain: string }>(request)).shop),
  );

  app.post('/_emulator/orders', async (request, reply) => reply.code(201).send(control.createOrder(body<OrderInput>(request))));
  app.get('/_emulator/orders', async (request) => control.orders(shopQuery(request)));
  app.patch('/_emulator/orders/:orderId', async (request) =>
    control.updateOrder((request.params as { orderId: string }).orderId, body<OrderPatch>(request)),
  );
  app.post('/_emulator/orders/:orderId/refunds', async (request, reply) =>
    reply.code(201).send(control.refundOrder((request.params as { orderId: string }).orderId, body<RefundInput>(request))),
  );
  app.post('/_emulator/orders/:orderId/cancel', async (request) => control.cancelOrder((request.params as { orderId: string }).orderId, body<object>(request)));
  app.post('/_emulator/payouts', async (request, reply) => reply.code(201).send(control.createPayout(body<PayoutInput>(request))));
  app.get('/_emulator/payouts', async (request) => control.payouts(shopQuery(request)));
  app.post('/_emulator/products', async (request, reply) => reply.code(201).send(control.createProduct(body<ProductInput & { webhook?: boolean }>(request))));
  app.post('/_emulator/customers', async (request, reply) => reply.code(201).send(control.createCustomer(body<CustomerInput & { webhook?: boolean }>(request))));
  app.patch('/_emulator/customers/:customerId', async (request) =>
    control.updateCustomer((request.params as { customerId: string }).customerId, body<CustomerInput>(request)),
  );
  app.patch('/_emulator/products/:productId', async (request) =>
    control.updateProduct((request.params as { productId: string }).productId, body<ProductPatch>(request)),
  );

  app.post('/_emulator/tokens', async (request, reply) =>
    reply.code(201).send(control.issueToken(body<{ scopes?: string[]; expiring?: boolean }>(request))),
  );
  app.get('/_emulator/tokens', async (request) => control.tokens(shopQuery(request)));
  app.post('/_emulator/tokens/:accessToken/expire', async (request) =>
    control.expireToken((request.params as { accessToken: string }).accessToken),
  );
  app.post('/_emulator/tokens/:accessToken/revoke', async (request) =>
    control.revokeToken((request.params as { accessToken: string }).accessToken),
  );
  app.post('/_emulator/uninstall', async (request) => control.uninstall(body<object>(request).shop));
  app.post('/_emulator/scopes', async (request) => {
    const { scopes, shop } = body<{ scopes: string[] }>(request);
    return { scopes: control.setScopes(scopes, shop) };
  });
  app.post('/_emulator/bucket', async (request) => {
    const { shop, ...patch } = body<{ currentlyAvailable?: number; maximumAvailable?: number; restoreRate?: number }>(request);
    return control.setBucket(patch, shop);
  });

  app.post('/_emulator/app/compliance-url', async (request) => control.setComplianceUrl(body<{ url: string | null }>(request).url ?? null));
  app.post('/_emulator/privacy', async (request, reply) =>
    reply.code(201).send(control.requestPrivacy(body<{ topic: string; customerId?: string }>(request))),
  );
  app.post('/_emulator/customer-data', async (request) => {
    const { withheld, shop } = body<{ withheld: boolean }>(request);
    return control.setCustomerDataWithheld(withheld === true, shop);
  });
  app.get('/_emulator/webhooks/subscriptions', async (request) => control.webhooks.listSubscriptions(shopQuery(request)));
  app.get('/_emulator/webhooks/events', async (request) => control.webhookEvents(shopQuery(request)));
  app.get('/_emulator/webhooks/deliveries', async (request) =>
    control.webhookDeliveries(request.query as { eventId?: string; shop?: string }),
  );
  app.post('/_emulator/webhooks/drop', async (request) => control.dropWebhooks(Number(body<{ count?: number }>(request).count ?? 1)));
  app.post('/_emulator/webhooks/:eventId/redeliver', async (request) =>
    control.redeliverWebhook((request.params as { eventId: string }).eventId, body<RedeliveryOptions>(request)),
  );

  // Control mistakes (unknown shop, order or token) are the caller's: answer 400 with the reason.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply: FastifyReply) => {
    const status = error.statusCode ?? (request.url.startsWith('/_emulator/') ? 400 : 500);
    return reply.code(status).send({ error: error.message });
  });
}
