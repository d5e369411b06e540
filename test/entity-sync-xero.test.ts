import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntitySyncOutcome } from '../activities/entity-sync-activities.js';
import { entitySyncs, truncatedFields } from '../db/schema.js';
import { startEntitySync } from '../runtime/entity-sync-starter.js';
import { entitySyncStatusQuery } from '../workflows/entity-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * A product sync into a Xero route creates the variant's item through xero-node's createItems, against the Xero
 * emulator's rules for items (xero-node Item model: Code ≤ 30, Name ≤ 50; codes unique per organisation).
 */
describe('products as synced entities: Shopify → Xero items', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const itemsCoded = (code: string) => harness.xero.emulator.control.items(harness.xero.tenantId).filter((item) => String(item.Code).toLowerCase() === code.toLowerCase());
  const syncProduct = async (productId: string): Promise<{ workflowId: string; outcome: () => Promise<EntitySyncOutcome> }> => {
    const { workflowId, runId } = await startEntitySync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, entity: 'products', sourceId: productId });
    return { workflowId, outcome: () => harness.client.workflow.getHandle(workflowId, runId).result() };
  };

  it('creates one sold item whose Code is the SKU, its name cut to 50, and finds it again on the next sync', async () => {
    const title = 'Storm lantern in brushed brass, hurricane-proof and refillable';
    const product = harness.shopify.control.createProduct({ title, variants: [{ sku: 'LANTERN-XL', price: '34.00' }] });
    const first = await (await syncProduct(product.id)).outcome();
    expect(first.state).toBe('synced');
    const items = itemsCoded('LANTERN-XL');
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(String(item.Name).length).toBeLessThanOrEqual(50);
    expect(title.startsWith(String(item.Name).replace(/…$/, '').trimEnd())).toBe(true);
    expect(item).toMatchObject({ Code: 'LANTERN-XL', IsSold: true, SalesDetails: { UnitPrice: 34 } });
    expect(first.message).toBe(`Product ${title}: LANTERN-XL created as item "${String(item.Name)}" in Xero #1.`);
    // The full name is kept with us, since Xero only has the cut one.
    const kept = await harness.db.select().from(truncatedFields).where(and(eq(truncatedFields.routeId, harness.routeId), eq(truncatedFields.field, 'item.name')));
    expect(kept.map((row) => [row.fullText, row.limit])).toEqual([[title, 50]]);

    const again = await (await syncProduct(product.id)).outcome();
    expect(again.message).toBe(`Product ${title}: LANTERN-XL is item "${String(item.Name)}" as before in Xero #1.`);
    expect(itemsCoded('LANTERN-XL')).toHaveLength(1);
  });

  it('a SKU the organisation has in another case is matched: no second item with the same code', async () => {
    // Xero keeps codes unique per organisation whatever their case: a create would be refused.
    const product = harness.shopify.control.createProduct({ title: 'Mug', variants: [{ sku: 'mug-1', price: '8.00' }] });
    const outcome = await (await syncProduct(product.id)).outcome();
    expect(outcome.message).toBe('Product Mug: mug-1 matched to item "Mug" in Xero #1.');
    expect(itemsCoded('MUG-1').map((item) => item.Code)).toEqual(['MUG-1']);
  });

  it('a SKU longer than Xero takes as an item code fails with what Xero said, and creates nothing', async () => {
    const sku = 'POSTER-A2-GLOSSY-FRAMED-OAK-202';
    expect(sku.length).toBe(31);
    const product = harness.shopify.control.createProduct({ title: 'Framed poster', variants: [{ sku, price: '45.00' }] });
    const { workflowId } = await syncProduct(product.id);
    const rowOf = async () => (await harness.db.select().from(entitySyncs).where(and(eq(entitySyncs.routeId, harness.routeId), eq(entitySyncs.sourceId, product.id))))[0];
    // The row is written after the workflow's state: wait for both.
    const status = await eventually(async () => {
      const s = await harness.client.workflow.getHandle(workflowId).query(entitySyncStatusQuery);
      return s.state === 'waiting_for_fix' && (await rowOf())?.status === 'failed' ? s : undefined;
    }, 'the poster to fail');
    expect(status.lastError).toMatchObject({ code: 'LedgerRejected' });
    // Xero's "Item Code must not be more than 30 characters long", in the bookkeeper's words.
    expect(status.lastError!.message).toBe("Xero rejected item 'Framed poster': Item Code is longer than Xero allows (at most 30 characters) (code length)");
    expect(await rowOf()).toMatchObject({ status: 'failed', lastErrorCode: 'LedgerRejected' });
    expect(itemsCoded(sku)).toHaveLength(0);
    expect(harness.xero.emulator.control.items(harness.xero.tenantId).filter((item) => String(item.Code).startsWith('POSTER-A2'))).toHaveLength(0);
  });
});
