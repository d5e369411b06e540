import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qbwcRequests } from '../db/schema.js';
import { qbdTestCompany } from './support/qbd-test-company.js';
import { SyncHarness } from './support/sync-harness.js';
import { entityRow, runAfterWebhook } from './support/entity-sync-runs.js';

/**
 * QuickBooks Desktop takes no updates from ledgerbridge yet (CustomerMod/ItemNonInventoryMod with EditSequence are
 * not written): an edit of a linked customer or product is said on the entity's row for the bookkeeper to make in
 * QuickBooks Desktop, instead of being dropped without a word. Nothing is sent to the company for it.
 */
describe('edits of linked customers and products: Shopify → QuickBooks Desktop', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qbd: qbdTestCompany([{ name: 'MUG-1', price: '8.00', description: 'Mug' }]) });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const row = (entity: 'customers' | 'products', sourceId: string) => entityRow(harness, entity, sourceId);
  const afterWebhook = (entity: 'customers' | 'products', sourceId: string, eventsBefore: number) => runAfterWebhook(harness, entity, sourceId, eventsBefore);
  const qbwcRequestCount = async () => (await harness.db.select().from(qbwcRequests)).length;

  it('an edited customer is reported on its row as not written, and the QuickBooks Desktop customer is left as it was', async () => {
    const lin = harness.shopify.control.createCustomer({ firstName: 'Lin', lastName: 'Chen', email: 'lin@example.com', webhook: true });
    const first = await afterWebhook('customers', lin.id, 0);
    expect(first.message).toMatch(/^Customer Lin Chen created as QuickBooks Desktop #1's customer "Lin Chen"/);

    const requestsBefore = await qbwcRequestCount();
    harness.shopify.control.updateCustomer(lin.id, { lastName: 'Wu', email: 'lin@wu.example' });
    const edited = await afterWebhook('customers', lin.id, 1);
    const notice = 'edit (name, last name, email) not written: update it in QuickBooks Desktop #1';
    expect(edited.message).toBe(`Customer Lin Wu is QuickBooks Desktop #1's customer "Lin Chen" (id ${first.ledgerIds[0]}), ${notice}.`);
    expect(await row('customers', lin.id)).toMatchObject({ status: 'synced', lastErrorCode: 'EditNotWritten', lastErrorMessage: `Customer Lin Wu: ${notice}.` });
    expect(harness.qbd!.company.company.customers.filter((customer) => /lin/i.test(customer.name)).map((customer) => customer.name)).toEqual(['Lin Chen']);
    expect(await qbwcRequestCount()).toBe(requestsBefore);
  });

  it('a price edit of a matched item is reported the same way', async () => {
    const mug = harness.shopify.control.createProduct({ title: 'Coffee mug', variants: [{ sku: 'MUG-1', price: '8.00' }], webhook: true });
    expect((await afterWebhook('products', mug.id, 0)).message).toBe('Product Coffee mug: MUG-1 matched to item "MUG-1" in QuickBooks Desktop #1.');
    harness.shopify.control.updateProduct(mug.id, { variants: [{ id: mug.variants[0]!.id, price: '9.00' }] });
    const edited = await afterWebhook('products', mug.id, 1);
    expect(edited.message).toBe('Product Coffee mug: MUG-1 is item "MUG-1", edit (price) not written in QuickBooks Desktop #1.');
    expect(await row('products', mug.id)).toMatchObject({
      status: 'synced',
      lastErrorCode: 'EditNotWritten',
      lastErrorMessage: 'Product Coffee mug: MUG-1: edit (price) not written: update it in QuickBooks Desktop #1.',
    });
  });
});
