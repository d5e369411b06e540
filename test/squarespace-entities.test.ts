import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { entitySyncs } from '../db/schema.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * A Squarespace site's customers and products as synced entities. Squarespace has no notification topic for either
 * (only order.create, order.update, extension.uninstall), so a full re-sync is what brings them: each into the
 * ledger once, a second walk creating nothing, counts per entity on the integration, and a product whose SKU the
 * ledger lacks parked until it is there.
 */
describe('customers and products as synced entities: Squarespace → QuickBooks Online', () => {
  let harness: SyncHarness;
  /** While true, the ledger offers no item creation (as QuickBooks Desktop or a locked-down company would not). */
  let itemCreationOff = false;
  const decorateTarget = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => (property === 'createItem' && itemCreationOff ? undefined : Reflect.get(object, property, receiver)),
    });

  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'squarespace', squarespace: { pageSize: 2 }, decorateTarget });
  }, 120_000);
  afterAll(async () => harness?.close());

  const site = () => harness.squarespace.control;
  const itemsWithSku = (sku: string) => harness.qbo.control.list(harness.realmId, 'Item').filter((item) => (item as { Sku?: string }).Sku === sku);
  const customersNamed = (name: string) => harness.qbo.control.list(harness.realmId, 'Customer').filter((customer) => (customer as { DisplayName?: string }).DisplayName === name);
  const row = async (entity: 'customers' | 'products', sourceId: string) =>
    (await harness.db.select().from(entitySyncs).where(and(eq(entitySyncs.routeId, harness.routeId), eq(entitySyncs.entity, entity), eq(entitySyncs.sourceId, sourceId))))[0];
  const entityStatus = async (entity: string) =>
    ((await harness.operator('GET', `/integrations/${harness.squarespaceIntegrationId}/entities`)).body.entities as Array<{ entity: string; counts: Record<string, number>; lastError: Record<string, string> | null }>).find((e) => e.entity === entity)!;

  const resyncToEnd = (body: Record<string, unknown>) => harness.resyncToEnd(harness.squarespaceIntegrationId, body);

  it('a full re-sync books every customer and every variant with a SKU once; run again it creates nothing and says so; the integration counts them', async () => {
    // Made in the panel: Squarespace sends nothing for them, only a walk finds them (three products: two pages of two).
    site().createProduct({ name: 'Linen apron', variants: [{ sku: 'APRON-NAT', price: '24.00', attributes: { Colour: 'Natural' } }, { sku: 'APRON-RED', price: '24.00', attributes: { Colour: 'Red' } }] });
    site().createProduct({ name: 'Tea towel', variants: [{ sku: 'TOWEL-BLU', price: '9.00' }] });
    site().createProduct({ name: 'Gift wrap', variants: [{ sku: null, price: '2.00' }] });
    site().createProfile({ email: 'rosa.m@example.com', firstName: 'Rosa', lastName: 'Marquez', isCustomer: true });
    site().createProfile({ email: 'kai.o@example.com', firstName: 'Kai', lastName: 'Okafor', isCustomer: true });
    // A newsletter subscriber has bought nothing: no ledger customer.
    site().createProfile({ email: 'news.only@example.com', firstName: 'Nell', lastName: 'Newsome' });
    expect(itemsWithSku('APRON-NAT')).toHaveLength(0);
    const webhooksBefore = site().webhooks.deliveries.length;

    const first = await resyncToEnd({ entities: ['customers', 'products'] });
    expect(first.state).toBe('finished');
    expect(first.summary).toBe('2 customers checked, 2 synced anew, 0 already synced; 3 products checked, 3 synced anew, 0 already synced.');
    await eventually(async () => (await entityStatus('products')).counts.synced === 3 && (await entityStatus('customers')).counts.synced === 2, 'the walked records synced');
    expect([itemsWithSku('APRON-NAT').length, itemsWithSku('APRON-RED').length, itemsWithSku('TOWEL-BLU').length]).toEqual([1, 1, 1]);
    expect(harness.qbo.control.list(harness.realmId, 'Item').filter((item) => /apron/i.test((item as { Name: string }).Name)).map((item) => (item as { Name: string }).Name).sort()).toEqual([
      'Linen apron - Natural',
      'Linen apron - Red',
    ]);
    expect([customersNamed('Rosa Marquez').length, customersNamed('Kai Okafor').length, customersNamed('Nell Newsome').length]).toEqual([1, 1, 0]);
    expect(await entityStatus('customers')).toMatchObject({ counts: { pending: 0, syncing: 0, synced: 2, waiting: 0, failed: 0 }, lastError: null });
    expect(site().webhooks.deliveries.length).toBe(webhooksBefore);

    const second = await resyncToEnd({ entities: ['customers', 'products'] });
    expect(second.summary).toBe('2 customers checked, 0 synced anew, 2 already synced; 3 products checked, 0 synced anew, 3 already synced.');
    expect([itemsWithSku('APRON-NAT').length, itemsWithSku('TOWEL-BLU').length, customersNamed('Rosa Marquez').length, customersNamed('Kai Okafor').length]).toEqual([1, 1, 1, 1]);
    expect((await entityStatus('products')).counts).toMatchObject({ synced: 3, waiting: 0, failed: 0 });
  });

  it('a product whose SKU matches no item, in a ledger that cannot create one, waits with what to add; once added, "retry products" matches it once', async () => {
    itemCreationOff = true;
    const candle = site().createProduct({ name: 'Beeswax candle', variants: [{ sku: 'CANDLE-1', price: '12.00' }] });
    const walked = await resyncToEnd({ entities: ['products'] });
    expect(walked.summary).toBe('4 products checked, 1 synced anew, 3 already synced.');
    const parked = await eventually(async () => {
      const found = await row('products', candle.id as string);
      return found?.status === 'waiting' ? found : undefined;
    }, 'the candle to wait for its item');
    expect(parked).toMatchObject({ sourceName: 'Beeswax candle', lastErrorCode: 'SkuNotFound' });
    const products = await entityStatus('products');
    expect(products.counts).toMatchObject({ waiting: 1, failed: 0, synced: 3 });
    expect(products.lastError).toMatchObject({ code: 'SkuNotFound', record: 'Beeswax candle', message: expect.stringContaining('add an item with SKU "CANDLE-1"') });
    expect(itemsWithSku('CANDLE-1')).toHaveLength(0);

    harness.qbo.control.addItem(harness.realmId, { name: 'Candle (beeswax)', sku: 'CANDLE-1', type: 'NonInventory', unitPrice: 12 });
    const retried = await harness.operator('POST', `/integrations/${harness.squarespaceIntegrationId}/entities/products/retry`);
    expect(retried).toMatchObject({ status: 202, body: { entity: 'products', retried: 1 } });
    await eventually(async () => (await row('products', candle.id as string))?.status === 'synced', 'the candle to sync after the retry');
    expect(itemsWithSku('CANDLE-1').map((item) => (item as { Name: string }).Name)).toEqual(['Candle (beeswax)']);
    expect(await entityStatus('products')).toMatchObject({ counts: { waiting: 0, synced: 4 }, lastError: null });
    itemCreationOff = false;
  });
});
