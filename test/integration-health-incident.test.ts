import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { ALERTS, eventually, HealthHarness } from './integration-health-harness.js';

describe('integration health: a revoked grant, one incident email, reconnect by OAuth, all-clear', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('tells the bookkeeper once, in plain words, and recovers every parked order exactly once', async () => {
    const shopify = await h.createIntegration('shopify');
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected' && (await h.row(shopify.id)).status === 'connected', 'both connected');
    const routeId = await h.createRoute(shopify.id, qbo.id);
    h.smtp.clear();

    // The person disconnects the app inside QuickBooks: the next sync meets a 401 and an invalid_grant.
    h.qbo.control.revokeGrant(h.realmId);
    const order = h.shopify.control.createOrder({ shop: h.shop, name: '#2001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const { workflowId } = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id });

    await eventually(async () => (await h.row(qbo.id)).status === 'reconnect_required', 'Reconnect required');
    const detail = (await h.api('GET', `/integrations/${qbo.id}`)).json();
    // One check decided it, the one the failed sync asked for.
    expect(detail.transitions[0]).toMatchObject({ from: 'connected', to: 'reconnect_required', check: 'test_call' });
    expect(detail.transitions[0].cause).toBe('order #2001 failed to sync (CredentialsInvalid)');
    expect(detail.reason).toBe('Your credentials are invalid or expired. Please reconnect your integration.');

    const [incident] = await h.smtp.waitForMessages(1);
    const text = incident!.parsed.text ?? '';
    expect(incident!.envelope.to).toEqual([ALERTS]);
    expect(incident!.parsed.subject).toContain(qbo.displayName);
    expect(text).toContain('Order #2001');
    expect(text).toContain(`${h.baseUrl}/routes/${routeId}/orders/${order.id}`);
    expect(text).toContain('Your credentials are invalid or expired. Please reconnect your integration.');
    expect(text).toContain(`${h.baseUrl}/integrations/${qbo.id}/connect`);
    const health = await h.health(qbo.id);
    expect(health.incident).toMatchObject({ waitingCount: 0, digestsSent: 0 });
    expect(h.smtp.messages).toHaveLength(1);

    // The person clicks the link in the email and approves at QuickBooks.
    const page = await h.clickConnect(qbo.id);
    expect(page.status).toBe(200);
    const result: OrderSyncResult = await h.client.workflow.getHandle(workflowId).result();
    expect(result.outcome).toBe('created');
    expect(h.qbo.control.documents(h.realmId, 'SalesReceipt')).toHaveLength(1);

    const [, allClear] = await h.smtp.waitForMessages(2);
    expect(allClear!.parsed.subject).toBe(`${qbo.displayName} is connected again`);
    expect(allClear!.parsed.text).toContain('1 order that was waiting has resumed syncing.');
    const after = await h.health(qbo.id);
    expect(after).toMatchObject({ status: 'connected', incident: null, lastResume: { resumed: 1, failed: 0 } });
    expect((await h.row(qbo.id)).status).toBe('connected');
    expect(h.smtp.messages).toHaveLength(2);
  });
});
