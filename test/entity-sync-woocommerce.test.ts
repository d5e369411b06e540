import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitySyncs, webhookEvents } from '../db/schema.js';
import { entitySyncWorkflowId } from '../runtime/entity-sync-starter.js';
import type { EntitySyncOutcome } from '../activities/entity-sync-activities.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { redeliverAtOnce } from './support/webhook-replay.js';

/**
 * WooCommerce's customer.* and product.* webhooks, subscribed by the product through the REST API, go through the same
 * durable intake as its orders into the customer and product syncs: one ledger record each, however often delivered.
 */
describe('customers and products as synced entities: WooCommerce → QuickBooks Online', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const items = () => harness.qbo.control.list(harness.realmId, 'Item').map((item) => item as Record<string, any>);
  const customers = () => harness.qbo.control.list(harness.realmId, 'Customer').map((customer) => customer as Record<string, any>);
  const eventsOf = (sourceId: string) => harness.db.select().from(webhookEvents).where(and(eq(webhookEvents.orderId, sourceId), eq(webhookEvents.integrationId, harness.wooIntegrationId)));
  const deliveriesOf = (topic: string, id: unknown) => harness.woo.control.webhooks.deliveries.filter((d) => d.topic === topic && (JSON.parse(d.body) as { id: number }).id === id);
  /** The outcome of the run the webhooks started: every event of the record has started its sync, whose latest run is awaited. */
  const afterWebhooks = async (entity: 'customers' | 'products', sourceId: string, events: number): Promise<EntitySyncOutcome> => {
    await eventually(async () => {
      const rows = await eventsOf(sourceId);
      return rows.length === events && rows.every((event) => event.outcome === 'started');
    }, `the ${entity} webhook for ${sourceId} to start its sync`);
    return harness.handle(entitySyncWorkflowId(harness.routeId, entity, sourceId)).result();
  };

  it('a customer and a product created in WooCommerce become one QuickBooks customer and one item; redeliveries are duplicates', async () => {
    const ada = harness.woo.control.createCustomer({ email: 'ada.byron@example.com', firstName: 'Ada', lastName: 'Byron' });
    const mug = harness.woo.control.createProduct({ name: 'Enamel mug', sku: 'ENAMEL-MUG', price: '12.00' });
    const customer = await afterWebhooks('customers', String(ada.id), 1);
    expect(customer.state).toBe('synced');
    const created = customers().filter((c) => c.DisplayName === 'Ada Byron');
    expect(created).toHaveLength(1);
    expect(customer.message).toBe(`Customer Ada Byron created as QuickBooks Online #1's customer "Ada Byron" (id ${created[0]!.Id}).`);
    const product = await afterWebhooks('products', String(mug.id), 1);
    expect(product.message).toBe('Product Enamel mug: ENAMEL-MUG created as item "Enamel mug" in QuickBooks Online #1.');
    expect(items().filter((item) => item.Sku === 'ENAMEL-MUG').map((item) => [item.Name, item.UnitPrice])).toEqual([['Enamel mug', 12]]);

    // WooCommerce never retries, but a delivery can come twice (a proxy, a replayed request): the same change is one event.
    for (const delivery of [...deliveriesOf('customer.created', ada.id), ...deliveriesOf('product.created', mug.id)]) {
      expect(await redeliverAtOnce(delivery, 3)).toEqual([
        [200, 'duplicate'],
        [200, 'duplicate'],
        [200, 'duplicate'],
      ]);
    }
    expect(await eventsOf(String(ada.id))).toHaveLength(1);
    expect(await eventsOf(String(mug.id))).toHaveLength(1);
    expect(customers().filter((c) => c.DisplayName === 'Ada Byron')).toHaveLength(1);
    expect(items().filter((item) => item.Sku === 'ENAMEL-MUG')).toHaveLength(1);

    // The merchant renames the product: product.updated is a new event, and renames the same item (one we created).
    harness.woo.control.updateRecord('products', mug.id as number, { name: 'Enamel camping mug' });
    const renamed = await afterWebhooks('products', String(mug.id), 2);
    expect(renamed.message).toBe('Product Enamel camping mug: ENAMEL-MUG is item "Enamel camping mug", updated (name) in QuickBooks Online #1.');
    expect(items().filter((item) => item.Sku === 'ENAMEL-MUG').map((item) => item.Name)).toEqual(['Enamel camping mug']);
  });

  it("with products switched off in the route's sync settings, a product webhook is recorded and starts nothing", async () => {
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sync-settings`, { entities: { products: false } })).status).toBe(200);
    const lamp = harness.woo.control.createProduct({ name: 'Desk lamp', sku: 'LAMP-1', price: '30.00' });
    const [event] = await eventually(async () => {
      const rows = await eventsOf(String(lamp.id));
      return rows.length === 1 && !['queued', 'processing'].includes(rows[0]!.outcome) ? rows : undefined;
    }, 'the lamp webhook to be settled');
    expect(event).toMatchObject({ topic: 'product.created', outcome: 'skipped' });
    const rows = await harness.db.select().from(entitySyncs).where(and(eq(entitySyncs.routeId, harness.routeId), eq(entitySyncs.sourceId, String(lamp.id))));
    expect(rows).toHaveLength(0);
    expect(items().filter((item) => item.Sku === 'LAMP-1')).toHaveLength(0);
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sync-settings`, { entities: { products: true } })).status).toBe(200);
  });
});
