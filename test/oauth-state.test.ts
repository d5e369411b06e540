import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthStates } from '../db/schema.js';
import { approveConsent } from '../emulators/common/oauth-consent.js';
import { browserUrlFor } from '../platforms/shopify/index.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

describe('OAuth connect: single-use, expiring state; the platform checks its own signature', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Our connect route's redirect, then the emulator's consent: the callback URL a browser would open. */
  async function consentFor(integrationId: string): Promise<{ callbackUrl: string; state: string }> {
    const connect = await fetch(`${h.baseUrl}/integrations/${integrationId}/connect`, { redirect: 'manual', headers: { authorization: `Bearer ${h.operatorToken}` } });
    expect(connect.status).toBe(302);
    const authorize = new URL(connect.headers.get('location')!);
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    const { callbackUrl } = await approveConsent(authorize.toString(), browserUrlFor);
    expect(callbackUrl.startsWith(`${h.baseUrl}/integrations/oauth/callback?`)).toBe(true);
    return { callbackUrl, state };
  }

  it('a state works once: replaying the callback is refused and changes nothing', async () => {
    const qbo = await h.createIntegration('qbo');
    const { callbackUrl, state } = await consentFor(qbo.id);
    const [stored] = await h.db.select().from(oauthStates).where(eq(oauthStates.state, state));
    expect(stored!.integrationId).toBe(qbo.id);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(10 * 60_000);

    const first = await fetch(callbackUrl);
    expect(first.status).toBe(200);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'connected');
    const version = (await h.row(qbo.id)).credentialsVersion;

    const replay = await fetch(callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used or has expired');
    expect((await h.row(qbo.id)).credentialsVersion).toBe(version);
  });

  it('an expired or unknown state is refused', async () => {
    const qbo = await h.createIntegration('qbo');
    const { callbackUrl, state } = await consentFor(qbo.id);
    await h.db.update(oauthStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(oauthStates.state, state));
    expect((await fetch(callbackUrl)).status).toBe(400);
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'made-up');
    expect((await fetch(forged)).status).toBe(400);
    expect((await h.row(qbo.id)).credentials).toBeNull();
  });

  it("a Shopify callback whose HMAC does not match is refused (the SDK's check), and the state is spent", async () => {
    const shopify = await h.createIntegration('shopify');
    const { callbackUrl } = await consentFor(shopify.id);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set('shop', `other-${h.shop}`);
    const response = await fetch(tampered);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Connecting failed');
    expect((await h.row(shopify.id)).credentials).toBeNull();
    // The genuine callback cannot be used afterwards either: its state was spent on the forged one.
    expect((await fetch(callbackUrl)).status).toBe(400);
  });

  it('connect for an unknown integration says so (to an operator)', async () => {
    const response = await fetch(`${h.baseUrl}/integrations/nope/connect`, { redirect: 'manual', headers: { authorization: `Bearer ${h.operatorToken}` } });
    expect(response.status).toBe(404);
  });
});
