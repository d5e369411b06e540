import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntitySync } from '../runtime/entity-sync-starter.js';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

/**
 * The store card in a real browser: Customers, Orders and Products of the shop with their counts in words, the
 * newest error, and "Retry products" re-running the product that failed once the cause was fixed in the shop.
 */
describe('operator console in a browser: the store card', () => {
  let c: ConsoleWithRoute;
  let shopifyId: string;
  let beanieId: string;

  beforeAll(async () => {
    c = await startConsoleWithRoute();
    shopifyId = c.shopify.id;
    // Both names a "Beanie" item could take are used by other items (without a SKU): the product's sync fails.
    c.h.qbo.control.addItem(c.h.realmId, { name: 'Beanie', sku: null });
    c.h.qbo.control.addItem(c.h.realmId, { name: 'Beanie (BEAN-1)', sku: null });
    const beanie = c.h.shopify.control.createProduct({ shop: c.h.shop, title: 'Beanie', variants: [{ sku: 'BEAN-1', price: '12.00' }] });
    beanieId = beanie.id;
    const mug = c.h.shopify.control.createProduct({ shop: c.h.shop, title: 'Camp mug', variants: [{ sku: 'CAMP-MUG', price: '9.00' }] });
    await startEntitySync(c.h.client, c.h.db, c.h.taskQueue, { routeId: c.routeId, entity: 'products', sourceId: beanie.id });
    await startEntitySync(c.h.client, c.h.db, c.h.taskQueue, { routeId: c.routeId, entity: 'products', sourceId: mug.id });
    await eventually(async () => {
      const products = (await c.h.api('GET', `/integrations/${shopifyId}/entities`)).json<{ entities: { entity: string; counts: { failed: number; synced: number } }[] }>().entities.find((e) => e.entity === 'products')!;
      return products.counts.failed === 1 && products.counts.synced === 1;
    }, 'one product synced and one failed');
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('shows each entity with its counts and last error, and Retry re-runs the failed product', async () => {
    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/integrations/${shopifyId}`);
    await page.getByRole('heading', { name: 'Sync status' }).waitFor();
    const rowOf = (entity: string) => page.locator(`table.entities tr[data-entity="${entity}"]`);
    await rowOf('products').locator('.badge-red', { hasText: '1 failed' }).waitFor();
    expect(await page.locator('table.entities tbody th').allTextContents()).toEqual(['Customers', 'Orders', 'Products']);
    expect(await rowOf('products').locator('.badge-green').textContent()).toBe('1 synced');
    expect(await rowOf('products').locator('.last-error').textContent()).toContain(
      'Beanie: QuickBooks Online #1 already has items named "Beanie" and "Beanie (BEAN-1)": rename one, or give it SKU "BEAN-1", then retry.',
    );
    expect(await rowOf('customers').textContent()).toContain('Nothing to retry');

    // The merchant renames the product in the shop; then the bookkeeper retries products.
    c.h.shopify.control.updateProduct(beanieId, { shop: c.h.shop, title: 'Wool beanie' });
    await rowOf('products').getByRole('button', { name: 'Retry products' }).click();
    await page.locator('#entity-retry-result', { hasText: 'Retrying 1 product that failed or waited; synced ones are left alone.' }).waitFor();
    // The card refreshes by itself: both products synced, nothing left to retry.
    await rowOf('products').locator('.badge-green', { hasText: '2 synced' }).waitFor({ timeout: 30_000 });
    expect(await rowOf('products').textContent()).toContain('Nothing to retry');
    expect(c.h.qbo.control.list(c.h.realmId, 'Item').filter((item) => item.Sku === 'BEAN-1').map((item) => item.Name)).toEqual(['Wool beanie']);

    // A ledger's page has no store card.
    await page.goto(`${c.h.baseUrl}/console/integrations/${c.qbo.id}`);
    expect(await page.getByRole('heading', { name: 'Sync status' }).count()).toBe(0);
  });
});
