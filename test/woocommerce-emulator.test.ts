import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WooCommerceRestApi } from '../platforms/woocommerce/rest-client-class.js';
import { answerKeyGrant, startWooCommerceEmulator, type WooCommerceEmulator, type WooCommerceEmulatorOptions } from '../emulators/woocommerce/index.js';
import { startWebhookReceiver, waitFor } from './shopify-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function site(options: WooCommerceEmulatorOptions = {}): Promise<WooCommerceEmulator> {
  const emulator = await startWooCommerceEmulator(options);
  cleanups.push(() => emulator.close());
  return emulator;
}

async function receiver(statusFor?: (index: number) => number) {
  const r = await startWebhookReceiver(statusFor);
  cleanups.push(r.close);
  return r;
}

function client(emulator: WooCommerceEmulator, key: { consumerKey: string; consumerSecret: string }) {
  return new WooCommerceRestApi({ url: emulator.origin, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, version: 'wc/v3' });
}

/** What the client threw: WooCommerce's status and error body. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: any; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown; headers: Record<string, string> } }).response;
    if (response) return { status: response.status, body: response.data, headers: response.headers };
    throw error;
  }
  throw new Error('the call succeeded');
}

const ORDER = {
  currency: 'GBP',
  taxRate: { label: 'VAT', percent: 20 },
  lines: [{ name: 'T-shirt', sku: 'TS-1', quantity: 2, price: '50.00' }],
  shipping: { methodTitle: 'Flat rate', total: '10.00' },
  customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
};

describe('WooCommerce emulator with the official JS client', () => {
  it('serves an order over plain HTTP to the client signing with OAuth 1.0a, money as strings and dates without offset', async () => {
    const emulator = await site();
    const order = emulator.control.createOrder(ORDER);
    const { data, status } = await client(emulator, emulator.control.createKey()).get(`orders/${order.id}`);
    expect(status).toBe(200);
    expect(data).toMatchObject({ id: order.id, total: '132.00', total_tax: '22.00', shipping_total: '10.00', prices_include_tax: false, currency: 'GBP' });
    expect(data.line_items[0]).toMatchObject({ sku: 'TS-1', quantity: 2, subtotal: '100.00', total: '100.00', total_tax: '20.00', price: 50 });
    expect(data.date_created_gmt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    // Site time is an hour ahead of UTC in this site.
    expect(Date.parse(`${data.date_created}Z`) - Date.parse(`${data.date_created_gmt}Z`)).toBe(3_600_000);
  });

  it('accepts the client repeating its query parameters (it puts them in the URL and again beside the OAuth ones)', async () => {
    const emulator = await site();
    for (let i = 0; i < 3; i++) emulator.control.createOrder(ORDER);
    const response = await client(emulator, emulator.control.createKey()).get('orders', { per_page: 2, page: 2 });
    expect(response.data).toHaveLength(1);
    expect(response.headers['x-wp-total']).toBe('3');
    expect(response.headers['x-wp-totalpages']).toBe('2');
    const sent = new URL(emulator.control.requests.at(-1)!.url, emulator.origin).searchParams;
    expect(sent.getAll('per_page')).toEqual(['2', '2']);
    expect(sent.getAll('page')).toEqual(['2', '2']);
  });

  it('refuses a wrong signature, a replayed nonce, a revoked key and a call without credentials, with WooCommerce error bodies', async () => {
    const emulator = await site();
    const order = emulator.control.createOrder(ORDER);
    const key = emulator.control.createKey();

    const wrongSecret = await refusal(client(emulator, { ...key, consumerSecret: `${key.consumerSecret}x` }).get(`orders/${order.id}`));
    expect(wrongSecret).toMatchObject({ status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } } });

    // The same signed URL twice: the nonce was spent by the first call.
    const first = await fetch(signedUrl(emulator, key, `orders/${order.id}`));
    expect(first.status).toBe(200);
    const replay = await fetch(first.url);
    expect(replay.status).toBe(401);
    expect((await replay.json()) as object).toMatchObject({ message: 'Invalid nonce - nonce has already been used.' });

    const anonymous = await fetch(`${emulator.origin}/wp-json/wc/v3/orders`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });

    // Basic auth over plain HTTP never reaches WooCommerce's key check.
    const basic = await fetch(`${emulator.origin}/wp-json/wc/v3/orders/${order.id}`, { headers: { authorization: `Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    expect(((await basic.json()) as { code: string }).code).toBe('woocommerce_rest_cannot_view');

    emulator.control.revokeKeys();
    const revoked = await refusal(client(emulator, key).get(`orders/${order.id}`));
    expect(revoked).toMatchObject({ status: 401, body: { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.' } });
  });

  it('over HTTPS takes Basic auth, and names a wrong secret with its WWW-Authenticate header', async () => {
    const emulator = await site({ ssl: true });
    const key = emulator.control.createKey();
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${key.consumerKey}:${secret}`).toString('base64')}` });
    expect((await fetch(`${emulator.origin}/wp-json/wc/v3/orders`, { headers: basic(key.consumerSecret) })).status).toBe(200);
    const wrong = await fetch(`${emulator.origin}/wp-json/wc/v3/orders`, { headers: basic('cs_wrong') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm="WooCommerce API/);
    expect(((await wrong.json()) as { message: string }).message).toBe('Consumer secret is invalid.');
  });

  it('refuses what WooCommerce refuses: per_page above 100, a write with a read key, an unknown order, a webhook without a valid topic or URL', async () => {
    const emulator = await site();
    const api = client(emulator, emulator.control.createKey());
    expect(await refusal(api.get('orders', { per_page: 101 }))).toMatchObject({
      status: 400,
      body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): per_page', data: { params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } } },
    });
    expect(await refusal(api.get('orders/99999'))).toMatchObject({ status: 404, body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' } });
    expect(await refusal(api.get('orders/99999/refunds'))).toMatchObject({ status: 404, body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' } });
    expect(await refusal(api.post('webhooks', { topic: 'order.shipped', delivery_url: 'https://example.com/hook' }))).toMatchObject({
      status: 400,
      body: { code: 'woocommerce_rest_shop_webhook_invalid_topic', message: 'Webhook topic is required and must be valid.' },
    });
    expect(await refusal(api.post('webhooks', { topic: 'order.created', delivery_url: 'ftp://example.com' }))).toMatchObject({
      status: 400,
      body: { code: 'woocommerce_rest_shop_webhook_invalid_delivery_url' },
    });
    const readOnly = client(emulator, emulator.control.createKey('read'));
    expect(await refusal(readOnly.post('webhooks', { topic: 'order.created', delivery_url: 'https://example.com/hook' }))).toMatchObject({
      status: 401,
      body: { message: 'The API key provided does not have write permissions.' },
    });
  });

  it('lists an order\'s refunds with a positive amount and negative line items naming the order item', async () => {
    const emulator = await site();
    const api = client(emulator, emulator.control.createKey());
    const order = emulator.control.createOrder({ currency: 'GBP', lines: [{ name: 'Mug', sku: 'MUG-1', quantity: 2, price: '8.00' }] });
    const mug = (order.line_items as Array<{ id: number }>)[0]!;
    emulator.control.refundOrder(order.id as number, '8.00', 'chipped', [{ id: mug.id, quantity: 1, refund_total: '8.00' }]);
    const { data } = await api.get(`orders/${order.id as number}/refunds`);
    expect(data).toMatchObject([
      { amount: '8.00', reason: 'chipped', line_items: [{ name: 'Mug', quantity: -1, total: '-8.00', total_tax: '-0.00', meta_data: [{ key: '_refunded_item_id', value: String(mug.id) }] }] },
    ]);
    const { data: refunded } = await api.get(`orders/${order.id as number}`);
    expect(refunded.refunds).toMatchObject([{ id: data[0].id, reason: 'chipped', total: '-8.00' }]);
  });

  it('answers the plain-permalink form ?rest_route=/wc/v3/… like the pretty one', async () => {
    const emulator = await site({ ssl: true });
    const key = emulator.control.createKey();
    const order = emulator.control.createOrder(ORDER);
    const response = await fetch(`${emulator.origin}/?rest_route=/wc/v3/orders/${order.id}&consumer_key=${key.consumerKey}&consumer_secret=${key.consumerSecret}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: number }).id).toBe(order.id);
  });

  it('lists orders modified after a time, oldest change first, in UTC with dates_are_gmt', async () => {
    const emulator = await site();
    const api = client(emulator, emulator.control.createKey());
    const old = emulator.control.createOrder(ORDER);
    const newer = emulator.control.createOrder(ORDER);
    emulator.control.site.updateOrder(old.id as number, { status: 'completed' }, new Date(Date.now() + 60_000));
    const since = new Date(Date.now() - 1_000).toISOString().slice(0, 19);
    const { data } = await api.get('orders', { modified_after: since, dates_are_gmt: true, orderby: 'modified', order: 'asc', per_page: 100 });
    expect(data.map((o: { id: number }) => o.id)).toEqual([newer.id, old.id]);
    const later = new Date(Date.now() + 30_000).toISOString().slice(0, 19);
    expect((await api.get('orders', { modified_after: later, dates_are_gmt: true })).data.map((o: { id: number }) => o.id)).toEqual([old.id]);
  });
});

describe('WooCommerce emulator webhooks', () => {
  it('pings on create, then delivers orders signed with the webhook secret and X-WC headers', async () => {
    const emulator = await site();
    const hooks = await receiver();
    const api = client(emulator, emulator.control.createKey());
    const created = await api.post('webhooks', { name: 'ledgerbridge', topic: 'order.created', delivery_url: hooks.url, secret: 's3cret' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ topic: 'order.created', resource: 'order', event: 'created', status: 'active', delivery_url: hooks.url });
    expect(created.data.secret).toBeUndefined();
    expect(hooks.received[0]!.rawBody).toBe(`webhook_id=${created.data.id}`);
    expect(hooks.received[0]!.headers['x-wc-webhook-signature']).toBeUndefined();

    const order = emulator.control.createOrder(ORDER);
    const delivery = await waitFor(() => hooks.received[1], 'the order delivery');
    expect(JSON.parse(delivery.rawBody)).toMatchObject({ id: order.id, total: '132.00' });
    expect(delivery.headers).toMatchObject({
      'x-wc-webhook-topic': 'order.created',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': 'created',
      'x-wc-webhook-id': String(created.data.id),
      'x-wc-webhook-source': `${emulator.origin}/`,
    });
    expect(delivery.headers['x-wc-webhook-delivery-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(delivery.headers['x-wc-webhook-signature']).toBe(createHmac('sha256', 's3cret').update(delivery.rawBody).digest('base64'));
  });

  it('delivers customer.* and product.* saves as the resource GET shows, only to webhooks subscribed to that topic', async () => {
    const emulator = await site();
    const hooks = await receiver();
    const api = client(emulator, emulator.control.createKey());
    for (const topic of ['customer.created', 'product.updated']) {
      expect((await api.post('webhooks', { name: topic, topic, delivery_url: hooks.url, secret: 's3cret' })).status).toBe(201);
    }
    await waitFor(() => hooks.received[1], 'both pings');

    const ada = emulator.control.createCustomer({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    // No product.created webhook: creating a product sends nothing; editing it sends product.updated.
    const mug = emulator.control.createProduct({ name: 'Mug', sku: 'MUG-1', price: '12.00' });
    emulator.control.updateRecord('products', mug.id as number, { name: 'Big mug' });
    // No customer.updated webhook either.
    emulator.control.updateRecord('customers', ada.id as number, { last_name: 'King' });
    await emulator.control.webhooks.idle();
    // Sent concurrently: in topic order for the comparison.
    const deliveries = hooks.received.slice(2).sort((a, b) => String(a.headers['x-wc-webhook-topic']).localeCompare(String(b.headers['x-wc-webhook-topic'])));
    expect(deliveries.map((d) => d.headers['x-wc-webhook-topic'])).toEqual(['customer.created', 'product.updated']);
    const [customer, product] = deliveries.map((d) => JSON.parse(d.rawBody) as Record<string, unknown>);
    expect(customer).toEqual((await api.get(`customers/${ada.id as number}`)).data);
    expect(customer).toMatchObject({ id: ada.id, email: 'ada@example.com', role: 'customer', billing: { email: 'ada@example.com', phone: '' }, meta_data: [] });
    expect(product).toEqual((await api.get(`products/${mug.id as number}`)).data);
    expect(product).toMatchObject({ id: mug.id, name: 'Big mug', type: 'simple', sku: 'MUG-1', price: '12.00', status: 'publish', variations: [] });
    expect(deliveries[1]!.headers).toMatchObject({ 'x-wc-webhook-resource': 'product', 'x-wc-webhook-event': 'updated' });
    expect(deliveries[1]!.headers['x-wc-webhook-signature']).toBe(createHmac('sha256', 's3cret').update(deliveries[1]!.rawBody).digest('base64'));
  });

  it('never retries, and disables a webhook on the 7th failure in a row (the count is already above 5)', async () => {
    const emulator = await site();
    const hooks = await receiver(() => 500);
    const api = client(emulator, emulator.control.createKey());
    const { data: webhook } = await api.post('webhooks', { topic: 'order.created', delivery_url: hooks.url, secret: 'x' });
    for (let i = 1; i <= 7; i++) {
      emulator.control.createOrder(ORDER);
      await emulator.control.webhooks.idle();
      expect((await api.get(`webhooks/${webhook.id}`)).data.status).toBe(i < 7 ? 'active' : 'disabled');
    }
    // The ping and one delivery per order: nothing was sent twice.
    expect(hooks.received).toHaveLength(8);
    emulator.control.createOrder(ORDER);
    await emulator.control.webhooks.idle();
    expect(hooks.received).toHaveLength(8);
  });

  it('with the docs\' reading, disables on the 5th failure', async () => {
    const emulator = await site({ webhooks: { disableRule: 'docs' } });
    const hooks = await receiver(() => 404);
    const { data: webhook } = await client(emulator, emulator.control.createKey()).post('webhooks', { topic: 'order.created', delivery_url: hooks.url, secret: 'x' });
    for (let i = 0; i < 5; i++) {
      emulator.control.createOrder(ORDER);
      await emulator.control.webhooks.idle();
    }
    expect(emulator.control.site.webhooks.get(webhook.id)!.status).toBe('disabled');
  });
});

describe('WooCommerce key grant (/wc-auth/v1/authorize)', () => {
  it('posts the new keys as JSON to callback_url, then sends the browser to return_url with success=1', async () => {
    const emulator = await site({ httpCallbackHosts: ['127.0.0.1'] });
    const callback = await receiver();
    const authorize = `${emulator.origin}/wc-auth/v1/authorize?${new URLSearchParams({ app_name: 'ledgerbridge', scope: 'read_write', user_id: 'state-1', return_url: 'https://app.example.com/back?x=1', callback_url: callback.url })}`;
    const { query, returnUrl } = await answerKeyGrant(authorize);
    expect(returnUrl.startsWith('https://app.example.com/back?')).toBe(true);
    expect(query).toEqual({ x: '1', success: '1', user_id: 'state-1' });
    const posted = JSON.parse(callback.received[0]!.rawBody);
    expect(posted).toMatchObject({ user_id: 'state-1', key_permissions: 'read_write' });
    expect(posted.consumer_key).toMatch(/^ck_[0-9a-f]{40}$/);
    expect(posted.consumer_secret).toMatch(/^cs_[0-9a-f]{40}$/);
    expect(callback.received[0]!.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect((await client(emulator, { consumerKey: posted.consumer_key, consumerSecret: posted.consumer_secret }).get('orders')).status).toBe(200);
  });

  it('deletes the key when the callback does not answer 200, refuses a non-https callback and a missing parameter', async () => {
    const emulator = await site({ httpCallbackHosts: ['127.0.0.1'] });
    const callback = await receiver(() => 201);
    const params = { app_name: 'ledgerbridge', scope: 'read_write', user_id: 'u', return_url: 'https://app.example.com/back', callback_url: callback.url };
    await expect(answerKeyGrant(`${emulator.origin}/wc-auth/v1/authorize?${new URLSearchParams(params)}`)).rejects.toThrow(/answered 401.*An error occurred in the request/s);
    const posted = JSON.parse(callback.received[0]!.rawBody);
    expect(await refusal(client(emulator, { consumerKey: posted.consumer_key, consumerSecret: posted.consumer_secret }).get('orders'))).toMatchObject({ status: 401 });

    const plain = await fetch(`${emulator.origin}/wc-auth/v1/authorize?${new URLSearchParams({ ...params, callback_url: 'http://example.com/keys' })}`);
    expect(plain.status).toBe(401);
    expect(await plain.text()).toContain('The callback_url needs to be over SSL');
    const { scope, ...withoutScope } = params;
    const missing = await fetch(`${emulator.origin}/wc-auth/v1/authorize?${new URLSearchParams(withoutScope)}`);
    expect(missing.status).toBe(401);
    expect(await missing.text()).toContain('scope parameter is missing');
  });

  it('sends the browser back with success=0 when the owner denies', async () => {
    const emulator = await site({ httpCallbackHosts: ['127.0.0.1'] });
    const callback = await receiver();
    const params = { app_name: 'ledgerbridge', scope: 'read', user_id: 'u', return_url: 'https://app.example.com/back', callback_url: callback.url };
    const { query } = await answerKeyGrant(`${emulator.origin}/wc-auth/v1/authorize?${new URLSearchParams(params)}`, 'deny');
    expect(query).toEqual({ success: '0', user_id: 'u' });
    expect(callback.received).toHaveLength(0);
  });
});

/** A URL signed as the JS client signs it (HMAC-SHA256), to replay by hand. */
function signedUrl(emulator: WooCommerceEmulator, key: { consumerKey: string; consumerSecret: string }, route: string): string {
  const base = `${emulator.origin}/wp-json/wc/v3/${route}`;
  const params: Record<string, string> = {
    oauth_consumer_key: key.consumerKey,
    oauth_nonce: `n${Date.now()}${Math.random().toString(16).slice(2)}`,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  };
  const enc = (t: string) => encodeURIComponent(t).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const pairs = Object.keys(params).sort().map((k) => enc(`${enc(k)}=${enc(params[k]!)}`));
  const signature = createHmac('sha256', `${key.consumerSecret}&`).update(`GET&${enc(base)}&${pairs.join('%26')}`).digest('base64');
  return `${base}?${new URLSearchParams({ ...params, oauth_signature: signature })}`;
}
