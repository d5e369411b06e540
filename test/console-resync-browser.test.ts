import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { orderSyncs, syncRoutes } from '../db/schema.js';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

/**
 * A store's page in a real browser: its route's sync settings saved through the form, and "Full re-sync" books the
 * orders whose webhooks were lost with a live progress bar; pressed again, it says it created nothing.
 */
describe('operator console in a browser: Full re-sync and Sync settings', () => {
  let c: ConsoleWithRoute;
  let storeId: string;
  const orderIds: string[] = [];

  beforeAll(async () => {
    c = await startConsoleWithRoute();
    storeId = (await c.h.db.select().from(syncRoutes).where(eq(syncRoutes.id, c.routeId)))[0]!.sourceIntegrationId;
    // Both orders' webhooks are lost on the way: only a re-sync (or polling) finds them.
    const dropped = await fetch(`${c.h.shopify.origin}/_emulator/webhooks/drop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 2 }) });
    expect(dropped.status).toBe(200);
    for (const name of ['#6201', '#6202']) orderIds.push(c.h.shopify.control.createOrder({ shop: c.h.shop, name, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }).id);
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('saves sync settings, then re-syncs with a progress bar; the second re-sync creates no document and says so', async () => {
    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/integrations/${storeId}`);

    const settings = page.locator(`form.sync-settings[data-route="${c.routeId}"]`);
    await settings.getByLabel('Products').uncheck();
    await settings.getByRole('button', { name: 'Save sync settings' }).click();
    await page.getByText('Sync settings saved.').waitFor();
    expect((await c.h.api('GET', `/routes/${c.routeId}/sync-settings`)).json()).toMatchObject({ entities: { orders: true, customers: true, products: false }, ordersFrom: null });
    expect(await page.locator(`form.sync-settings[data-route="${c.routeId}"]`).getByLabel('Products').isChecked()).toBe(false);

    await page.getByRole('button', { name: 'Full re-sync' }).click();
    await page.getByText('Full re-sync started').waitFor();
    const progress = page.locator('#resync-progress');
    await progress.locator('.badge-green', { hasText: 'Finished' }).waitFor({ timeout: 30_000 });
    expect(await progress.getByTestId('resync-summary').textContent()).toBe('2 orders checked, 2 new documents, 0 already booked.');
    expect(await progress.locator('progress#resync-bar').getAttribute('value')).toBe('2');
    expect(await progress.locator('progress#resync-bar').getAttribute('max')).toBe('2');
    for (const orderId of orderIds) {
      await eventually(async () => (await c.h.db.select().from(orderSyncs).where(eq(orderSyncs.orderId, orderId)))[0]?.status === 'synced', `order ${orderId} booked`);
    }

    await page.getByRole('button', { name: 'Full re-sync' }).click();
    await page.getByText('Full re-sync started').waitFor();
    await progress.getByText('2 orders checked, 0 new documents, 2 already booked.').waitFor({ timeout: 30_000 });
    expect(c.h.qbo.control.documents(c.h.realmId, 'SalesReceipt').filter((r) => ['6201', '6202'].includes(String(r.docNumber)))).toHaveLength(2);
  });
});
