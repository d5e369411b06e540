import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/** Scheduled checks at this interval: later checks come by themselves within the test. */
const CHECK_INTERVAL_MS = 1_500;

describe('integration health: the first check after a reconnect fails', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start({ checkIntervalMs: CHECK_INTERVAL_MS });
  });
  afterAll(async () => {
    await h?.close();
  });

  const listed = async (id: string) => {
    const response = await h.api('GET', '/integrations');
    return (response.json().integrations as { id: string; status: string; reason: string | null }[]).find((i) => i.id === id)!;
  };

  it('shows Error for that check, then Connected once a later scheduled check passes', async () => {
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(qbo.id);
    await eventually(async () => (await listed(qbo.id)).status === 'connected', 'connected');

    // Access is revoked: Reconnect required.
    h.qbo.control.revokeGrant(h.realmId);
    const revoked = (await h.api('POST', `/integrations/${qbo.id}/check`)).json() as HealthCheckOutcome;
    expect(revoked.status).toBe('reconnect_required');

    // Reconnected while QuickBooks has a hiccup: the check the reconnect triggers meets a 503.
    h.qbo.control.injectFaults({ failNext: 1, failStatus: 503 });
    await h.clickConnect(qbo.id);
    await eventually(async () => (await listed(qbo.id)).status === 'error', 'the first check after the reconnect to fail');

    // QuickBooks answers again: the next scheduled check passes, and the integration shows it.
    const healed = await eventually(async () => {
      const row = await listed(qbo.id);
      return row.status === 'connected' ? row : undefined;
    }, 'a later check to bring it back to Connected', 6 * CHECK_INTERVAL_MS + 10_000);
    expect(healed.reason).toBeNull();
    expect((await h.health(qbo.id)).status).toBe('connected');
    const check = (await h.api('POST', `/integrations/${qbo.id}/check`)).json() as HealthCheckOutcome;
    expect(check.status).toBe('connected');
  });

  it('a shop reinstalled while Shopify throttles: Error for the first check, Connected once a later check passes, waiting orders resume', async () => {
    const shopify = await h.createIntegration('shopify');
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await listed(shopify.id)).status === 'connected' && (await listed(qbo.id)).status === 'connected', 'both connected');
    const routeId = await h.createRoute(shopify.id, qbo.id);

    h.shopify.control.uninstall(h.shop);
    await eventually(async () => (await listed(shopify.id)).status === 'reconnect_required', 'Reconnect required after the uninstall');
    // An order arrives while the app is uninstalled: it waits for the reconnect.
    const order = h.shopify.control.createOrder({ shop: h.shop, name: '#4901', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const { startOrderSync } = await import('../runtime/order-sync-starter.js');
    const { workflowId } = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id });
    const { orderSyncStatusQuery } = await import('../workflows/order-sync.js');
    await eventually(async () => ((await h.client.workflow.getHandle(workflowId).query(orderSyncStatusQuery)).state === 'waiting_for_reconnect' ? true : undefined), 'the order to wait');

    // Reinstalled while the shop's API answers THROTTLED to everything: the check right after it cannot pass.
    h.shopify.control.setBucket({ currentlyAvailable: 0, restoreRate: 0 }, h.shop);
    await h.clickConnect(shopify.id);
    await eventually(async () => (await listed(shopify.id)).status === 'error', 'the first check after the reconnect to fail');
    h.shopify.control.setBucket({ currentlyAvailable: 2000, restoreRate: 100 }, h.shop);

    const healed = await eventually(async () => {
      const row = await listed(shopify.id);
      return row.status === 'connected' ? row : undefined;
    }, 'a later check to bring the shop back to Connected', 6 * CHECK_INTERVAL_MS + 10_000);
    expect(healed.reason).toBeNull();
    expect(((await h.client.workflow.getHandle(workflowId).result()) as { outcome: string }).outcome).toBe('created');
    expect((await listed(shopify.id)).status).toBe('connected');
  });
});
