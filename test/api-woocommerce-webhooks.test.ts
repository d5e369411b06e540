import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { CredentialStore } from '../db/credential-store.js';
import { integrations, syncRoutes, webhookEvents } from '../db/schema.js';
import { createWooCommercePlatform } from '../platforms/woocommerce/index.js';
import { webhookSecretFor } from '../platforms/woocommerce/webhook-secret.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { wooCommerceWebhookCheck } from '../runtime/woocommerce-webhook-check.js';
import { startApiTestContext, type ApiTestContext } from './api-test-app.js';

/** Two WooCommerce stores whose order ids and change times coincide (each store numbers its own orders). */
const STORES = [
  { id: 'woo-a', secret: 'cs_aaaaaaaa' },
  { id: 'woo-b', secret: 'cs_bbbbbbbb' },
];

describe('WooCommerce webhook intake', () => {
  let ctx: ApiTestContext;
  let credentials: CredentialStore;
  beforeAll(async () => {
    ctx = await startApiTestContext(inject('temporalAddress'), ({ db }) => {
      credentials = new CredentialStore(db, secretBoxFromKey(Buffer.alloc(32, 3)));
      return { verifyWooCommerceWebhook: wooCommerceWebhookCheck({ db, credentials, platform: createWooCommercePlatform({ appName: 'ledgerbridge' }) }) };
    });
    for (const [i, store] of STORES.entries()) {
      await ctx.database.db
        .insert(integrations)
        .values({ id: store.id, platform: 'woocommerce', number: i + 1, displayName: `WooCommerce #${i + 1}`, account: { storeUrl: `https://store-${i}.example.com` }, status: 'connected' });
      await ctx.database.db.insert(syncRoutes).values({ id: `route-${store.id}`, sourceIntegrationId: store.id, targetIntegrationId: (await ctx.database.db.select().from(syncRoutes))[0]!.targetIntegrationId });
      await credentials.save(store.id, { accessToken: `ck_${i}:${store.secret}`, refreshToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, scopes: ['read_write'] });
    }
  });
  afterAll(async () => {
    for (const store of STORES) {
      const rows = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.integrationId, store.id));
      for (const row of rows) if (row.orderId) ctx.startedWorkflowIds.add(orderSyncWorkflowId(`route-${store.id}`, row.orderId));
    }
    await ctx?.close();
  });

  /**
   * Waits until the intake has started every event of the order: a redelivery of an event still queued is taken as
   * a retry of the delivery (answered "accepted", nothing doubled), one of an event already started is a "duplicate".
   */
  const started = (orderId: string) =>
    vi.waitFor(async () => {
      const rows = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId));
      expect(rows.length > 0 && rows.every((row) => row.outcome !== 'queued' && row.claimedAt === null)).toBe(true);
    }, { timeout: 30_000, interval: 50 });

  const body = JSON.stringify({ id: 727, number: '727', status: 'processing', total: '12.00', date_modified_gmt: '2026-11-29T10:00:00' });
  const deliver = (integrationId: string, secret: string, payload = body, extra: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/webhooks/woocommerce/${integrationId}`,
      headers: {
        'content-type': 'application/json',
        'x-wc-webhook-topic': 'order.created',
        'x-wc-webhook-id': '3',
        'x-wc-webhook-delivery-id': 'f00d',
        'x-wc-webhook-signature': createHmac('sha256', webhookSecretFor(secret, integrationId)).update(payload).digest('base64'),
        ...extra,
      },
      payload,
    });

  it('refuses a delivery whose signature does not match with 401, logs why, and records nothing', async () => {
    const forged = await deliver('woo-a', 'cs_wrong');
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(ctx.logs.some((line) => line.msg === 'woocommerce webhook rejected: signature check failed' && line.integrationId === 'woo-a')).toBe(true);
    expect(await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.integrationId, 'woo-a'))).toHaveLength(0);
  });

  it("answers WooCommerce's ping, and 404 for an address no integration reads", async () => {
    const ping = await ctx.app.inject({ method: 'POST', url: '/webhooks/woocommerce/woo-a', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'webhook_id=3' });
    expect(ping.statusCode).toBe(200);
    expect(ping.json()).toEqual({ status: 'ignored' });
    expect((await deliver('woo-gone', 'cs_aaaaaaaa')).statusCode).toBe(404);
  });

  it('deduplicates within an integration, never across two: the same order id and change in two stores are two events', async () => {
    const first = await deliver('woo-a', 'cs_aaaaaaaa');
    expect(first.json()).toEqual({ status: 'accepted', orderId: '727' });
    expect((await deliver('woo-b', 'cs_bbbbbbbb')).json()).toEqual({ status: 'accepted', orderId: '727' });
    await started('727');
    expect((await deliver('woo-a', 'cs_aaaaaaaa', body, { 'x-wc-webhook-delivery-id': 'beef' })).json()).toEqual({ status: 'duplicate' });
    const rows = await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, '727'));
    expect(rows.map((r) => [r.integrationId, r.shop, r.eventId.replace(/\/[0-9a-f]{16}$/, '/<digest>')]).sort()).toEqual([
      ['woo-a', null, 'woocommerce/woo-a/order/727/2026-11-29T10:00:00/<digest>'],
      ['woo-b', null, 'woocommerce/woo-b/order/727/2026-11-29T10:00:00/<digest>'],
    ]);
  });

  it('keeps two edits of one order within the same second apart (same date_modified_gmt and delivery id, other content)', async () => {
    const sameSecond = (total: string) => JSON.stringify({ id: 728, number: '728', status: 'processing', total, date_modified_gmt: '2026-11-29T11:00:00' });
    // WooCommerce's delivery id is a hash of the webhook id and the second: both edits carry the same one.
    const sameDelivery = { 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-delivery-id': 'same-second' };
    expect((await deliver('woo-a', 'cs_aaaaaaaa', sameSecond('12.00'), sameDelivery)).json()).toEqual({ status: 'accepted', orderId: '728' });
    expect((await deliver('woo-a', 'cs_aaaaaaaa', sameSecond('15.00'), sameDelivery)).json()).toEqual({ status: 'accepted', orderId: '728' });
    // The same state delivered again is still one event.
    await started('728');
    expect((await deliver('woo-a', 'cs_aaaaaaaa', sameSecond('15.00'), sameDelivery)).json()).toEqual({ status: 'duplicate' });
    expect(await ctx.database.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, '728'))).toHaveLength(2);
  });
});
