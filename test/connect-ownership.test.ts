import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthNotifications } from '../activities/integration-health-notifications.js';
import { integrationCheckResults, integrations, oauthStates, orderSyncs } from '../db/schema.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import { ConnectLinkSigner } from '../security/connect-link.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { TestBrowser } from './support/browser.js';
import { testCompany } from './support/emulated-platforms.js';
import { connectLinks, eventually, HealthHarness } from './integration-health-harness.js';

describe('connections can only be made or changed by the people who own them', () => {
  let h: HealthHarness;
  /** A person's browser: no operator token. */
  let person: TestBrowser;
  beforeAll(async () => {
    h = await HealthHarness.start();
    person = new TestBrowser(new URL(h.baseUrl).origin);
  });
  afterAll(async () => {
    await h?.close();
  });

  const connectUrl = (id: string) => `${h.baseUrl}/integrations/${id}/connect`;
  const statesOf = async (id: string) => h.db.select().from(oauthStates).where(eq(oauthStates.integrationId, id));

  it('connect without the operator token or a signed link is refused with a page that says why, and starts nothing', async () => {
    const qbo = await h.createIntegration('qbo');
    const bare = await person.open(connectUrl(qbo.id));
    expect(bare.status).toBe(401);
    expect(bare.body).toContain('This connect link is not signed');

    const wrongToken = await new TestBrowser(new URL(h.baseUrl).origin, { authorization: 'Bearer guessed' }).open(connectUrl(qbo.id));
    expect(wrongToken.status).toBe(401);
    expect(wrongToken.body).toContain('The operator token is not valid');

    expect(await statesOf(qbo.id)).toEqual([]);
    expect((await h.row(qbo.id)).credentials).toBeNull();

    // An operator hands a person a link instead: it leads to the consent page, once.
    const issued = await h.api('POST', `/integrations/${qbo.id}/connect-link`);
    expect(issued.statusCode).toBe(201);
    const { url, expiresAt } = issued.json() as { url: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(71 * 60 * 60_000);
    const landing = await person.open(url);
    expect(landing.body).toContain(`Connect ${qbo.displayName}`);
    expect((await person.submit(landing)).body).toContain(`${qbo.displayName} is connected`);
    expect((await person.submit(landing)).status).toBe(403);
  });

  it('the reconnect email carries a signed link that connects once; altered, expired and foreign links are refused', async () => {
    const qbo = await h.createIntegration('qbo');
    const shopify = await h.createIntegration('shopify');
    h.smtp.clear();
    const notifications = createHealthNotifications({ db: h.db, mailer: h.mailer, publicBaseUrl: h.baseUrl, connectLinks, log: () => {} });
    await notifications.sendIncidentEmail({
      integrationId: qbo.id,
      incidentId: `incident-${qbo.id}`,
      status: 'reconnect_required',
      message: 'Your credentials are invalid or expired. Please reconnect your integration.',
      detail: null,
      record: null,
      occurredAt: new Date().toISOString(),
    });
    const [email] = await h.smtp.waitForMessages(1);
    const link = /(https?:\/\/\S+\/connect\?link=[A-Za-z0-9_.-]+)/.exec(email!.parsed.text ?? '')?.[1];
    expect(link?.startsWith(connectUrl(qbo.id))).toBe(true);

    // Opening the link (or a mail scanner fetching it) spends nothing: it shows a button.
    const landing = await person.open(link!);
    expect(landing.status).toBe(200);
    expect((await person.open(link!)).status).toBe(200);
    const connected = await person.submit(landing);
    expect(connected.status).toBe(200);
    expect(connected.body).toContain(`${qbo.displayName} is connected`);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'connected through the emailed link');

    const again = await person.submit(landing);
    expect(again.status).toBe(403);
    expect(again.body).toContain('already used');
    expect((await person.open(link!)).body).toContain('already used');

    const token = new URL(link!).searchParams.get('link')!;
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const refusals = {
      altered: await person.open(`${connectUrl(qbo.id)}?link=${altered}`),
      otherKey: await person.open(new ConnectLinkSigner(Buffer.alloc(32, 1)).url(h.baseUrl, qbo.id)),
      expired: await person.open(connectLinks.url(h.baseUrl, qbo.id, Date.now() - connectLinks.ttlMs - 1000)),
      foreign: await person.open(`${connectUrl(shopify.id)}?link=${connectLinks.sign(qbo.id).token}`),
    };
    expect(refusals.altered.body).toContain('not valid');
    expect(refusals.otherKey.body).toContain('not valid');
    expect(refusals.expired.body).toContain('expired');
    expect(refusals.foreign.body).toContain('belongs to another integration');
    for (const page of Object.values(refusals)) {
      expect(page.status).toBe(403);
      expect(page.body).not.toContain(token);
    }
    expect(await statesOf(shopify.id)).toEqual([]);
  });

  it('a reconnect that brings back another QuickBooks company changes nothing until an operator confirms, and the switch parks the orders', async () => {
    const shopify = await h.createIntegration('shopify');
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected' && (await h.row(shopify.id)).status === 'connected', 'both connected');
    const routeId = await h.createRoute(shopify.id, qbo.id);
    const otherRealm = String(BigInt(h.realmId) + 1n);
    h.qbo.control.addCompany({ ...testCompany(otherRealm), companyName: 'Someone Else Ltd' });
    const before = await h.row(qbo.id);

    // The person picks another company on Intuit's consent page.
    h.qbo.control.authorizeAs(otherRealm);
    const operator = new TestBrowser(new URL(h.baseUrl).origin, { authorization: `Bearer ${h.operatorToken}` });
    const refused = await operator.open(connectUrl(qbo.id));
    expect(refused.status).toBe(409);
    expect(refused.body).toContain(`books into company ${h.realmId}, but you approved access for company ${otherRealm}. Nothing was changed.`);
    expect(refused.body).toContain(`Switch to company ${otherRealm}`);
    const unchanged = await h.row(qbo.id);
    expect(unchanged.account).toEqual(before.account);
    expect(unchanged.credentialsVersion).toBe(before.credentialsVersion);

    // Orders still book into the company the integration had.
    const first = h.shopify.control.createOrder({ shop: h.shop, name: '#3001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const started = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: first.id });
    expect(((await h.client.workflow.getHandle(started.workflowId).result()) as OrderSyncResult).outcome).toBe('created');
    expect(h.qbo.control.documents(h.realmId, 'SalesReceipt')).toHaveLength(1);

    // The operator confirms "switch to company X": the integration takes it and is paused in the same step.
    const switched = await operator.submit(refused);
    expect(switched.status).toBe(200);
    expect(switched.body).toContain(`now books into company ${otherRealm}`);
    const after = await h.row(qbo.id);
    expect(after.account.realmId).toBe(otherRealm);
    expect(after.status).toBe('disconnected');
    expect((await h.api('GET', `/integrations/${qbo.id}`)).json().transitions[0].cause).toBe(
      `switched from company ${h.realmId} to company ${otherRealm} by an operator`,
    );
    expect((await operator.submit(refused)).body).toContain('already confirmed or has expired');

    // A new order waits instead of being booked into the new company unnoticed.
    const second = h.shopify.control.createOrder({ shop: h.shop, name: '#3002', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: second.id });
    await eventually(async () => {
      const [row] = await h.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, second.id)));
      return row?.status === 'waiting';
    }, 'order #3002 waits');
    expect(h.qbo.control.documents(otherRealm, 'SalesReceipt')).toHaveLength(0);
    expect((await h.health(qbo.id)).paused).toBe(true);

    // Resumed on purpose, it books into the new company.
    expect((await h.api('POST', `/integrations/${qbo.id}/resume`)).statusCode).toBe(202);
    await eventually(async () => h.qbo.control.documents(otherRealm, 'SalesReceipt').length === 1, 'order #3002 booked after the resume');
    h.qbo.control.authorizeAs(h.realmId);
  });

  it("a Shopify consent given on another shop is refused until confirmed (the emulator's account picker)", async () => {
    const shopify = await h.createIntegration('shopify');
    h.shopify.control.consentOnShop(h.secondShop);
    try {
      const page = await h.clickConnect(shopify.id);
      expect(page.status).toBe(409);
      expect(page.body).toContain(`books into shop ${h.shop}, but you approved access for shop ${h.secondShop}`);
      const row = await h.row(shopify.id);
      expect(row.account.shop).toBe(h.shop);
      expect(row.credentials).toBeNull();
    } finally {
      h.shopify.control.consentOnShop(null);
    }
  });

  it('error pages never echo the authorization code, tokens or what the platform answered', async () => {
    const qbo = await h.createIntegration('qbo');
    const connect = await h.app.inject({ method: 'GET', url: `/integrations/${qbo.id}/connect`, headers: { authorization: `Bearer ${h.operatorToken}` } });
    const state = new URL(connect.headers.location as string).searchParams.get('state')!;
    const code = 'AB11-leaked-authorization-code';
    const badCode = await fetch(`${h.baseUrl}/integrations/oauth/callback?${new URLSearchParams({ code, state, realmId: h.realmId })}`);
    const badCodeBody = await badCode.text();
    expect(badCode.status).toBe(400);
    expect(badCodeBody).toContain('Connecting failed');
    expect(badCodeBody).not.toContain(code);
    expect(badCodeBody).not.toMatch(/invalid_grant|invalid_request|Bearer|refresh_token|access_token/i);

    const described = await fetch(
      `${h.baseUrl}/integrations/oauth/callback?${new URLSearchParams({ error: 'access_denied', error_description: 'refresh_token=RT-secret-123 body: {"raw":true}' })}`,
    );
    const describedBody = await described.text();
    expect(describedBody).toContain('access_denied');
    expect(describedBody).not.toContain('RT-secret-123');
    expect(describedBody).not.toContain('raw');
  });

  it('integration details shown to a browser carry no token, even when a platform answer held one', async () => {
    const qbo = await h.createIntegration('qbo');
    const token = 'eyJraWQiOiJsZWFrZWQtdG9rZW4ifQ.payload.signature';
    await h.db.update(integrations).set({ statusReason: `401 from https://x (Authorization: Bearer ${token})` }).where(eq(integrations.id, qbo.id));
    await h.db
      .insert(integrationCheckResults)
      .values({ integrationId: qbo.id, check: 'test_call', ok: false, message: `answered {"access_token":"${token}"}`, checkedAt: new Date() })
      .onConflictDoUpdate({ target: [integrationCheckResults.integrationId, integrationCheckResults.check], set: { message: `answered {"access_token":"${token}"}` } });
    const detail = await h.api('GET', `/integrations/${qbo.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(token);
    expect(detail.body).toContain('[redacted]');
  });
});
