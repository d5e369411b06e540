import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { LedgerRejectedError } from '../domain/platform-errors.js';
import { entityLedgerLinks } from '../db/schema.js';
import { startEntitySync } from '../runtime/entity-sync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { entityRow, runAfterWebhook } from './support/entity-sync-runs.js';

/**
 * Customers and products sync into the ledger as entities of their own, from Shopify's webhooks through the same
 * durable intake as orders: a customer becomes one QuickBooks customer and stays it when edited, each variant with a
 * SKU one item (created or matched, never twice), a failure is counted and "retry this entity" re-runs only it.
 */
describe('customers and products as synced entities: Shopify → QuickBooks Online', () => {
  let harness: SyncHarness;
  /** SKUs whose item creation QuickBooks refuses while listed (the way a person's fix is played). */
  const refusedSkus = new Set<string>();
  /** Off: the ledger takes no updates from us, as QuickBooks Desktop's (no updateCustomer/updateItem). */
  const ledger = { takesUpdates: true };
  const decorateTarget = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if ((property === 'updateCustomer' || property === 'updateItem') && !ledger.takesUpdates) return undefined;
        if (property !== 'createItem') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<NonNullable<AccountingTarget['createItem']>>) => {
          if (refusedSkus.has(args[0].sku)) throw new LedgerRejectedError('6000', `QuickBooks Online refused item "${args[0].name}": the income account is closed.`, 'code 6000 (test)');
          return object.createItem!(...args);
        };
      },
    });

  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const items = () => harness.qbo.control.list(harness.realmId, 'Item').map((item) => item as Record<string, any>);
  const customers = () => harness.qbo.control.list(harness.realmId, 'Customer').map((customer) => customer as Record<string, any>);
  const row = (entity: 'customers' | 'products', sourceId: string) => entityRow(harness, entity, sourceId);
  const afterWebhook = (entity: 'customers' | 'products', sourceId: string, eventsBefore: number) => runAfterWebhook(harness, entity, sourceId, eventsBefore);

  it('a product synced twice creates one item per SKU; SKUs the ledger has are matched, also when typed in another case', async () => {
    const product = harness.shopify.control.createProduct({
      title: 'Wool hat',
      variants: [
        { title: 'Grey', sku: 'HAT-GREY', price: '15.00' },
        { title: 'Red T-shirt', sku: 'ts-red-m', price: '20.00' },
        { title: 'Gift card', sku: null, price: '10.00' },
      ],
      webhook: true,
    });
    const first = await afterWebhook('products', product.id, 0);
    expect(first.state).toBe('synced');
    expect(first.message).toBe(
      'Product Wool hat: HAT-GREY created as item "Wool hat - Grey"; ts-red-m matched to item "Red T-shirt" in QuickBooks Online #1. 1 variant has no SKU and was left out.',
    );
    const hat = items().filter((item) => item.Sku === 'HAT-GREY');
    expect(hat.map((item) => [item.Name, item.Type, item.UnitPrice, item.IncomeAccountRef.value])).toEqual([['Wool hat - Grey', 'NonInventory', 15, '79']]);
    expect(items().filter((item) => /^red t-shirt/i.test(item.Name))).toHaveLength(1);

    // The merchant renames the product: products/update syncs it again, to the same items. The item we created is
    // renamed with it; the one we matched keeps the name the bookkeeper gave it.
    harness.shopify.control.updateProduct(product.id, { title: 'Merino hat' });
    const second = await afterWebhook('products', product.id, 1);
    expect(second.message).toBe(
      'Product Merino hat: HAT-GREY is item "Merino hat - Grey", updated (name); ts-red-m is item "Red T-shirt" as before in QuickBooks Online #1. 1 variant has no SKU and was left out.',
    );
    expect(items().filter((item) => item.Sku === 'HAT-GREY').map((item) => item.Name)).toEqual(['Merino hat - Grey']);
    // And once more by hand (a full re-sync's entry point): nothing new either.
    const { workflowId, runId } = await startEntitySync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, entity: 'products', sourceId: product.id });
    await harness.client.workflow.getHandle(workflowId, runId).result();
    expect(items().filter((item) => item.Sku === 'HAT-GREY')).toHaveLength(1);
    expect(await row('products', product.id)).toMatchObject({ status: 'synced', sourceName: 'Merino hat', attempts: 3, lastErrorMessage: null });
  });

  it('a customer edited in the shop updates the same ledger customer', async () => {
    const grace = harness.shopify.control.createCustomer({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com', webhook: true });
    const first = await afterWebhook('customers', grace.id, 0);
    const created = customers().filter((customer) => customer.DisplayName === 'Grace Hopper');
    expect(created).toHaveLength(1);
    expect(first.message).toBe(`Customer Grace Hopper created as QuickBooks Online #1's customer "Grace Hopper" (id ${created[0]!.Id}).`);

    // New name and email: by email or name the ledger would not know her; the stored link does, and updates her.
    harness.shopify.control.updateCustomer(grace.id, { lastName: 'Murray Hopper', email: 'grace@navy.example' });
    const second = await afterWebhook('customers', grace.id, 1);
    expect(second.message).toBe(`Customer Grace Murray Hopper is QuickBooks Online #1's customer "Grace Murray Hopper" (id ${created[0]!.Id}), updated (name, last name, email).`);
    expect(customers().filter((customer) => /grace/i.test(customer.DisplayName))).toHaveLength(1);
    const links = await harness.db.select().from(entityLedgerLinks).where(and(eq(entityLedgerLinks.routeId, harness.routeId), eq(entityLedgerLinks.sourceId, grace.id)));
    expect(links.map((link) => [link.kind, link.ledgerId])).toEqual([['customer', String(created[0]!.Id)]]);
  });

  it('a customer the ledger already has (same email) is matched, not created', async () => {
    harness.qbo.control.addCustomer(harness.realmId, { displayName: 'Ada L.', email: 'ada.entity@example.com', currency: 'GBP' });
    const ada = harness.shopify.control.createCustomer({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada.entity@example.com', webhook: true });
    const outcome = await afterWebhook('customers', ada.id, 0);
    expect(outcome.message).toMatch(/^Customer Ada Lovelace matched to QuickBooks Online #1's customer "Ada L\." \(id \d+\)\.$/);
    expect(customers().filter((customer) => customer.PrimaryEmailAddr?.Address === 'ada.entity@example.com')).toHaveLength(1);
  });

  it('an edit a ledger cannot take from us (one without update methods) is said on the customer\'s row, not dropped', async () => {
    const bea = harness.shopify.control.createCustomer({ firstName: 'Bea', lastName: 'Smith', email: 'bea.entity@example.com', webhook: true });
    const first = await afterWebhook('customers', bea.id, 0);
    const id = first.ledgerIds[0]!;
    ledger.takesUpdates = false;
    try {
      harness.shopify.control.updateCustomer(bea.id, { lastName: 'Jones' });
      const edited = await afterWebhook('customers', bea.id, 1);
      expect(edited.message).toBe(`Customer Bea Jones is QuickBooks Online #1's customer "Bea Smith" (id ${id}), edit (name, last name) not written: update it in QuickBooks Online #1.`);
      expect(await row('customers', bea.id)).toMatchObject({
        status: 'synced',
        lastErrorCode: 'EditNotWritten',
        lastErrorMessage: 'Customer Bea Jones: edit (name, last name) not written: update it in QuickBooks Online #1.',
      });
      expect(customers().find((customer) => customer.Id === id)).toMatchObject({ DisplayName: 'Bea Smith', FamilyName: 'Smith' });
    } finally {
      ledger.takesUpdates = true;
    }
    // Once the ledger takes updates, the next edit is written and the row is clear again.
    harness.shopify.control.updateCustomer(bea.id, { email: 'bea@jones.example' });
    const next = await afterWebhook('customers', bea.id, 2);
    expect(next.message).toBe(`Customer Bea Jones is QuickBooks Online #1's customer "Bea Smith" (id ${id}), updated (email).`);
    expect(await row('customers', bea.id)).toMatchObject({ status: 'synced', lastErrorCode: null, lastErrorMessage: null });
  });

  it('a failed product is counted with its error, and "retry products" re-runs only it once the ledger is fixed', async () => {
    refusedSkus.add('SCARF-1');
    const scarf = harness.shopify.control.createProduct({ title: 'Scarf', variants: [{ sku: 'SCARF-1', price: '25.00' }], webhook: true });
    await eventually(async () => (await row('products', scarf.id))?.status === 'failed', 'the scarf to fail');

    const status = await harness.operator('GET', `/integrations/${harness.shopifyIntegrationId}/entities`);
    expect(status.status).toBe(200);
    const products = status.body.entities.find((e: { entity: string }) => e.entity === 'products');
    expect(products).toMatchObject({ label: 'Products', counts: { pending: 0, syncing: 0, waiting: 0, failed: 1 } });
    expect(products.counts.synced).toBeGreaterThanOrEqual(1);
    expect(products.lastError).toMatchObject({ code: 'LedgerRejected', record: 'Scarf', message: 'QuickBooks Online refused item "Scarf": the income account is closed.' });
    expect(status.body.entities.map((e: { label: string }) => e.label)).toEqual(['Customers', 'Orders', 'Products']);
    // The ledger side of the route counts the same records.
    expect((await harness.operator('GET', `/integrations/${harness.qboIntegrationId}/entities`)).body.entities[2].counts.failed).toBe(1);

    refusedSkus.delete('SCARF-1');
    const synced = products.counts.synced as number;
    const retried = await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/entities/products/retry`);
    expect(retried).toMatchObject({ status: 202, body: { entity: 'products', retried: 1, restarted: 0 } });
    await eventually(async () => (await row('products', scarf.id))?.status === 'synced', 'the scarf to sync after the retry');
    expect(items().filter((item) => item.Sku === 'SCARF-1').map((item) => item.Name)).toEqual(['Scarf']);

    const after = (await harness.operator('GET', `/integrations/${harness.shopifyIntegrationId}/entities`)).body.entities.find((e: { entity: string }) => e.entity === 'products');
    expect(after).toMatchObject({ counts: { failed: 0, synced: synced + 1 }, lastError: null });
    // Nothing failed any more: a second retry has nothing to do, and an unknown entity is refused.
    expect((await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/entities/products/retry`)).body).toMatchObject({ retried: 0, restarted: 0 });
    expect((await harness.operator('POST', `/integrations/${harness.shopifyIntegrationId}/entities/invoices/retry`)).status).toBe(400);
  });
});
