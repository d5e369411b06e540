import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncStatusQuery } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';

/** Two shops booking into one QuickBooks company: each has its own "#1001", and neither may hide the other's. */
describe('order sync: two shops, one ledger', () => {
  let harness: SyncHarness;
  let second: { routeId: string; shop: string; integrationId: string };
  beforeAll(async () => {
    harness = await SyncHarness.start();
    second = await harness.addSecondShopRoute();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const row = (routeId: string, orderId: string) => harness.orderRow(orderId, routeId);
  const mug = [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }];

  it("the second shop's #3001 is not taken for the first shop's: it parks naming the clash and the fix, and a route prefix books it", async () => {
    const first = harness.shopify.control.createOrder({ name: '#3001', lineItems: mug });
    expect((await harness.handle((await harness.startSync(first.id)).workflowId).result()).outcome).toBe('created');
    // Both shops are subscribed to our webhooks (on connect): the second shop's order arrives after the first is booked.
    const other = harness.shopify.control.createOrder({ shop: second.shop, name: '#3001', lineItems: [{ ...mug[0]!, quantity: 3 }] });

    const { workflowId } = await harness.startSync(other.id, second.routeId);
    const handle = harness.handle(workflowId);
    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_fix' ? s : undefined;
    }, 'the second shop’s order to wait for a fix');
    const firstReceipt = harness.salesReceipts().find((r) => r.docNumber === '3001')!;
    expect(status.lastError?.code).toBe('DocumentNumberTaken');
    expect(status.lastError?.message).toBe(
      `Order #3001 was not booked: document number 3001 is already used in QuickBooks Online #1 by sales receipt ${firstReceipt.id}, ` +
        `which ledgerbridge booked for Shopify #1 order #3001. This happens when two shops book into one ledger. ` +
        `Give sync route ${second.routeId} a document number prefix (for example "A-"); the order then syncs by itself.`,
    );
    await eventually(async () => (await row(second.routeId, other.id))?.status === 'waiting', 'the row to show Waiting');
    expect(await row(second.routeId, other.id)).toMatchObject({ waitingFor: 'fix', waitingOn: 'document-number-prefix:', lastErrorCode: 'DocumentNumberTaken' });
    expect(harness.salesReceipts()).toHaveLength(1);

    const patched = await harness.operator('PATCH', `/routes/${second.routeId}`, { documentNumberPrefix: 'B-' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ route: { id: second.routeId, documentNumberPrefix: 'B-' }, resumed: 1 });

    const result = await handle.result();
    expect(result.outcome).toBe('created');
    expect(result.ledgerDocument?.docNumber).toBe('B-3001');
    const receipts = harness.salesReceipts();
    expect(receipts.map((r) => r.docNumber).sort()).toEqual(['3001', 'B-3001']);
    expect(Number((receipts.find((r) => r.docNumber === 'B-3001')!.record as any).TotalAmt)).toBe(24);
    expect(await row(second.routeId, other.id)).toMatchObject({ status: 'synced', ledgerDocNumber: 'B-3001', attempts: 2 });
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-document-number-taken-then-prefixed' }])).toEqual([]);
  });

  it("an order booked before its route's prefix changed is found under its old number when re-run: still one receipt", async () => {
    const order = harness.shopify.control.createOrder({ shop: second.shop, name: '#3002', lineItems: mug });
    expect((await harness.operator('PATCH', `/routes/${second.routeId}`, { documentNumberPrefix: 'X-' })).status).toBe(200);
    const booked = await harness.handle((await harness.startSync(order.id, second.routeId)).workflowId).result();
    expect(booked.ledgerDocument?.docNumber).toBe('X-3002');

    expect((await harness.operator('PATCH', `/routes/${second.routeId}`, { documentNumberPrefix: 'B-' })).status).toBe(200);
    const result = await harness.handle((await harness.startSync(order.id, second.routeId)).workflowId).result();
    expect(result.outcome).toBe('already_synced');
    expect(result.ledgerDocument?.docNumber).toBe('X-3002');
    expect(harness.salesReceipts().filter((r) => r.docNumber?.endsWith('3002'))).toHaveLength(1);
  });

  it('refuses a route numbered like another route into the same ledger, saying which and what to do', async () => {
    const sameAsFirst = await harness.operator('PATCH', `/routes/${second.routeId}`, { documentNumberPrefix: null });
    expect(sameAsFirst.status).toBe(409);
    expect(sameAsFirst.body.error.message).toBe(
      `Sync route ${harness.routeId} already books into QuickBooks Online #1 with no document number prefix, so orders of both shops ` +
        'with the same number (both have a "#1001") would clash. Give this route a prefix of its own, for example "A-".',
    );
    const route = { sourceIntegrationId: second.integrationId, targetIntegrationId: harness.qboIntegrationId };
    const sameAsSecond = await harness.operator('POST', '/routes', { ...route, documentNumberPrefix: 'B-' });
    expect(sameAsSecond.status).toBe(409);
    expect(sameAsSecond.body.error.message).toContain(`Sync route ${second.routeId} already books into QuickBooks Online #1 with the document number prefix "B-"`);
    const backwards = await harness.operator('POST', '/routes', { sourceIntegrationId: harness.qboIntegrationId, targetIntegrationId: second.integrationId });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe(
      'QuickBooks Online #1 is not a shop: a sync route reads orders from a shop (sourceIntegrationId) and books them into a ledger (targetIntegrationId).',
    );
    const own = await harness.operator('POST', '/routes', { ...route, documentNumberPrefix: 'C-' });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ targetIntegrationId: harness.qboIntegrationId, documentNumberPrefix: 'C-' });
  });

  it('refuses a prefix that could not be a document number, and an unknown route', async () => {
    const bad = await harness.operator('PATCH', `/routes/${second.routeId}`, { documentNumberPrefix: 'shop two!' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('documentNumberPrefix');
    const missing = await harness.operator('PATCH', '/routes/no-such-route', { documentNumberPrefix: 'C-' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: 'No sync route no-such-route.' });
  });
  it("a document under the order's number that ledgerbridge did not book is never booked over; the message says so, and a prefix books the order", async () => {
    const { target } = await harness.connections().accountingTarget(harness.routeId);
    const walkIn = await target.createCustomer({ displayName: 'Walk-in sale', givenName: null, familyName: null, email: null, currency: 'GBP' }, 'hand-customer');
    const byHand = await target.bookSale(
      {
        docNumber: '3004',
        date: '2026-11-25',
        currency: 'GBP',
        customerId: walkIn.id,
        taxesIncluded: false,
        lines: [{ itemId: harness.ledgerId('Item', 'Mug'), description: 'Mug', quantity: 1, unitPrice: '8.00', amount: '8.00', taxCodeId: harness.ledgerId('TaxCode', 'Zero rated') }],
        discount: '0.00',
        shipping: null,
        totalTax: '0.00',
        total: '8.00',
        marker: 'Till sale, entered by hand.',
        internalNote: 'Till sale, entered by hand.',
        customerMemo: null,
      },
      'hand-receipt-3004',
    );
    const order = harness.shopify.control.createOrder({ name: '#3004', lineItems: mug });
    const first = await harness.handle((await harness.startSync(order.id)).workflowId).result();
    expect(first).toMatchObject({ outcome: 'already_synced', ledgerDocument: { id: byHand.id, docNumber: '3004' } });
    expect(first.message).toBe(
      `QuickBooks Online #1 already has a document numbered 3004 (id ${byHand.id}) that ledgerbridge did not book; it is taken to be order #3004, ` +
        'and nothing new was written. If it is another sale, give this route a document number prefix and sync the order again.',
    );

    expect((await harness.operator('PATCH', `/routes/${harness.routeId}`, { documentNumberPrefix: 'A-' })).status).toBe(200);
    const again = await harness.handle((await harness.startSync(order.id)).workflowId).result();
    expect(again).toMatchObject({ outcome: 'created', ledgerDocument: { docNumber: 'A-3004' } });
    expect(harness.salesReceipts().filter((r) => r.docNumber?.endsWith('3004')).map((r) => r.docNumber).sort()).toEqual(['3004', 'A-3004']);
  });
});
