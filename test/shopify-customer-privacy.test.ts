import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { integrations, truncatedFields } from '../db/schema.js';
import { ERASED_TEXT } from '../db/customer-privacy.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

describe("Shopify customers' data: protected fields withheld, privacy webhooks acted on", () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await SyncHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const control = async (path: string, body: unknown) => {
    const response = await fetch(`${h.shopify.origin}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBeLessThan(300);
    return response.json() as Promise<any>;
  };
  const ledgerCustomers = () => h.qbo.control.documents(h.realmId, 'Customer').map((c) => (c.record as { DisplayName: string }).DisplayName);
  const lines = [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }];

  it('books an order whose customer name and email Shopify withholds under the fallback customer, and the row says why', async () => {
    await control('/customer-data', { withheld: true, shop: h.shop });
    const order = h.shopify.control.createOrder({ name: '#3001', customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' }, lineItems: lines });

    const result = await h.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(ledgerCustomers()).toContain('Shopify customer');
    expect(ledgerCustomers()).not.toContain('Ada Lovelace');

    const row = await h.operator('GET', `/routes/${h.routeId}/orders/${order.id}`);
    expect(row.status).toBe(200);
    const shown = row.body.order;
    expect(shown.status).toBe('synced');
    expect(shown.customerNotice).toContain('Shopify does not share customer names and emails with ledgerbridge');
    expect(shown.customerNotice).toContain('Booked under "Shopify customer"');
    expect(JSON.stringify(shown)).not.toMatch(/reconnect/i);
    // The shop stays Connected: nothing a person could reconnect would change this.
    expect(h.connectionProblemsSeen).toEqual([]);
    const [shop] = await h.db.select().from(integrations).where(eq(integrations.id, h.shopifyIntegrationId));
    expect(shop!.status).toBe('connected');
  });

  it('uses the fallback customer the route names', async () => {
    const set = await h.operator('PUT', `/routes/${h.routeId}/fallback-customer`, { fallbackCustomerName: 'Web shop customer' });
    expect(set).toMatchObject({ status: 200, body: { fallbackCustomerName: 'Web shop customer' } });
    const order = h.shopify.control.createOrder({ name: '#3002', customer: { firstName: 'Bo', email: 'bo@example.com' }, lineItems: lines });
    expect((await h.syncResultOf(order.id)).outcome).toBe('created');
    expect(ledgerCustomers()).toContain('Web shop customer');
    await control('/customer-data', { withheld: false, shop: h.shop });
  });

  it('answers customers/data_request with an export an operator downloads, and customers/redact by erasing and recording it', async () => {
    await control('/app/compliance-url', { url: `${h.apiOrigin}/webhooks/shopify` });
    const longName = `Grace${'e'.repeat(120)}`;
    const order = h.shopify.control.createOrder({ name: '#3003', customer: { firstName: longName, lastName: 'Hopper', email: 'grace@example.com' }, lineItems: lines });
    expect((await h.syncResultOf(order.id)).outcome).toBe('created');
    const kept = await h.db.select().from(truncatedFields).where(and(eq(truncatedFields.routeId, h.routeId), eq(truncatedFields.orderId, order.id)));
    expect(kept.map((t) => t.fullText)).toContain(longName);

    await control('/privacy', { topic: 'customers/data_request', customerId: order.customerId, shop: h.shop });
    const request = await eventually(async () => (await h.operator('GET', '/privacy-requests')).body.requests.find((r: any) => r.topic === 'customers/data_request'), 'the data request');
    expect(request).toMatchObject({ shop: h.shop, customerId: order.customerId, orderIds: [order.id], exportUrl: `/privacy-requests/${request.id}/export` });
    const download = await h.api.inject({ method: 'GET', url: request.exportUrl, headers: { authorization: 'Bearer test-operator-token' } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    const exported = download.json() as { orders: Array<{ orderId: string; orderName: string }>; truncatedTexts: Array<{ fullText: string }> };
    expect(exported.orders.map((o) => [o.orderId, o.orderName])).toEqual([[order.id, '#3003']]);
    expect(exported.truncatedTexts.map((t) => t.fullText)).toContain(longName);
    // Without the operator token there is nothing to download.
    expect((await h.api.inject({ method: 'GET', url: request.exportUrl })).statusCode).toBe(401);

    const redact = await control('/privacy', { topic: 'customers/redact', customerId: order.customerId, shop: h.shop });
    const redaction = await eventually(async () => (await h.operator('GET', '/privacy-requests')).body.requests.find((r: any) => r.topic === 'customers/redact' && r.completedAt), 'the redaction');
    expect(redaction.erased).toEqual({ orderRowsErased: 1, truncatedTextsErased: kept.length });
    expect(await h.db.select().from(truncatedFields).where(and(eq(truncatedFields.routeId, h.routeId), eq(truncatedFields.orderId, order.id)))).toEqual([]);
    expect((await h.orderRow(order.id))!.lastErrorMessage).toBe(ERASED_TEXT);

    // Shopify may deliver it again: acknowledged, not done twice.
    h.shopify.control.redeliverWebhook(redact.eventId, { sameWebhookId: true });
    await h.shopify.control.webhooksIdle();
    const redactions = (await h.operator('GET', '/privacy-requests')).body.requests.filter((r: any) => r.topic === 'customers/redact');
    expect(redactions).toHaveLength(1);
  });

  it('runs on an expiring offline token (mandatory from 2027-01-01), refreshed when Shopify says it expired', async () => {
    const before = await h.credentials.load(h.shopifyIntegrationId);
    expect(before.credentials!.refreshToken).toMatch(/^shprt_/);
    expect(before.credentials!.accessTokenExpiresAt).not.toBeNull();
    h.shopify.control.expireToken(before.credentials!.accessToken);
    const order = h.shopify.control.createOrder({ name: '#3004', customer: { firstName: 'Kay', email: 'kay@example.com' }, lineItems: lines });
    expect((await h.syncResultOf(order.id)).outcome).toBe('created');
    const after = await h.credentials.load(h.shopifyIntegrationId);
    expect(after.credentials!.accessToken).not.toBe(before.credentials!.accessToken);
    expect(after.credentials!.refreshToken).not.toBe(before.credentials!.refreshToken);
  });

  it('verifies privacy webhooks like every other: a forged one is refused', async () => {
    const response = await h.api.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'shop/redact',
        'x-shopify-hmac-sha256': 'Zm9yZ2Vk',
        'x-shopify-shop-domain': h.shop,
        'x-shopify-api-version': '2026-10',
        'x-shopify-webhook-id': 'w-1',
        'x-shopify-event-id': 'e-1',
      },
      payload: JSON.stringify({ shop_id: 1, shop_domain: h.shop }),
    });
    expect(response.statusCode).toBe(401);
    expect((await h.operator('GET', '/privacy-requests')).body.requests.filter((r: any) => r.topic === 'shop/redact')).toEqual([]);
  });

  it('shop/redact erases what we hold about every order of the shop', async () => {
    await control('/privacy', { topic: 'shop/redact', shop: h.shop });
    const redaction = await eventually(async () => (await h.operator('GET', '/privacy-requests')).body.requests.find((r: any) => r.topic === 'shop/redact' && r.completedAt), 'the shop redaction');
    expect(redaction.erased.orderRowsErased).toBeGreaterThanOrEqual(3);
    const rows = await h.operator('GET', `/routes/${h.routeId}/orders`);
    expect(rows.body.orders.every((o: any) => o.customerNotice === null)).toBe(true);
  });
});
