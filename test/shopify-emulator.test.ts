import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '@shopify/shopify-api';
import { CredentialsInvalidError } from '../domain/platform-errors.js';
import { startShopifyEmulator } from '../emulators/shopify/index.js';
import { APP, fixedTokens, header, startEmulatedShopify, startWebhookReceiver, subscribeThroughAdminApi, waitFor, type EmulatedShopify } from './shopify-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(...args: Parameters<typeof startEmulatedShopify>): Promise<EmulatedShopify> {
  const env = await startEmulatedShopify(...args);
  cleanups.push(() => env.emulator.close());
  return env;
}

async function receiver(statusFor?: (index: number) => number) {
  const r = await startWebhookReceiver(statusFor);
  cleanups.push(r.close);
  return r;
}

/** Follows the authorize URL like a browser would and returns the callback query Shopify redirected to. */
async function authorize(env: EmulatedShopify, state: string, redirectUri: string): Promise<Record<string, string>> {
  const url = env.platform.authorizeUrl({ shop: env.shop }, state, redirectUri);
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return Object.fromEntries(location.searchParams.entries());
}

describe('Shopify emulator OAuth with the real SDK', () => {
  it('redirects with a callback the SDK validates and exchanges the code for an offline token', async () => {
    const env = await setup({}, { expiringTokens: false });
    const query = await authorize(env, 'nonce-123', 'https://app.example.com/oauth/shopify/callback');

    expect(Object.keys(query).sort()).toEqual(['code', 'hmac', 'host', 'shop', 'state', 'timestamp']);
    expect(query.shop).toBe(env.shop);
    expect(query.state).toBe('nonce-123');
    expect(await env.platform.shopify.utils.validateHmac(query)).toBe(true);
    expect(await env.platform.shopify.utils.validateHmac({ ...query, state: 'tampered' })).toBe(false);

    const { account, credentials } = await env.platform.completeAuthorization(query, 'https://app.example.com/oauth/shopify/callback');
    expect(account).toEqual({ shop: env.shop });
    expect(credentials.accessToken).toMatch(/^shpat_/);
    expect(credentials.refreshToken).toBeNull();
    expect(credentials.accessTokenExpiresAt).toBeNull();
    // The order scopes, and the payouts' (read_shopify_payments_accounts), as the install asked.
    expect(credentials.scopes.sort()).toEqual(['read_customers', 'read_orders', 'read_products', 'read_shopify_payments_accounts']);
    expect(await env.platform.refreshTokens(credentials, account)).toBeNull();

    const source = env.platform.createSource({ integrationId: 'i1', account, tokens: fixedTokens(credentials.accessToken).provider });
    expect(await source.checkConnection()).toEqual({
      accountName: 'Test Shop',
      grantedScopes: ['read_orders', 'read_products', 'read_customers', 'read_shopify_payments_accounts'],
    });

    // Codes are single use.
    await expect(env.platform.completeAuthorization(query, '')).rejects.toMatchObject({ name: 'CredentialsInvalidError', problem: 'invalid_grant' });
  });

  it('rejects a callback with a forged signature or a stale timestamp', async () => {
    const env = await setup();
    const query = await authorize(env, 's', 'https://app.example.com/cb');
    await expect(env.platform.completeAuthorization({ ...query, code: 'other-code' }, '')).rejects.toBeInstanceOf(CredentialsInvalidError);
    const stale = { ...query, timestamp: String(Math.trunc(Date.now() / 1000) - 600) };
    await expect(env.platform.completeAuthorization(stale, '')).rejects.toThrow(/could not be verified/);
    // The genuine callback still works: the forged attempts did not use up the code.
    await expect(env.platform.completeAuthorization(query, '')).resolves.toMatchObject({ account: { shop: env.shop } });
  });

  it('issues expiring offline tokens and rotates them with the refresh token', async () => {
    const env = await setup();
    const query = await authorize(env, 's', 'https://app.example.com/cb');
    const { account, credentials } = await env.platform.completeAuthorization(query, '');
    expect(credentials.refreshToken).toMatch(/^shprt_/);
    const expiresInMs = Date.parse(credentials.accessTokenExpiresAt!) - Date.now();
    expect(expiresInMs).toBeGreaterThan(3_500_000);
    expect(expiresInMs).toBeLessThanOrEqual(3_600_000);

    const rotated = await env.platform.refreshTokens(credentials, account);
    expect(rotated).not.toBeNull();
    expect(rotated!.accessToken).not.toBe(credentials.accessToken);
    expect(rotated!.refreshToken).not.toBe(credentials.refreshToken);

    // One expiring token per shop: the old access token is dead at once.
    const oldSource = env.platform.createSource({ integrationId: 'i', account, tokens: fixedTokens(credentials.accessToken).provider });
    await expect(oldSource.checkConnection()).rejects.toBeInstanceOf(CredentialsInvalidError);

    // Resilient refreshes: until the new pair is used, the old refresh token still works (a client that
    // crashed before saving the new pair recovers). Its new pair replaces the unused one.
    const recovered = await env.platform.refreshTokens(credentials, account);
    expect(recovered!.accessToken).not.toBe(rotated!.accessToken);
    const unusedSource = env.platform.createSource({ integrationId: 'i', account, tokens: fixedTokens(rotated!.accessToken).provider });
    await expect(unusedSource.checkConnection()).rejects.toBeInstanceOf(CredentialsInvalidError);

    // Once the replacement has been used, the old refresh token is single use again: dead.
    const newSource = env.platform.createSource({ integrationId: 'i', account, tokens: fixedTokens(recovered!.accessToken).provider });
    await expect(newSource.checkConnection()).resolves.toMatchObject({ accountName: 'Test Shop' });
    await expect(env.platform.refreshTokens(credentials, account)).rejects.toMatchObject({ problem: 'invalid_grant' });
    await expect(env.platform.refreshTokens(rotated!, account)).rejects.toMatchObject({ problem: 'invalid_grant' });
  });
});

describe('Shopify emulator Admin GraphQL', () => {
  it('reports query cost and the API version, filters by updated_at and pages with opaque cursors', async () => {
    const env = await setup();
    const token = env.emulator.control.issueToken({ scopes: ['read_orders'] });
    const line = [{ title: 'Mug', quantity: 1, unitPrice: '10.00' }];
    const old = env.emulator.control.createOrder({ createdAt: '2026-01-01T00:00:00.000Z', lineItems: line });
    const since = new Date(Date.now() - 1000).toISOString();
    const recent = [1, 2, 3].map(() => env.emulator.control.createOrder({ lineItems: line }));
    const session = new Session({ id: 'offline', shop: env.shop, state: '', isOnline: false, accessToken: token.accessToken });
    const client = new env.platform.shopify.clients.Graphql({ session });
    const query = `query Changed($after: String) {
      orders(first: 2, after: $after, sortKey: UPDATED_AT, query: "updated_at:>='${since}'") {
        nodes { id legacyResourceId } pageInfo { hasNextPage endCursor }
      }
    }`;
    type Page = { orders: { nodes: Array<{ id: string; legacyResourceId: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } };

    const first = await client.request<Page>(query);
    expect(first.headers?.['X-Shopify-Api-Version']).toEqual(['2026-10']);
    const cost = first.extensions!.cost as { requestedQueryCost: number; actualQueryCost: number; throttleStatus: Record<string, number> };
    expect(cost.requestedQueryCost).toBe(2 + 2 * 1);
    expect(cost.throttleStatus).toEqual({ maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 });
    expect(cost.throttleStatus.currentlyAvailable).toBeLessThan(2000);
    expect(first.data!.orders.nodes.map((o) => o.legacyResourceId)).toEqual(recent.slice(0, 2).map((o) => o.id));
    expect(first.data!.orders.pageInfo.hasNextPage).toBe(true);
    expect(() => Buffer.from(first.data!.orders.pageInfo.endCursor, 'base64').toString()).not.toThrow();

    const second = await client.request<Page>(query, { variables: { after: first.data!.orders.pageInfo.endCursor } });
    expect(second.data!.orders.nodes.map((o) => o.legacyResourceId)).toEqual([recent[2]!.id]);
    expect(second.data!.orders.pageInfo.hasNextPage).toBe(false);
    expect(second.data!.orders.nodes.map((o) => o.id)).not.toContain(`gid://shopify/Order/${old.id}`);
    // Ids outgrow 2^53 and stay exact as strings.
    expect(BigInt(recent[0]!.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('lets an app subscribe with webhookSubscriptionCreate and then delivers to it', async () => {
    const env = await setup();
    const hooks = await receiver();
    const token = env.emulator.control.issueToken({ scopes: ['read_orders'] });
    const session = new Session({ id: 'offline', shop: env.shop, state: '', isOnline: false, accessToken: token.accessToken });
    const client = new env.platform.shopify.clients.Graphql({ session });
    const created = await client.request<{ webhookSubscriptionCreate: { userErrors: unknown[]; webhookSubscription: { topic: string; uri: string } } }>(
      `mutation Subscribe($uri: String!) {
        webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: $uri, format: JSON }) {
          userErrors { field message } webhookSubscription { id topic uri }
        }
      }`,
      { variables: { uri: hooks.url } },
    );
    expect(created.data!.webhookSubscriptionCreate).toMatchObject({ userErrors: [], webhookSubscription: { topic: 'ORDERS_CREATE', uri: hooks.url } });
    env.emulator.control.createOrder({ lineItems: [{ title: 'Mug', quantity: 1, unitPrice: '10.00' }] });
    const delivered = await waitFor(() => hooks.received[0], 'orders/create delivery');
    expect(header(delivered, 'x-shopify-topic')).toBe('orders/create');
  });
});

describe('Shopify emulator webhooks', () => {
  it('signs deliveries so the SDK validates them, with 64-bit ids as bare JSON numbers', async () => {
    const env = await setup();
    const hooks = await receiver();
    await subscribeThroughAdminApi(env, ['orders/create'], hooks.url);
    const order = env.emulator.control.createOrder({
      customer: { email: 'ada@example.com' },
      lineItems: [{ title: 'Tee', sku: 'TEE-1', quantity: 2, unitPrice: '25.00' }],
    });
    const delivered = await waitFor(() => hooks.received[0], 'orders/create delivery');

    const verdict = await env.platform.verifyWebhook({ rawBody: delivered.rawBody, headers: delivered.headers });
    const [event] = env.emulator.control.webhookEvents();
    expect(verdict).toEqual({
      valid: true,
      topic: 'orders/create',
      shop: env.shop,
      apiVersion: '2026-10',
      webhookId: header(delivered, 'x-shopify-webhook-id'),
      eventId: event!.eventId,
      triggeredAt: event!.triggeredAt,
    });
    expect(delivered.rawBody).toContain(`"id":${order.id},"admin_graphql_api_id":"gid://shopify/Order/${order.id}"`);
    const body = JSON.parse(delivered.rawBody) as { name: string; line_items: Array<{ sku: string }> };
    expect(body.name).toBe(order.name);
    expect(body.line_items[0]!.sku).toBe('TEE-1');

    const tampered = await env.platform.verifyWebhook({ rawBody: delivered.rawBody.replace('TEE-1', 'TEE-2'), headers: delivered.headers });
    expect(tampered).toEqual({ valid: false, reason: 'invalid_hmac' });
    const { ['x-shopify-webhook-id']: _dropped, ...withoutId } = delivered.headers;
    expect(await env.platform.verifyWebhook({ rawBody: delivered.rawBody, headers: withoutId })).toMatchObject({
      valid: false,
      reason: 'missing_headers',
    });
  });

  it('redelivers an event late, out of order and more than once with the same event id', async () => {
    const env = await setup();
    const hooks = await receiver();
    await subscribeThroughAdminApi(env, ['orders/create', 'orders/updated'], hooks.url);
    const order = env.emulator.control.createOrder({ lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '25.00' }] });
    await waitFor(() => hooks.received.length === 1, 'first delivery');
    const createEvent = env.emulator.control.webhookEvents()[0]!;

    // Over HTTP, as a demo script would.
    const response = await fetch(`${env.emulator.origin}/_emulator/webhooks/${createEvent.eventId}/redeliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ times: 2, delayMs: 150 }),
    });
    expect(response.status).toBe(200);
    env.emulator.control.updateOrder(order.id, { note: 'changed' });
    await waitFor(() => hooks.received.length === 4, 'four deliveries');

    const topics = hooks.received.map((w) => header(w, 'x-shopify-topic'));
    expect(topics).toEqual(['orders/create', 'orders/updated', 'orders/create', 'orders/create']);
    const createDeliveries = hooks.received.filter((w) => header(w, 'x-shopify-topic') === 'orders/create');
    expect(new Set(createDeliveries.map((w) => header(w, 'x-shopify-event-id')))).toEqual(new Set([createEvent.eventId]));
    expect(new Set(createDeliveries.map((w) => header(w, 'x-shopify-webhook-id'))).size).toBe(3);
    expect(new Set(createDeliveries.map((w) => w.rawBody)).size).toBe(1);
    for (const webhook of hooks.received) {
      expect((await env.platform.verifyWebhook({ rawBody: webhook.rawBody, headers: webhook.headers })).valid).toBe(true);
    }
    // The stale create arrived after the update: its triggered-at tells the receiver it is older.
    const updatedAt = header(hooks.received[1]!, 'x-shopify-triggered-at')!;
    expect(Date.parse(header(hooks.received[3]!, 'x-shopify-triggered-at')!)).toBeLessThan(Date.parse(updatedAt));

    const deliveries = (await (await fetch(`${env.emulator.origin}/_emulator/webhooks/deliveries?eventId=${createEvent.eventId}`)).json()) as Array<{
      kind: string;
      attempts: Array<{ status: number }>;
    }>;
    expect(deliveries.map((d) => [d.kind, d.attempts.map((a) => a.status)])).toEqual([
      ['original', [200]],
      ['redelivery', [200]],
      ['redelivery', [200]],
    ]);
  });

  it('drops the next events on request (control API): never sent, shown dropped, still sent by a redelivery', async () => {
    const env = await setup();
    const hooks = await receiver();
    await subscribeThroughAdminApi(env, ['orders/create'], hooks.url);
    const response = await fetch(`${env.emulator.origin}/_emulator/webhooks/drop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1 }),
    });
    expect(await response.json()).toEqual({ dropNext: 1 });
    const lost = env.emulator.control.createOrder({ lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '25.00' }] });
    const sent = env.emulator.control.createOrder({ lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '25.00' }] });
    await env.emulator.control.webhooksIdle();
    expect(hooks.received.map((w) => JSON.parse(w.rawBody).id)).toEqual([Number(sent.id)]);
    const lostEvent = env.emulator.control.webhookEvents().find((e) => e.body.includes(lost.id))!;
    expect(env.emulator.control.webhookDeliveries({ eventId: lostEvent.eventId }).map((d) => [d.kind, d.state, d.attempts.length])).toEqual([['original', 'dropped', 0]]);

    env.emulator.control.redeliverWebhook(lostEvent.eventId);
    await waitFor(() => hooks.received.length === 2, 'the late delivery');
    expect(header(hooks.received[1]!, 'x-shopify-event-id')).toBe(lostEvent.eventId);
  });

  it('retries a failing endpoint with the same payload and webhook id, and records each status', async () => {
    const env = await setup();
    const hooks = await receiver((index) => (index < 2 ? 500 : 200));
    await subscribeThroughAdminApi(env, ['orders/create'], hooks.url);
    env.emulator.control.createOrder({ lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '25.00' }] });
    const delivery = await waitFor(() => env.emulator.control.webhookDeliveries().find((d) => d.state === 'delivered'), 'a successful retry');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(new Set(hooks.received.map((w) => header(w, 'x-shopify-webhook-id')))).toEqual(new Set([delivery.webhookId]));
    expect(new Set(hooks.received.map((w) => w.rawBody)).size).toBe(1);
  });

  it('gives up after the retry schedule and reports the failures', async () => {
    const env = await setup({ webhookRetryDelaysMs: [10, 10] });
    const hooks = await receiver(() => 503);
    await subscribeThroughAdminApi(env, ['orders/create'], hooks.url);
    env.emulator.control.createOrder({ lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '25.00' }] });
    const delivery = await waitFor(() => env.emulator.control.webhookDeliveries().find((d) => d.state === 'failed'), 'the delivery to fail');
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
  });

  it('on uninstall sends app/uninstalled and answers 401 for every token', async () => {
    const env = await setup();
    const hooks = await receiver();
    await subscribeThroughAdminApi(env, ['app/uninstalled'], hooks.url);
    const token = env.emulator.control.issueToken({ scopes: ['read_orders'] });
    const order = env.emulator.control.createOrder({ lineItems: [{ title: 'Tee', quantity: 1, unitPrice: '25.00' }] });
    const tokens = fixedTokens(token.accessToken);
    const source = env.platform.createSource({ integrationId: 'i', account: { shop: env.shop }, tokens: tokens.provider });
    expect(await source.getOrder(order.id)).not.toBeNull();

    const uninstall = await fetch(`${env.emulator.origin}/_emulator/uninstall`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shop: env.shop }),
    });
    expect(uninstall.status).toBe(200);
    const delivered = await waitFor(() => hooks.received[0], 'app/uninstalled delivery');
    const verdict = await env.platform.verifyWebhook({ rawBody: delivered.rawBody, headers: delivered.headers });
    expect(verdict).toMatchObject({ valid: true, topic: 'app/uninstalled', shop: env.shop });
    expect(JSON.parse(delivered.rawBody)).toMatchObject({ myshopify_domain: env.shop });

    const error = await source.getOrder(order.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsInvalidError);
    expect((error as CredentialsInvalidError).message).toContain(`Shopify no longer accepts ledgerbridge's access for ${env.shop}`);
    expect(tokens.rejected).toEqual([token.accessToken]);
    const scopes = await fetch(`${env.emulator.origin}/admin/oauth/access_scopes.json`, {
      headers: { 'x-shopify-access-token': token.accessToken, 'x-emulated-shop': env.shop },
    });
    expect(scopes.status).toBe(401);
    expect(await scopes.json()).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  });
});

describe('Shopify emulator hosting', () => {
  it('serves several shops from one emulator, picked by the shop header', async () => {
    const emulator = await startShopifyEmulator({
      apiKey: APP.apiKey,
      apiSecret: APP.apiSecret,
      shops: [{ domain: 'one-shop.myshopify.com', name: 'One' }, { domain: 'two-shop.myshopify.com', name: 'Two' }],
    });
    cleanups.push(() => emulator.close());
    const two = emulator.control.issueToken({ shop: 'two-shop.myshopify.com' });
    const ask = (shop: string) =>
      fetch(`${emulator.origin}/admin/api/2026-01/graphql.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': two.accessToken, 'x-emulated-shop': shop },
        body: JSON.stringify({ query: '{ shop { name myshopifyDomain } }' }),
      });
    expect(await (await ask('two-shop.myshopify.com')).json()).toMatchObject({ data: { shop: { name: 'Two' } } });
    // A token of one shop is worthless at another.
    expect((await ask('one-shop.myshopify.com')).status).toBe(401);
  });
});

describe('Shopify emulator: refunds (Refund, RefundLineItem, RefundShippingLine, OrderTransaction in the real Admin schema)', () => {
  it('refunds an order through the control API, sends a signed refunds/create, and serves the refund to the commerce source', async () => {
    const env = await setup();
    const hooks = await receiver();
    await subscribeThroughAdminApi(env, ['refunds/create'], hooks.url);
    const order = env.emulator.control.createOrder({
      lineItems: [{ title: 'Tee', sku: 'TEE', quantity: 2, unitPrice: '25.00', discount: '5.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '9.00' }] }],
      shippingLines: [{ title: 'Post', price: '4.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '0.80' }] }],
    });
    const lineItemId = order.lineItems[0]!.id;

    // Over HTTP, as a demo script would: one of two tees (25.00 less half the discount) and the shipping, tax on top.
    const response = await fetch(`${env.emulator.origin}/_emulator/orders/${order.id}/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ lineItemId, quantity: 1, restockType: 'NO_RESTOCK' }], shipping: true, note: 'damaged' }),
    });
    expect(response.status).toBe(201);
    const refund = (await response.json()) as { id: string; total: string };
    expect(refund.total).toBe('31.80');

    const [webhook] = await waitFor(() => (hooks.received.length === 1 ? hooks.received : null), 'the refunds/create delivery');
    expect(header(webhook!, 'x-shopify-topic')).toBe('refunds/create');
    expect((await env.platform.verifyWebhook({ rawBody: webhook!.rawBody, headers: webhook!.headers })).valid).toBe(true);
    // REST refund: ids as bare 64-bit numbers, the order's id, its lines and the REFUND transaction.
    expect(webhook!.rawBody).toContain(`"order_id":${order.id}`);
    const body = JSON.parse(webhook!.rawBody) as Record<string, any>;
    expect(body.refund_line_items.map((l: any) => [l.quantity, l.restock_type, l.subtotal, l.total_tax])).toEqual([[1, 'no_restock', '22.50', '4.50']]);
    expect(body.transactions.map((t: any) => [t.kind, t.status, t.amount])).toEqual([['refund', 'success', '31.80']]);

    const source = env.platform.createSource({ integrationId: 'integration-1', account: { shop: env.shop }, tokens: fixedTokens(env.emulator.control.issueToken({ scopes: ['read_orders'] }).accessToken).provider });
    const refunds = await source.getRefunds!(order.id);
    expect(refunds).toEqual([
      {
        id: refund.id,
        orderId: order.id,
        createdAt: expect.any(String),
        note: 'damaged',
        lines: [{ lineId: lineItemId, quantity: 1, subtotal: '22.50', tax: '4.50', restock: false }],
        shipping: { amount: '4.00', tax: '0.80' },
        total: '31.80',
      },
    ]);
    // currentTotalPriceSet is the total "after returns": the refunded tee (22.50 + 4.50 tax) comes off, the shipping stays [U].
    expect(await source.getOrder(order.id)).toMatchObject({ financialStatus: 'partially_refunded', total: '58.80', currentTotal: '31.80' });

    // Shopify refuses to refund more units than are left; so does the emulator.
    const tooMany = await fetch(`${env.emulator.origin}/_emulator/orders/${order.id}/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lines: [{ lineItemId, quantity: 2 }] }),
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: string }).error).toBe(`line item ${lineItemId} has 1 unit(s) left to refund, not 2`);
  });

  it('refunds an amount alone (no items, no shipping) as one REFUND transaction, read as an amount-only refund in both currencies; refuses a refund of nothing or of more than is left', async () => {
    const env = await setup();
    const hooks = await receiver();
    await subscribeThroughAdminApi(env, ['refunds/create'], hooks.url);
    // Sold in euros, paid in dollars (1 EUR = 1.08 USD): 50.00 + 10.00 VAT = 60.00.
    const order = env.emulator.control.createOrder({
      currency: 'EUR',
      presentmentCurrency: 'USD',
      presentmentRate: 1.08,
      lineItems: [{ title: 'Tee', sku: 'TEE', quantity: 2, unitPrice: '25.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '10.00' }] }],
    });
    const refundAt = (body: unknown) =>
      fetch(`${env.emulator.origin}/_emulator/orders/${order.id}/refunds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const response = await refundAt({ amount: '12.50', note: 'goodwill' });
    expect(response.status).toBe(201);
    const refund = (await response.json()) as { id: string; total: string };
    expect(refund.total).toBe('12.50');
    const [webhook] = await waitFor(() => (hooks.received.length === 1 ? hooks.received : null), 'the refunds/create delivery');
    const body = JSON.parse(webhook!.rawBody) as Record<string, any>;
    expect([body.refund_line_items, body.refund_shipping_lines]).toEqual([[], []]);
    expect(body.transactions.map((t: any) => [t.kind, t.status, t.amount])).toEqual([['refund', 'success', '12.50']]);

    const source = env.platform.createSource({ integrationId: 'integration-1', account: { shop: env.shop }, tokens: fixedTokens(env.emulator.control.issueToken({ scopes: ['read_orders'] }).accessToken).provider });
    const [read, ...others] = (await source.getRefunds!(order.id))!;
    expect(others).toEqual([]);
    expect(read).toEqual({
      id: refund.id,
      orderId: order.id,
      createdAt: expect.any(String),
      note: 'goodwill',
      lines: [],
      shipping: null,
      total: '12.50',
      // What the buyer got back in dollars (totalRefundedSet.presentmentMoney), for a route that booked the sale in them.
      presentment: expect.objectContaining({ lines: [], shipping: null, total: '13.50' }),
    });
    // No units came back: the current total stays; the order is partly refunded.
    expect(await source.getOrder(order.id)).toMatchObject({ financialStatus: 'partially_refunded', total: '60.00', currentTotal: '60.00' });

    // Refused as Shopify refuses: a refund of nothing, more money than is left, an amount of nothing.
    const refused = async (body: unknown) => {
      const answer = await refundAt(body);
      return [answer.status, ((await answer.json()) as { error: string }).error];
    };
    expect(await refused({ note: 'nothing' })).toEqual([400, 'a refund needs at least one line, the shipping or an amount']);
    expect(await refused({ amount: '47.51' })).toEqual([400, `order ${order.id} has 47.50 left to refund, not 47.51`]);
    expect(await refused({ amount: '0.00' })).toEqual([400, 'a refund amount must be more than 0, not "0.00"']);
    // The rest of the money refunds the order in full.
    expect((await refundAt({ amount: '47.50' })).status).toBe(201);
    expect(await source.getOrder(order.id)).toMatchObject({ financialStatus: 'refunded' });
  });
});
