import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHealthChecks } from '../activities/integration-health-checks.js';
import { EMULATED_SHOP_HEADER } from '../platforms/shopify/index.js';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

const TOPICS = ['APP_UNINSTALLED', 'CUSTOMERS_CREATE', 'CUSTOMERS_UPDATE', 'ORDERS_CANCELLED', 'ORDERS_CREATE', 'ORDERS_UPDATED', 'PRODUCTS_CREATE', 'PRODUCTS_UPDATE', 'REFUNDS_CREATE'];

describe('ledgerbridge keeps its Shopify webhook subscriptions itself', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const subscriptions = () => h.shopify.control.webhooks.listSubscriptions(h.shop);
  const ourAddress = () => `${h.baseUrl}/webhooks/shopify`;

  /** The app itself (with its own token) makes a subscription through the Admin API, e.g. one an old deployment left. */
  async function subscribeElsewhere(topic: string, uri: string) {
    const token = h.shopify.control.issueToken({ shop: h.shop });
    const response = await fetch(`${h.shopify.origin}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': token.accessToken, [EMULATED_SHOP_HEADER]: h.shop },
      body: JSON.stringify({
        query: `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri }) { userErrors { message } } }`,
        variables: { topic, uri },
      }),
    });
    expect(((await response.json()) as any).data.webhookSubscriptionCreate.userErrors).toEqual([]);
  }

  it('subscribes orders/create, orders/updated, orders/cancelled, refunds/create, app/uninstalled, customers/create|update and products/create|update on connect, and the shop then delivers orders to us', async () => {
    const shopify = await h.createIntegration('shopify');
    // Nothing is subscribed before the merchant connects the shop: the emulator has no other way in.
    expect(subscriptions()).toEqual([]);
    await h.clickConnect(shopify.id);
    expect(subscriptions().map((s) => [s.topic, s.callbackUrl]).sort()).toEqual(TOPICS.map((t) => [t, ourAddress()]));

    const order = h.shopify.control.createOrder({ shop: h.shop, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const delivery = await eventually(
      async () => h.shopify.control.webhookDeliveries({ shop: h.shop }).find((d) => d.topic === 'ORDERS_CREATE' && d.state === 'delivered'),
      'orders/create delivered',
    );
    expect(delivery.callbackUrl).toBe(ourAddress());
    expect(delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(order.id).toBeTruthy();

    await h.api('DELETE', `/integrations/${shopify.id}?confirm=${shopify.id}`);
  });

  it('finds a missing or misdirected subscription at the health check, repairs it, and says so in plain words', async () => {
    const shopify = await h.createIntegration('shopify');
    await h.clickConnect(shopify.id);
    await eventually(async () => (await h.row(shopify.id)).status === 'connected', 'connected');

    // Shopify dropped orders/updated (say, after failed deliveries); app/uninstalled points at an old address.
    const updated = subscriptions().find((s) => s.topic === 'ORDERS_UPDATED')!;
    const uninstalled = subscriptions().find((s) => s.topic === 'APP_UNINSTALLED')!;
    h.shopify.control.webhooks.unsubscribe(updated.id);
    h.shopify.control.webhooks.unsubscribe(uninstalled.id);
    await subscribeElsewhere('APP_UNINSTALLED', 'https://old-ledgerbridge.example.com/webhooks/shopify');

    const outcome = (await h.api('POST', `/integrations/${shopify.id}/check`)).json() as HealthCheckOutcome;
    expect(outcome.status).toBe('connected');
    const webhooks = outcome.results.find((r) => r.check === 'webhooks_subscribed')!;
    expect(webhooks.ok).toBe(true);
    expect(webhooks.message).toBe(
      `Repaired: orders/updated was not subscribed; app/uninstalled went to another address. The shop now sends orders/create, orders/updated, orders/cancelled, refunds/create, app/uninstalled, customers/create, customers/update, products/create, products/update to ${ourAddress()}.`,
    );
    expect(subscriptions().map((s) => [s.topic, s.callbackUrl]).sort()).toEqual(TOPICS.map((t) => [t, ourAddress()]));

    // The next check finds everything right.
    const again = (await h.api('POST', `/integrations/${shopify.id}/check`)).json() as HealthCheckOutcome;
    expect(again.results.find((r) => r.check === 'webhooks_subscribed')).toMatchObject({ ok: true, message: expect.stringMatching(/^The shop sends /) });

    await h.api('DELETE', `/integrations/${shopify.id}?confirm=${shopify.id}`);
  });

  it('reports a subscription Shopify refuses as a finding with the reason, not as a reconnect', async () => {
    const shopify = await h.createIntegration('shopify');
    await h.clickConnect(shopify.id);
    for (const s of subscriptions()) h.shopify.control.webhooks.unsubscribe(s.id);
    // A PUBLIC_BASE_URL Shopify cannot post to (plain http on a public host).
    const run = await runHealthChecks({ db: h.db, platforms: h.platforms, credentials: h.credentials, publicBaseUrl: 'http://ledgerbridge.example.com' }, shopify.id);
    const webhooks = run.results.find((r) => r.check === 'webhooks_subscribed')!;
    expect(webhooks.ok).toBe(false);
    expect(webhooks.message).toContain('Shopify is not sending orders/create, orders/updated, orders/cancelled, refunds/create, app/uninstalled, customers/create, customers/update, products/create, products/update to ledgerbridge, so new orders would not arrive.');
    expect(webhooks.message).toContain('Address protocol http:// is not supported');
    expect(run.verdict).toMatchObject({ status: 'error', check: 'webhooks_subscribed' });
    expect(run.verdict.reason).not.toMatch(/reconnect/i);

    await h.api('DELETE', `/integrations/${shopify.id}?confirm=${shopify.id}`);
  });

  it('removes its subscriptions when the integration is deleted', async () => {
    const shopify = await h.createIntegration('shopify');
    await h.clickConnect(shopify.id);
    await eventually(async () => (await h.row(shopify.id)).status === 'connected', 'connected');
    expect(subscriptions()).toHaveLength(TOPICS.length);
    const deleted = await h.api('DELETE', `/integrations/${shopify.id}?confirm=${shopify.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ webhooksRemoved: TOPICS.length });
    expect(subscriptions()).toEqual([]);
  });
});
