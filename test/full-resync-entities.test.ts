import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FullResyncView } from '../runtime/full-resync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * A full re-sync walks a store's customers and products too, through the same entity syncs their webhooks start:
 * the first walk syncs what no webhook brought, a second right after syncs nothing and says so, and a route with
 * an entity switched off starts none of it.
 */
describe('full re-sync of customers and products', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  }, 120_000);
  afterAll(async () => harness?.close());

  const itemsWithSku = (sku: string) => harness.qbo.control.list(harness.realmId, 'Item').filter((item) => (item as { Sku?: string }).Sku === sku);
  const customersNamed = (name: string) => harness.qbo.control.list(harness.realmId, 'Customer').filter((customer) => (customer as { DisplayName?: string }).DisplayName === name);

  async function resyncToEnd(body: Record<string, unknown>): Promise<FullResyncView> {
    const started = await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/resync`, body);
    expect(started.status).toBe(202);
    return eventually(async () => {
      const view = (await harness.operator('GET', `/integrations/${harness.shopifyIntegrationId}/resync`)).body as FullResyncView;
      return view.state !== 'running' ? view : undefined;
    }, 'the re-sync to finish');
  }

  it('syncs the products and customers no webhook brought, then, run again, syncs nothing and says so', async () => {
    // Created in the shop without their webhooks: only a walk finds them.
    harness.shopify.control.createProduct({ title: 'Linen apron', variants: [{ title: 'Natural', sku: 'APRON-NAT', price: '24.00' }] });
    harness.shopify.control.createProduct({ title: 'Tea towel', variants: [{ title: 'Blue', sku: 'TOWEL-BLU', price: '9.00' }] });
    harness.shopify.control.createCustomer({ email: 'rosa.m@example.com', firstName: 'Rosa', lastName: 'Marquez' });
    expect(itemsWithSku('APRON-NAT')).toHaveLength(0);

    const first = await resyncToEnd({ entities: ['products', 'customers'] });
    expect(first.state).toBe('finished');
    expect(first.summary).toBe('2 products checked, 2 synced anew, 0 already synced; 1 customers checked, 1 synced anew, 0 already synced.');
    await eventually(async () => itemsWithSku('TOWEL-BLU').length === 1 && customersNamed('Rosa Marquez').length === 1, 'the walked records in the ledger');
    expect(itemsWithSku('APRON-NAT')).toHaveLength(1);

    const second = await resyncToEnd({ entities: ['products', 'customers'] });
    expect(second.summary).toBe('2 products checked, 0 synced anew, 2 already synced; 1 customers checked, 0 synced anew, 1 already synced.');
    expect([itemsWithSku('APRON-NAT').length, itemsWithSku('TOWEL-BLU').length, customersNamed('Rosa Marquez').length]).toEqual([1, 1, 1]);
  });

  it('starts nothing for an entity the route has switched off', async () => {
    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sync-settings`, { entities: { products: false } });
    expect(saved.status).toBe(200);
    harness.shopify.control.createProduct({ title: 'Oven glove', variants: [{ title: 'Red', sku: 'GLOVE-RED', price: '12.00' }] });

    const walked = await resyncToEnd({ entities: ['products'] });
    expect(walked.summary).toBe('3 products checked, 0 synced anew, 2 already synced, 1 not synced (switched off on the route).');
    expect(itemsWithSku('GLOVE-RED')).toHaveLength(0);
  });
});
