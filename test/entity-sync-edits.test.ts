import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entityLedgerLinks } from '../db/schema.js';
import { entitySyncWorkflowId } from '../runtime/entity-sync-starter.js';
import type { EntitySyncOutcome } from '../activities/entity-sync-activities.js';
import { SyncHarness } from './support/sync-harness.js';
import { runAfterWebhook } from './support/entity-sync-runs.js';
import { replayErrors } from './support/replay-check.js';

/**
 * A customer or product edited in the shop after it was linked: the linked QuickBooks Online customer (or item) and
 * Xero contact (or item) are updated in place, once each, with only the fields we send; an edit that changes none
 * of them makes no ledger request at all.
 */
describe('edits of linked customers and products: Shopify → QuickBooks Online and Xero', () => {
  let harness: SyncHarness;

  beforeAll(async () => {
    harness = await SyncHarness.start({ alsoRouteTo: ['xero'] });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const xeroRoute = () => harness.extraRouteIds.xero!;
  const qboCustomers = () => harness.qbo.control.list(harness.realmId, 'Customer').map((customer) => customer as Record<string, any>);
  const qboItems = () => harness.qbo.control.list(harness.realmId, 'Item').map((item) => item as Record<string, any>);
  const xeroContacts = () => harness.xero.emulator.control.contacts(harness.xero.tenantId).map((contact) => contact as Record<string, any>);
  const xeroItems = () => harness.xero.emulator.control.items(harness.xero.tenantId).map((item) => item as Record<string, any>);
  /** Requests each ledger received from here on: QuickBooks Online's (method and path) and Xero's. */
  const ledgerRequests = () => {
    const qboFrom = harness.qbo.control.requestLog().length;
    const xeroFrom = harness.xero.emulator.control.requestLog().length;
    return {
      qbo: () => harness.qbo.control.requestLog().slice(qboFrom).map((request) => `${request.method} ${new URL(request.url, 'http://x').pathname.replace(/^\/v3\/company\/\d+/, '')}`),
      xero: () => harness.xero.emulator.control.requestLog().slice(xeroFrom).map((request) => `${request.method} ${new URL(request.url, 'http://x').pathname.replace(/^.*\/api\.xro\/2\.0/, '')}`),
    };
  };
  /** Both routes' runs that the entity's latest webhook started, once its event has started them. */
  const afterWebhook = async (entity: 'customers' | 'products', sourceId: string, eventsBefore: number): Promise<{ qbo: EntitySyncOutcome; xero: EntitySyncOutcome }> => {
    const [qbo, xero] = await Promise.all([runAfterWebhook(harness, entity, sourceId, eventsBefore), runAfterWebhook(harness, entity, sourceId, eventsBefore, xeroRoute())]);
    return { qbo, xero };
  };

  it('an edited customer updates the linked QuickBooks customer and Xero contact once each; an edit of nothing we send makes no request', async () => {
    const grace = harness.shopify.control.createCustomer({ firstName: 'Grace', lastName: 'Hopper', email: 'grace.edit@example.com', webhook: true });
    const first = await afterWebhook('customers', grace.id, 0);
    const qboId = first.qbo.ledgerIds[0]!;
    const xeroId = first.xero.ledgerIds[0]!;

    const requests = ledgerRequests();
    harness.shopify.control.updateCustomer(grace.id, { lastName: 'Murray Hopper', email: 'grace@navy.example' });
    const edited = await afterWebhook('customers', grace.id, 1);
    expect(edited.qbo.message).toBe(`Customer Grace Murray Hopper is QuickBooks Online #1's customer "Grace Murray Hopper" (id ${qboId}), updated (name, last name, email).`);
    expect(edited.xero.message).toBe(`Customer Grace Murray Hopper is Xero #1's customer "Grace Murray Hopper" (id ${xeroId}), updated (name, last name, email).`);
    expect(requests.qbo().filter((request) => request.startsWith('POST /customer'))).toHaveLength(1);
    expect(requests.xero().filter((request) => request.startsWith('POST /Contacts'))).toEqual([`POST /Contacts/${xeroId}`]);
    expect(qboCustomers().filter((customer) => /grace/i.test(customer.DisplayName))).toEqual([
      expect.objectContaining({ Id: qboId, DisplayName: 'Grace Murray Hopper', GivenName: 'Grace', FamilyName: 'Murray Hopper', PrimaryEmailAddr: { Address: 'grace@navy.example' } }),
    ]);
    expect(xeroContacts().filter((contact) => /grace/i.test(contact.Name))).toEqual([
      expect.objectContaining({ ContactID: xeroId, Name: 'Grace Murray Hopper', FirstName: 'Grace', LastName: 'Murray Hopper', EmailAddress: 'grace@navy.example' }),
    ]);
    // The edit's run replays against today's workflow (its fixture was recorded with main's entity-sync workflow).
    const editedRun = { workflowId: entitySyncWorkflowId(harness.routeId, 'customers', grace.id), fixtureName: 'entity-sync-customer-edited' };
    expect(await replayErrors(harness.client, [editedRun])).toEqual([]);

    // customers/update for a change we do not send (tags, a note): both runs end without a single ledger request.
    const quiet = ledgerRequests();
    harness.shopify.control.updateCustomer(grace.id, {});
    const untouched = await afterWebhook('customers', grace.id, 2);
    expect(untouched.qbo.message).toBe(`Customer Grace Murray Hopper is QuickBooks Online #1's customer "Grace Murray Hopper" (id ${qboId}), as before.`);
    expect(untouched.xero.message).toMatch(/, as before\.$/);
    expect(quiet.qbo()).toEqual([]);
    expect(quiet.xero()).toEqual([]);
  });

  it('a bookkeeper edit between our read and our write (stale SyncToken) is read again and kept, and the customer updated once', async () => {
    const alan = harness.shopify.control.createCustomer({ firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com', webhook: true });
    const first = await afterWebhook('customers', alan.id, 0);
    const qboId = first.qbo.ledgerIds[0]!;
    // The bookkeeper writes a note on the customer just after ledgerbridge reads it: our write's SyncToken is stale.
    harness.qbo.control.editAfterNextRead(harness.realmId, 'Customer', qboId, { Notes: 'Pays by bank transfer' });

    const requests = ledgerRequests();
    harness.shopify.control.updateCustomer(alan.id, { email: 'alan@bletchley.example' });
    const edited = await afterWebhook('customers', alan.id, 1);
    expect(edited.qbo.message).toBe(`Customer Alan Turing is QuickBooks Online #1's customer "Alan Turing" (id ${qboId}), updated (email).`);
    const customerRequests = requests.qbo().filter((request) => request.includes('/customer'));
    expect(customerRequests).toEqual([`GET /customer/${qboId}`, 'POST /customer', `GET /customer/${qboId}`, 'POST /customer']);
    const stale = harness.qbo.control.requestLog().filter((request) => request.method === 'POST' && request.url.includes('/customer')).at(-2)!;
    expect(stale.status).toBe(400);
    expect(qboCustomers().filter((customer) => /alan/i.test(customer.DisplayName))).toEqual([
      expect.objectContaining({ Id: qboId, PrimaryEmailAddr: { Address: 'alan@bletchley.example' }, Notes: 'Pays by bank transfer', SyncToken: '2' }),
    ]);
  });

  it('a price edit updates the item in both ledgers; the name the bookkeeper gave a matched item and its account stay', async () => {
    const mug = harness.shopify.control.createProduct({ title: 'Coffee mug', variants: [{ sku: 'MUG-1', price: '8.00' }], webhook: true });
    const first = await afterWebhook('products', mug.id, 0);
    // Both ledgers have MUG-1 as "Mug": matched, and named so by the bookkeeper.
    expect(first.xero.message).toBe('Product Coffee mug: MUG-1 matched to item "Mug" in Xero #1.');
    expect(first.qbo.message).toBe('Product Coffee mug: MUG-1 matched to item "Mug" in QuickBooks Online #1.');

    const requests = ledgerRequests();
    // The title changes too: the item's name is the bookkeeper's (matched, never written by us), so only the price goes.
    harness.shopify.control.updateProduct(mug.id, { title: 'Big coffee mug', variants: [{ id: mug.variants[0]!.id, price: '9.50' }] });
    const edited = await afterWebhook('products', mug.id, 1);
    expect(edited.qbo.message).toBe('Product Big coffee mug: MUG-1 is item "Mug", updated (price) in QuickBooks Online #1.');
    expect(edited.xero.message).toBe('Product Big coffee mug: MUG-1 is item "Mug", updated (price) in Xero #1.');
    expect(requests.qbo().filter((request) => request.startsWith('POST /item'))).toHaveLength(1);
    expect(requests.xero().filter((request) => request.startsWith('POST /Items'))).toHaveLength(1);
    expect(qboItems().filter((item) => item.Sku === 'MUG-1')).toEqual([expect.objectContaining({ Name: 'Mug', UnitPrice: 9.5 })]);
    expect(xeroItems().filter((item) => item.Code === 'MUG-1')).toEqual([
      expect.objectContaining({ Name: 'Mug', SalesDetails: { AccountCode: '200', TaxType: 'OUTPUT2', UnitPrice: 9.5 } }),
    ]);
    const links = await harness.db.select().from(entityLedgerLinks).where(and(eq(entityLedgerLinks.routeId, harness.routeId), eq(entityLedgerLinks.kind, 'item')));
    expect(links.filter((link) => link.sourceId === mug.variants[0]!.id).map((link) => Object.keys(link.writtenHashes ?? {}).sort())).toEqual([['name', 'unitPrice']]);
    expect(links.find((link) => link.sourceId === mug.variants[0]!.id)!.writtenHashes!.name).toBe('-');
  });

  it('a renamed product renames the items ledgerbridge created, once, and the link keeps the new name', async () => {
    const cap = harness.shopify.control.createProduct({ title: 'Wool cap', variants: [{ sku: 'CAP-9', price: '12.00' }], webhook: true });
    const first = await afterWebhook('products', cap.id, 0);
    expect(first.qbo.message).toBe('Product Wool cap: CAP-9 created as item "Wool cap" in QuickBooks Online #1.');
    expect(first.xero.message).toBe('Product Wool cap: CAP-9 created as item "Wool cap" in Xero #1.');

    const requests = ledgerRequests();
    harness.shopify.control.updateProduct(cap.id, { title: 'Merino cap' });
    const edited = await afterWebhook('products', cap.id, 1);
    expect(edited.qbo.message).toBe('Product Merino cap: CAP-9 is item "Merino cap", updated (name) in QuickBooks Online #1.');
    expect(edited.xero.message).toBe('Product Merino cap: CAP-9 is item "Merino cap", updated (name) in Xero #1.');
    expect(requests.qbo().filter((request) => request.startsWith('POST /item'))).toHaveLength(1);
    expect(requests.xero().filter((request) => request.startsWith('POST /Items'))).toHaveLength(1);
    expect(qboItems().filter((item) => item.Sku === 'CAP-9').map((item) => [item.Name, item.UnitPrice])).toEqual([['Merino cap', 12]]);
    expect(xeroItems().filter((item) => item.Code === 'CAP-9').map((item) => [item.Name, (item.SalesDetails as { UnitPrice?: number }).UnitPrice])).toEqual([['Merino cap', 12]]);
    const link = await harness.db.select().from(entityLedgerLinks).where(and(eq(entityLedgerLinks.routeId, harness.routeId), eq(entityLedgerLinks.sourceId, cap.variants[0]!.id)));
    expect(link.map((row) => row.ledgerName)).toEqual(['Merino cap']);
  });

  it('a link made before edits were kept in step takes the store as written on its next run (nothing sent, the name the bookkeeper\'s), then writes later edits', async () => {
    const joan = harness.shopify.control.createCustomer({ firstName: 'Joan', lastName: 'Clarke', email: 'joan@example.com', webhook: true });
    const first = await afterWebhook('customers', joan.id, 0);
    const qboId = first.qbo.ledgerIds[0]!;
    const ofJoan = and(eq(entityLedgerLinks.routeId, harness.routeId), eq(entityLedgerLinks.kind, 'customer'), eq(entityLedgerLinks.sourceId, joan.id));
    await harness.db.update(entityLedgerLinks).set({ writtenHashes: null }).where(ofJoan);

    const requests = ledgerRequests();
    harness.shopify.control.updateCustomer(joan.id, { lastName: 'Murray' });
    const baseline = await afterWebhook('customers', joan.id, 1);
    expect(baseline.qbo.message).toBe(`Customer Joan Murray is QuickBooks Online #1's customer "Joan Clarke" (id ${qboId}), as before.`);
    expect(requests.qbo()).toEqual([]);
    expect((await harness.db.select().from(entityLedgerLinks).where(ofJoan))[0]!.writtenHashes).toMatchObject({ name: '-' });

    harness.shopify.control.updateCustomer(joan.id, { email: 'joan@hut8.example' });
    const next = await afterWebhook('customers', joan.id, 2);
    expect(next.qbo.message).toBe(`Customer Joan Murray is QuickBooks Online #1's customer "Joan Clarke" (id ${qboId}), updated (email).`);
    expect(qboCustomers().find((customer) => customer.Id === qboId)).toMatchObject({ DisplayName: 'Joan Clarke', FamilyName: 'Clarke', PrimaryEmailAddr: { Address: 'joan@hut8.example' } });
  });

  it('a new name another QuickBooks customer has is written in its next form (with the email); Xero, where it is free, takes it as it is', async () => {
    harness.qbo.control.addCustomer(harness.realmId, { displayName: 'Ada Byron', email: 'countess@example.com', currency: 'GBP' });
    const ann = harness.shopify.control.createCustomer({ firstName: 'Ann', lastName: 'Smith', email: 'ann.rename@example.com', webhook: true });
    const first = await afterWebhook('customers', ann.id, 0);
    harness.shopify.control.updateCustomer(ann.id, { firstName: 'Ada', lastName: 'Byron' });
    const renamed = await afterWebhook('customers', ann.id, 1);
    expect(renamed.qbo.message).toBe(
      `Customer Ada Byron is QuickBooks Online #1's customer "Ada Byron (ann.rename@example.com)" (id ${first.qbo.ledgerIds[0]}), updated (name, first name, last name).`,
    );
    expect(renamed.xero.message).toBe(`Customer Ada Byron is Xero #1's customer "Ada Byron" (id ${first.xero.ledgerIds[0]}), updated (name, first name, last name).`);
    expect(qboCustomers().filter((customer) => /^Ada Byron/.test(customer.DisplayName)).map((customer) => customer.DisplayName).sort()).toEqual([
      'Ada Byron',
      'Ada Byron (ann.rename@example.com)',
    ]);
  });
});
