import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qbdTestCompany } from './support/qbd-test-company.js';
import { SyncHarness } from './support/sync-harness.js';
import { entityRow, runAfterWebhook } from './support/entity-sync-runs.js';

/**
 * An edit of a linked customer or product is written to QuickBooks Desktop through the Web Connector: the record is
 * read for its current EditSequence, then `CustomerMod` / `ItemNonInventoryMod` sends only the fields that changed.
 * An edit of nothing we send sends nothing; a bookkeeper's save between our read and our Mod (stale EditSequence,
 * 3200) is read again and the Mod sent once more, keeping the bookkeeper's change.
 */
describe('edits of linked customers and products: Shopify → QuickBooks Desktop', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qbd: qbdTestCompany([{ name: 'MUG-1', type: 'NonInventory', price: '8.00', description: 'Mug' }]) });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const company = () => harness.qbd!.company;
  const row = (entity: 'customers' | 'products', sourceId: string) => entityRow(harness, entity, sourceId);
  const afterWebhook = (entity: 'customers' | 'products', sourceId: string, eventsBefore: number) => runAfterWebhook(harness, entity, sourceId, eventsBefore);
  /** The qbXML requests QuickBooks ran from here on, with their status codes. */
  const processedFromNow = () => {
    const from = company().processed.length;
    return () => company().processed.slice(from).map((request) => `${request.name} ${request.statusCode}`);
  };

  it('an edited customer is modified once with the changed fields; an edit of nothing we send sends nothing', async () => {
    const lin = harness.shopify.control.createCustomer({ firstName: 'Lin', lastName: 'Chen', email: 'lin@example.com', webhook: true });
    const first = await afterWebhook('customers', lin.id, 0);
    expect(first.message).toMatch(/^Customer Lin Chen created as QuickBooks Desktop #1's customer "Lin Chen"/);
    const listId = first.ledgerIds[0]!;

    const requests = processedFromNow();
    harness.shopify.control.updateCustomer(lin.id, { lastName: 'Wu', email: 'lin@wu.example' });
    const edited = await afterWebhook('customers', lin.id, 1);
    expect(edited.message).toBe(`Customer Lin Wu is QuickBooks Desktop #1's customer "Lin Wu" (id ${listId}), updated (name, last name, email).`);
    expect(await row('customers', lin.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
    expect(requests().filter((request) => request.startsWith('Customer'))).toEqual(['CustomerQuery 0', 'CustomerMod 0']);
    expect(company().company.customers.filter((customer) => /lin/i.test(customer.name))).toEqual([
      expect.objectContaining({ listId, name: 'Lin Wu', firstName: 'Lin', lastName: 'Wu', email: 'lin@wu.example' }),
    ]);

    // customers/update for a change we do not send (tags, a note): no request reaches QuickBooks.
    const quiet = processedFromNow();
    harness.shopify.control.updateCustomer(lin.id, {});
    const untouched = await afterWebhook('customers', lin.id, 2);
    expect(untouched.message).toBe(`Customer Lin Wu is QuickBooks Desktop #1's customer "Lin Wu" (id ${listId}), as before.`);
    expect(quiet()).toEqual([]);
  });

  it('a bookkeeper\'s save between our read and our Mod (stale EditSequence) is read again and kept, and the customer modified once', async () => {
    const ada = harness.shopify.control.createCustomer({ firstName: 'Ada', lastName: 'King', email: 'ada@example.com', webhook: true });
    const listId = (await afterWebhook('customers', ada.id, 0)).ledgerIds[0]!;
    // The bookkeeper types a phone number on the customer just after ledgerbridge reads it.
    company().company.editAfterNextRead(listId, (customer) => Object.assign(customer, { phone: '555-0100' }));

    const requests = processedFromNow();
    harness.shopify.control.updateCustomer(ada.id, { email: 'ada@lovelace.example' });
    const edited = await afterWebhook('customers', ada.id, 1);
    expect(edited.message).toBe(`Customer Ada King is QuickBooks Desktop #1's customer "Ada King" (id ${listId}), updated (email).`);
    expect(requests().filter((request) => request.startsWith('Customer'))).toEqual(['CustomerQuery 0', 'CustomerMod 3200', 'CustomerQuery 0', 'CustomerMod 0']);
    expect(company().company.customers.find((customer) => customer.listId === listId)).toMatchObject({ name: 'Ada King', email: 'ada@lovelace.example', phone: '555-0100' });
  });

  it('a new name another QuickBooks Desktop customer has (3100) is written in its next form, with the rest of the edit', async () => {
    const byron = harness.shopify.control.createCustomer({ firstName: 'Ada', lastName: 'Byron', email: 'countess@example.com', webhook: true });
    await afterWebhook('customers', byron.id, 0);
    const ann = harness.shopify.control.createCustomer({ firstName: 'Ann', lastName: 'Smith', email: 'ann.rename@example.com', webhook: true });
    const listId = (await afterWebhook('customers', ann.id, 0)).ledgerIds[0]!;

    const requests = processedFromNow();
    harness.shopify.control.updateCustomer(ann.id, { firstName: 'Ada', lastName: 'Byron' });
    const renamed = await afterWebhook('customers', ann.id, 1);
    expect(renamed.message).toBe(`Customer Ada Byron is QuickBooks Desktop #1's customer "Ada Byron (ann.rename@example.com)" (id ${listId}), updated (name, first name, last name).`);
    expect(requests().filter((request) => request.startsWith('CustomerMod'))).toEqual(['CustomerMod 3100', 'CustomerMod 0']);
    expect(company().company.customers.filter((customer) => /^Ada Byron/.test(customer.name)).map((customer) => [customer.name, customer.firstName, customer.lastName])).toEqual([
      ['Ada Byron', 'Ada', 'Byron'],
      ['Ada Byron (ann.rename@example.com)', 'Ada', 'Byron'],
    ]);
  });

  it('a price edit of a matched item modifies its sales price once; its name and description stay the bookkeeper\'s', async () => {
    const mug = harness.shopify.control.createProduct({ title: 'Coffee mug', variants: [{ sku: 'MUG-1', price: '8.00' }], webhook: true });
    expect((await afterWebhook('products', mug.id, 0)).message).toBe('Product Coffee mug: MUG-1 matched to item "MUG-1" in QuickBooks Desktop #1.');

    const requests = processedFromNow();
    harness.shopify.control.updateProduct(mug.id, { title: 'Big coffee mug', variants: [{ id: mug.variants[0]!.id, price: '9.00' }] });
    const edited = await afterWebhook('products', mug.id, 1);
    expect(edited.message).toBe('Product Big coffee mug: MUG-1 is item "MUG-1", updated (price) in QuickBooks Desktop #1.');
    expect(await row('products', mug.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
    expect(requests().filter((request) => request.includes('Mod'))).toEqual(['ItemNonInventoryMod 0']);
    expect(company().company.items.filter((item) => item.name === 'MUG-1')).toEqual([expect.objectContaining({ type: 'NonInventory', price: '9.00', description: 'Mug' })]);
  });
});
