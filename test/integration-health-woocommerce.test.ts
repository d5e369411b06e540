import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { oauthStates } from '../db/schema.js';
import { answerKeyGrant } from '../emulators/woocommerce/index.js';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/** A WooCommerce store connected through the production routes (connect → key grant → our grant route → callback) and kept by health checks. */
describe('integration health: WooCommerce', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start({ woocommerce: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  /** The operator's connect link → WooCommerce's grant page, the owner approves → the browser back at our callback. */
  async function connect(integrationId: string): Promise<{ status: number; body: string }> {
    const started = await fetch(`${h.baseUrl}/integrations/${integrationId}/connect`, { redirect: 'manual', headers: { authorization: `Bearer ${h.operatorToken}` } });
    expect(started.status).toBe(302);
    const grantPage = started.headers.get('location')!;
    expect(grantPage.startsWith(`${h.woo.origin}/wc-auth/v1/authorize?`)).toBe(true);
    expect(new URL(grantPage).searchParams.get('callback_url')).toBe(`${h.baseUrl}/integrations/oauth/grant/woocommerce`);
    const { returnUrl } = await answerKeyGrant(grantPage);
    expect(returnUrl.startsWith(`${h.baseUrl}/integrations/oauth/callback?`)).toBe(true);
    const page = await fetch(returnUrl);
    return { status: page.status, body: await page.text() };
  }

  const check = async (integrationId: string) => (await h.api('POST', `/integrations/${integrationId}/check`)).json() as HealthCheckOutcome;

  it('connects through the key grant, checks healthy, and keeps both webhooks at the integration\'s own address', async () => {
    const woo = await h.createIntegration('woocommerce');
    const page = await connect(woo.id);
    expect(page.status).toBe(200);
    expect(page.body).toContain('WooCommerce #1 is connected');
    await eventually(async () => (await h.row(woo.id)).status === 'connected', 'WooCommerce #1 connected');
    // The key was kept with its state only until the callback spent it.
    expect((await h.db.select().from(oauthStates).where(eq(oauthStates.integrationId, woo.id))).every((s) => s.usedAt !== null)).toBe(true);

    const outcome = await check(woo.id);
    expect(outcome.results.every((r) => r.ok)).toBe(true);
    expect(h.woo.control.webhookList().map((w) => [w.topic, w.status, w.deliveryUrl])).toEqual(
      ['order.created', 'order.updated', 'customer.created', 'customer.updated', 'product.created', 'product.updated'].map((topic) => [topic, 'active', `${h.baseUrl}/webhooks/woocommerce/${woo.id}`]),
    );

    // WooCommerce disabled one after failed deliveries: the next check turns it back on and says so.
    h.woo.control.webhookList()[1]!.status = 'disabled';
    const repaired = await check(woo.id);
    const webhooks = repaired.results.find((r) => r.check === 'webhooks_subscribed')!;
    expect(webhooks.ok).toBe(true);
    expect(webhooks.message).toMatch(/had disabled order\.updated after repeated failed deliveries; ledgerbridge turned it back on/);
    expect(h.woo.control.webhookList().every((w) => w.status === 'active')).toBe(true);

    // The store owner deletes the key: Reconnect required, and a reconnect brings the store back.
    h.woo.control.revokeKeys();
    const revoked = await check(woo.id);
    expect(revoked.results.find((r) => r.check === 'test_call')!.ok).toBe(false);
    await eventually(async () => (await h.row(woo.id)).status === 'reconnect_required', 'WooCommerce #1 to need a reconnect');
    expect((await h.row(woo.id)).statusReason).toMatch(/reconnect/i);
    expect((await connect(woo.id)).status).toBe(200);
    await eventually(async () => (await h.row(woo.id)).status === 'connected', 'WooCommerce #1 connected again');
  });

  it('a grant for no waiting connect, or that is not a grant, is refused (WooCommerce then deletes the key it made)', async () => {
    const grant = (body: unknown) =>
      fetch(`${h.baseUrl}/integrations/oauth/grant/woocommerce`, { method: 'POST', headers: { 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify(body) });
    const unknown = await grant({ key_id: 1, user_id: 'made-up-state', consumer_key: `ck_${'a'.repeat(40)}`, consumer_secret: `cs_${'b'.repeat(40)}`, key_permissions: 'read_write' });
    expect(unknown.status).toBe(404);
    expect((await grant({ hello: 'world' })).status).toBe(400);
    expect((await fetch(`${h.baseUrl}/integrations/oauth/grant/nonesuch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
  });
});
