import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_PATHS, startSquarespaceEmulator, type SquarespaceEmulator } from '../emulators/squarespace/index.js';
import { approveConsent } from '../emulators/common/oauth-consent.js';

const APP = { clientId: 'emulator-test-client', clientSecret: 'emulator-test-secret' };
const UA = 'ledgerbridge-tests/1.0';
const COOL_DOWN_MS = 1_500;

/** The Squarespace emulator refuses what Squarespace refuses, over HTTP, as a client meets it. */
describe('Squarespace emulator', () => {
  let site: SquarespaceEmulator;
  let receiver: { url: string; bodies: Array<{ body: string; headers: Record<string, string> }>; close(): Promise<void> };

  beforeAll(async () => {
    site = await startSquarespaceEmulator({ ...APP, pageSize: 2, httpEndpointHosts: ['127.0.0.1'], rateLimit: { requests: 300, windowMs: 60_000, coolDownMs: COOL_DOWN_MS } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await site?.close();
    await receiver?.close();
  });

  async function tokens(body: Record<string, string>) {
    const response = await fetch(site.origin + OAUTH_PATHS.tokens, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`, 'content-type': 'application/json', 'user-agent': UA },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  const REDIRECT_URI = 'http://127.0.0.1:1/callback';

  async function consent(scope: string) {
    const url = `${site.origin}${OAUTH_PATHS.authorize}?${new URLSearchParams({ client_id: APP.clientId, redirect_uri: REDIRECT_URI, scope, state: 's1', access_type: 'offline' })}`;
    const { query } = await approveConsent(url);
    expect(query.state).toBe('s1');
    return query.code!;
  }

  async function connect(scope = 'website.orders.read,website.transactions.read,website.products.read') {
    const answer = await tokens({ grant_type: 'authorization_code', code: await consent(scope), redirect_uri: REDIRECT_URI });
    expect(answer.status).toBe(200);
    return answer.body;
  }

  const api = (path: string, token: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(site.origin + path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        'user-agent': UA,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }).then(async (r) => ({ status: r.status, body: r.status === 204 ? null : ((await r.json()) as any) }));

  it('grants 30-minute access tokens with expiries as epoch-second strings; a code works once', async () => {
    const before = Date.now() / 1000;
    const pair = await connect();
    expect(pair.token_type).toBe('bearer');
    expect(pair.access_token_expires_at).toMatch(/^\d+\.\d{3}$/);
    expect(Number(pair.access_token_expires_at) - before).toBeGreaterThan(29 * 60);
    expect(Number(pair.access_token_expires_at) - before).toBeLessThan(31 * 60);
    expect(Number(pair.refresh_token_expires_at) - before).toBeGreaterThan(6 * 24 * 3600);
    const code = await consent('website.orders.read');
    expect((await tokens({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI })).status).toBe(200);
    expect(await tokens({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a request without User-Agent, at the API and at the token endpoint', async () => {
    const pair = await connect();
    // fetch always sends one ("node"): node:http sends none unless told.
    const refused = await withoutUserAgent(site.origin + '/1.0/commerce/orders', 'GET', { authorization: `Bearer ${pair.access_token}` });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'INVALID_REQUEST_ERROR', details: null, contextId: expect.any(String) });
    const basic = `Basic ${Buffer.from(`${APP.clientId}:${APP.clientSecret}`).toString('base64')}`;
    const tokenRefused = await withoutUserAgent(site.origin + OAUTH_PATHS.tokens, 'POST', { authorization: basic, 'content-type': 'application/json' }, JSON.stringify({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }));
    expect(tokenRefused.status).toBe(400);
    expect((await api('/1.0/commerce/orders', pair.access_token!)).status).toBe(200);
  });

  it('refuses an expired access token with 401 AUTHORIZATION_ERROR; the refresh token rotates and dies once its successor is used', async () => {
    const pair = await connect();
    site.control.expireAccessTokens();
    const expired = await api('/1.0/authorization/website', pair.access_token!);
    expect(expired).toMatchObject({ status: 401, body: { type: 'AUTHORIZATION_ERROR' } });
    const next = await tokens({ grant_type: 'refresh_token', refresh_token: pair.refresh_token! });
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(pair.refresh_token);
    expect((await api('/1.0/authorization/website', next.body.access_token!)).body.id).toBe(site.control.site.websiteId);
    // Used: the refresh token it replaced is dead.
    expect(await tokens({ grant_type: 'refresh_token', refresh_token: pair.refresh_token! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    site.control.revokeTokens();
    expect((await api('/1.0/authorization/website', next.body.access_token!)).status).toBe(401);
  });

  it('answers the 301st request in a minute with 429 TOO_MANY_REQUESTS, and keeps refusing for the cool-down', async () => {
    const { access_token: token } = await connect();
    // The window counts every request since the site started: fill it to the limit.
    const statuses: number[] = [];
    for (let i = 0; statuses.length === 0 || statuses[statuses.length - 1] !== 429; i++) {
      if (i > 400) throw new Error('no 429 after 400 requests');
      statuses.push((await api('/1.0/authorization/website', token!)).status);
    }
    // Exactly 300 were served in the minute (every earlier test's too: the file runs within one minute).
    const firstRefused = site.control.requests.findIndex((r) => r.status === 429);
    expect(site.control.requests.slice(0, firstRefused).filter((r) => r.status === 200)).toHaveLength(300);
    const over = await api('/1.0/authorization/website', token!);
    expect(over).toMatchObject({ status: 429, body: { type: 'TOO_MANY_REQUESTS' } });
    const during = await fetch(site.origin + '/1.0/authorization/website', { headers: { authorization: `Bearer ${token}`, 'user-agent': UA } });
    expect(during.headers.get('retry-after')).toBeNull();
    const lockedUntil = site.control.limiter.coolingDownUntil;
    expect(lockedUntil - Date.now()).toBeGreaterThan(0);
    // The cool-down is real: the first request after it is served.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lockedUntil - Date.now()) + 20));
    expect((await api('/1.0/authorization/website', token!)).status).toBe(200);
  });

  it('lists orders 50 (here 2) a page by cursor alone; the date pair goes together; PENDING is hidden unless asked for', async () => {
    const { access_token: token } = await connect();
    const start = new Date(Date.now() - 1000).toISOString();
    const made = [1, 2, 3].map(() => site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }] }));
    site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }], paymentState: 'PENDING' });
    const end = new Date(Date.now() + 1000).toISOString();
    expect((await api(`/1.0/commerce/orders?modifiedAfter=${start}`, token!)).body).toMatchObject({ type: 'INVALID_REQUEST_ERROR', message: expect.stringContaining('together') });
    const first = await api(`/1.0/commerce/orders?modifiedAfter=${start}&modifiedBefore=${end}`, token!);
    expect(first.body.result.map((o: { id: string }) => o.id)).toEqual(made.slice(0, 2).map((o) => o.id));
    expect(first.body.pagination).toMatchObject({ hasNextPage: true, nextPageCursor: expect.any(String) });
    expect((await api(`/1.0/commerce/orders?cursor=${first.body.pagination.nextPageCursor}&modifiedAfter=${start}`, token!)).status).toBe(400);
    const second = await api(`/1.0/commerce/orders?cursor=${first.body.pagination.nextPageCursor}`, token!);
    expect(second.body.result.map((o: { id: string }) => o.id)).toEqual([made[2]!.id]);
    expect(second.body.pagination).toEqual({ hasNextPage: false, nextPageCursor: null, nextPageUrl: null });
    const all = await api(`/1.0/commerce/orders?modifiedAfter=${start}&modifiedBefore=${end}&paymentStates=PAID,PENDING`, token!);
    expect(all.body.result).toHaveLength(2);
    const order = (await api(`/1.0/commerce/orders/${made[0]!.id}`, token!)).body;
    expect(order.grandTotal).toEqual({ currency: 'USD', value: '8.00' });
    const products = (await api('/v2/commerce/products?type=PHYSICAL', token!)).body;
    expect(products.products[0].variants[0]).toMatchObject({ sku: 'MUG-1', pricing: { basePrice: { value: '8.00' } } });
  });

  it('lists products only with a type, by modification, cursor alone on later pages; by ids up to 50', async () => {
    const { access_token: token } = await connect();
    expect((await api('/v2/commerce/products', token!)).body).toMatchObject({ type: 'INVALID_REQUEST_ERROR', subtype: 'MISSING_ARGUMENT', message: expect.stringContaining('type') });
    expect((await api('/v2/commerce/products?type=BOOK', token!)).status).toBe(400);
    const start = new Date(Date.now() - 1).toISOString();
    const made = ['Lamp', 'Vase', 'Rug'].map((name, i) => site.control.createProduct({ name, variants: [{ sku: `HOME-${i}`, price: '30.00', attributes: { Colour: 'Blue' } }] }));
    const end = new Date(Date.now() + 1000).toISOString();
    const first = await api(`/v2/commerce/products?type=PHYSICAL,DIGITAL&modifiedAfter=${start}&modifiedBefore=${end}`, token!);
    expect(first.body.products.map((p: { id: string }) => p.id)).toEqual(made.slice(0, 2).map((p) => p.id));
    expect((await api(`/v2/commerce/products?cursor=${first.body.pagination.nextPageCursor}&type=PHYSICAL`, token!)).status).toBe(400);
    const second = await api(`/v2/commerce/products?cursor=${first.body.pagination.nextPageCursor}`, token!);
    expect(second.body.products.map((p: { id: string }) => p.id)).toEqual([made[2]!.id]);
    const byIds = await api(`/v2/commerce/products/${made[0]!.id},${made[2]!.id}`, token!);
    expect(byIds.body.products.map((p: { name: string }) => p.name).sort()).toEqual(['Lamp', 'Rug']);
    expect(byIds.body.products[0].variants[0]).toMatchObject({ sku: expect.stringMatching(/^HOME-/), attributes: { Colour: 'Blue' }, pricing: { basePrice: { currency: 'USD', value: '30.00' } } });
    expect((await api(`/v2/commerce/products/${Array.from({ length: 51 }, (_, i) => i).join(',')}`, token!)).status).toBe(400);
    // The same gate as every Commerce API: User-Agent, bearer token, the Products scope.
    expect((await withoutUserAgent(`${site.origin}/v2/commerce/products?type=PHYSICAL`, 'GET', { authorization: `Bearer ${token!}` })).status).toBe(400);
    expect((await api('/v2/commerce/products?type=PHYSICAL', 'not-a-token')).body).toMatchObject({ type: 'AUTHORIZATION_ERROR' });
    const { access_token: ordersOnly } = await connect('website.orders.read');
    expect((await api('/v2/commerce/products?type=PHYSICAL', ordersOnly!)).body).toMatchObject({ type: 'AUTHORIZATION_ERROR', subtype: 'MISSING_SCOPE' });
    expect((await withoutUserAgent(`${site.origin}/1.0/profiles`, 'GET', { authorization: `Bearer ${token!}` })).status).toBe(400);
  });

  it('filters profiles as Squarespace documents (isCustomer/hasAccount true only; email alone), sorts by id descending by default; an unknown id is a 404', async () => {
    const { access_token: token } = await connect();
    const buyer = site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }], customer: { email: 'Lin@Example.com', firstName: 'Lin', lastName: 'Ng' } });
    const again = site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }], customer: { email: 'lin@example.com', firstName: 'Lin', lastName: 'Ng' } });
    // A profile's email is unique: the returning customer's order names the same profile.
    expect(again.customerId).toBe(buyer.customerId);
    const subscriber = site.control.createProfile({ email: 'news@example.com', firstName: 'Nell' });
    for (const bad of ['filter=isCustomer,false', 'filter=isCustomer,true;email,lin%40example.com', 'sortField=modifiedOn', 'sortDirection=up', 'filter=isCustomer,true&cursor=abc']) {
      expect((await api(`/1.0/profiles?${bad}`, token!)).body, bad).toMatchObject({ type: 'INVALID_REQUEST_ERROR' });
    }
    const customers: string[] = [];
    let page = (await api('/1.0/profiles?filter=isCustomer,true', token!)).body;
    for (;;) {
      customers.push(...page.profiles.map((p: { id: string }) => p.id));
      if (!page.pagination.hasNextPage) break;
      page = (await api(`/1.0/profiles?cursor=${page.pagination.nextPageCursor}`, token!)).body;
    }
    expect(customers).toContain(buyer.customerId);
    expect(customers).not.toContain(subscriber.id);
    expect(customers).toEqual([...customers].sort().reverse());
    expect((await api('/1.0/profiles?filter=email,LIN%40example.com', token!)).body.profiles.map((p: { id: string }) => p.id)).toEqual([buyer.customerId]);
    expect((await api(`/1.0/profiles/${subscriber.id as string}`, token!)).body.profiles).toMatchObject([{ email: 'news@example.com', isCustomer: false }]);
    expect((await api(`/1.0/profiles/${subscriber.id as string},0123456789abcdef01234567`, token!)).status).toBe(404);
  });

  it('refuses a bad subscription request; a created one shows its hex secret once and signs with the hex-decoded secret', async () => {
    const { access_token: token } = await connect();
    const plain = await api('/1.0/webhook_subscriptions', token!, { method: 'POST', body: { endpointUrl: 'http://shop.example.com/hook', topics: ['order.create'] } });
    expect(plain).toMatchObject({ status: 400, body: { type: 'INVALID_REQUEST_ERROR' } });
    const unknownTopic = await api('/1.0/webhook_subscriptions', token!, { method: 'POST', body: { endpointUrl: receiver.url, topics: ['order.deleted'] } });
    expect(unknownTopic.status).toBe(400);
    const { access_token: productsOnly } = await connect('website.products.read');
    const noScope = await api('/1.0/webhook_subscriptions', productsOnly!, { method: 'POST', body: { endpointUrl: receiver.url, topics: ['order.create'] } });
    expect(noScope).toMatchObject({ status: 403, body: { type: 'AUTHORIZATION_ERROR', subtype: 'MISSING_SCOPE' } });

    const created = await api('/1.0/webhook_subscriptions', token!, { method: 'POST', body: { endpointUrl: receiver.url, topics: ['order.create', 'order.update'] } });
    expect(created.status).toBe(200);
    expect(created.body.secret).toMatch(/^[0-9a-f]{64}$/);
    const listed = await api('/1.0/webhook_subscriptions', token!);
    expect(listed.body.webhookSubscriptions.find((s: { id: string }) => s.id === created.body.id)).not.toHaveProperty('secret');

    const order = site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }] });
    await site.control.webhooks.idle();
    const delivered = receiver.bodies.find((d) => d.body.includes(order.id as string))!;
    expect(delivered.headers['user-agent']).toBe('Squarespace/1.0');
    expect(JSON.parse(delivered.body)).toMatchObject({ topic: 'order.create', subscriptionId: created.body.id, websiteId: site.control.site.websiteId, data: { orderId: order.id } });
    const decoded = createHmac('sha256', Buffer.from(created.body.secret, 'hex')).update(delivered.body).digest('hex');
    const asText = createHmac('sha256', created.body.secret).update(delivered.body).digest('hex');
    expect(delivered.headers['squarespace-signature']).toBe(decoded);
    expect(decoded).not.toBe(asText);
    expect((await api(`/1.0/webhook_subscriptions/${created.body.id}`, token!, { method: 'DELETE' })).status).toBe(204);
  });

  it("a refund made in Squarespace is on the order (refundedTotal, REFUNDED) and under its payment in the Transactions document, with order.update REFUNDED; a gateway refund never reaches the Transactions API", async () => {
    const { access_token: token } = await connect();
    const subscription = await api('/1.0/webhook_subscriptions', token!, { method: 'POST', body: { endpointUrl: receiver.url, topics: ['order.update'] } });
    const order = site.control.createOrder({ currency: 'GBP', lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 3, price: '8.00' }] });
    const id = order.id as string;
    const documentOf = async () => (await api(`/1.0/commerce/transactions?orderId=${id}`, token!)).body.documents[0];
    const before = await documentOf();

    const first = await fetch(`${site.origin}/_emulator/orders/${id}/refunds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: '8.00' }) });
    expect(first.status).toBe(201);
    const { refund } = (await first.json()) as { refund: { id: string } };
    const refunded = (await api(`/1.0/commerce/orders/${id}`, token!)).body;
    expect(refunded).toMatchObject({ paymentState: 'REFUNDED', refundedTotal: { currency: 'GBP', value: '8.00' }, grandTotal: { currency: 'GBP', value: '24.00' } });
    expect(Date.parse(refunded.modifiedOn)).toBeGreaterThan(Date.parse(refunded.createdOn));
    const document = await documentOf();
    expect(Date.parse(document.modifiedOn)).toBeGreaterThan(Date.parse(before.modifiedOn));
    expect(document.payments[0]).toMatchObject({ amount: { value: '24.00' }, refundedAmount: { currency: 'GBP', value: '8.00' }, netAmount: { value: '16.00' } });
    expect(document.payments[0].refunds).toEqual([{ id: refund.id, amount: { currency: 'GBP', value: '8.00' }, refundedOn: refunded.modifiedOn, externalTransactionId: expect.stringMatching(/^re_/) }]);
    expect(refund.id).toMatch(/^[0-9a-f]{24}$/);
    await site.control.webhooks.idle();
    const notified = receiver.bodies.map((d) => JSON.parse(d.body)).filter((n) => n.subscriptionId === subscription.body.id && n.data.orderId === id);
    expect(notified.map((n) => [n.topic, n.data.update])).toEqual([['order.update', 'REFUNDED']]);

    // Refunded in Stripe's dashboard: the order may show it [U], the Transactions API never does [C].
    site.control.refundOrder(id, '8.00', 'shown');
    expect((await api(`/1.0/commerce/orders/${id}`, token!)).body.refundedTotal).toEqual({ currency: 'GBP', value: '16.00' });
    expect((await documentOf()).payments[0].refunds).toHaveLength(1);
    site.control.refundOrder(id, '4.00', 'unseen');
    expect((await api(`/1.0/commerce/orders/${id}`, token!)).body.refundedTotal).toEqual({ currency: 'GBP', value: '16.00' });
    // More than is left to refund is refused.
    const over = await fetch(`${site.origin}/_emulator/orders/${id}/refunds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: '8.01' }) });
    expect(over.status).toBe(400);
    expect((await api(`/1.0/webhook_subscriptions/${subscription.body.id}`, token!, { method: 'DELETE' })).status).toBe(204);
  });

  it('plays a pending refund [U]: on the order and notified at once, in the Transactions document only once listed (by the control, or after the set delay), the order unchanged then', async () => {
    const { access_token: token } = await connect();
    const subscription = await api('/1.0/webhook_subscriptions', token!, { method: 'POST', body: { endpointUrl: receiver.url, topics: ['order.update'] } });
    const control = (path: string, body: unknown) => fetch(`${site.origin}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const order = site.control.createOrder({ currency: 'GBP', lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 3, price: '8.00' }] });
    const id = order.id as string;
    const refundsListed = async () => (await api(`/1.0/commerce/transactions?orderId=${id}`, token!)).body.documents[0].payments[0].refunds as Array<{ id: string }>;
    expect((await control('refund-listing', { mode: 'sometimes' })).status).toBe(400);
    expect((await control('refund-listing', { mode: 'later' })).status).toBe(200);
    const deliveredBefore = site.control.webhooks.deliveries.length;
    const { refund } = site.control.refundOrder(id, '8.00')!;
    const refunded = (await api(`/1.0/commerce/orders/${id}`, token!)).body;
    expect(refunded.refundedTotal).toEqual({ currency: 'GBP', value: '8.00' });
    expect(site.control.webhooks.deliveries.slice(deliveredBefore).map((d) => JSON.parse(d.body).data)).toEqual([{ orderId: id, update: 'REFUNDED' }]);
    expect(await refundsListed()).toEqual([]);

    expect(await (await control('refunds/list-pending', { orderId: id })).json()).toEqual({ listed: 1 });
    expect((await refundsListed()).map((r) => r.id)).toEqual([refund!.id]);
    // Squarespace's order is not modified by its refund being listed: a poll by modifiedOn never sees it.
    expect((await api(`/1.0/commerce/orders/${id}`, token!)).body.modifiedOn).toBe(refunded.modifiedOn);

    // Listed by itself after the set delay.
    await control('refund-listing', { mode: 'later', delayMs: 50 });
    const { refund: second } = site.control.refundOrder(id, '4.00')!;
    expect((await refundsListed()).map((r) => r.id)).toEqual([refund!.id]);
    await eventuallyTrue(async () => (await refundsListed()).some((r) => r.id === second!.id));
    await control('refund-listing', { mode: 'at_once' });
    expect((await api(`/1.0/webhook_subscriptions/${subscription.body.id}`, token!, { method: 'DELETE' })).status).toBe(204);
  });

  it('fails Commerce API calls while the fault control says so (503 with an error body, or 429), and answers again once healed', async () => {
    const { access_token: token } = await connect();
    const order = site.control.createOrder({ currency: 'GBP', lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }] });
    const faults = (init: { method: string; body?: unknown }) =>
      fetch(`${site.origin}/_emulator/faults`, { method: init.method, headers: init.body === undefined ? {} : { 'content-type': 'application/json' }, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    await faults({ method: 'POST', body: { failNext: 2, throttleNext: 1 } });
    const down = await api(`/1.0/commerce/orders/${order.id}`, token!);
    expect(down).toMatchObject({ status: 503, body: { type: 'SERVICE_UNAVAILABLE', details: null, contextId: expect.any(String) } });
    expect((await api(`/1.0/commerce/transactions?orderId=${order.id}`, token!)).status).toBe(503);
    expect((await api(`/1.0/commerce/orders/${order.id}`, token!)).body).toMatchObject({ type: 'TOO_MANY_REQUESTS' });
    expect((await api(`/1.0/commerce/orders/${order.id}`, token!)).status).toBe(200);
    await faults({ method: 'POST', body: { failNext: 1000 } });
    expect((await api(`/1.0/commerce/orders/${order.id}`, token!)).status).toBe(503);
    await faults({ method: 'DELETE' });
    expect((await api(`/1.0/commerce/orders/${order.id}`, token!)).status).toBe(200);
  });
});

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A request with no User-Agent header at all. */
async function withoutUserAgent(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: any }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/** A local endpoint that records what Squarespace posts to it. */
async function startReceiver() {
  const { createServer } = await import('node:http');
  const bodies: Array<{ body: string; headers: Record<string, string> }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push({ body, headers: request.headers as Record<string, string> });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
