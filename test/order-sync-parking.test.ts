import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { integrations, orderSyncs } from '../db/schema.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';

/** Orders that need a person: each parks with a message that says what to fix, and resumes by itself. */
describe('order sync: waiting for a person', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const row = (orderId: string) => harness.orderRow(orderId);

  it('an unknown SKU parks the order naming the SKU and its near match; saving the mapping syncs it with no further call', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#2001',
      lineItems: [{ title: 'Product A', sku: 'Product-A ', quantity: 1, unitPrice: '10.00' }],
    });
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);

    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_fix' ? s : undefined;
    }, 'order to wait for a SKU fix');
    expect(status.lastError?.code).toBe('SkuNotFound');
    expect(status.lastError?.message).toContain('SKU "Product-A "');
    expect(status.lastError?.message).toContain('Did you mean "product-a" (item Product A)');
    expect(status.lastError?.suggestions?.[0]?.candidates.map((c) => c.name)).toEqual(['Product A']);
    await eventually(async () => (await row(order.id))?.status === 'waiting', 'the order row to show Waiting');
    expect(await row(order.id)).toMatchObject({ status: 'waiting', waitingFor: 'fix', waitingOn: 'sku:Product-A ', lastErrorCode: 'SkuNotFound' });
    expect(harness.salesReceipts()).toHaveLength(0);

    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/${encodeURIComponent('Product-A ')}`, {
      ledgerItemId: harness.ledgerId('Item', 'Product A'),
    });
    expect(saved.status).toBe(200);

    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '2001')).toHaveLength(1);
    expect(await row(order.id)).toMatchObject({ status: 'synced', attempts: 2, lastErrorCode: null });
  });

  it('a tax rate with no tax code parks naming the jurisdiction and rate; the tax mapping resumes it', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#2002',
      taxesIncluded: false,
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00', taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '1.16' }] }],
    });
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_fix' ? s : undefined;
    }, 'order to wait for a tax mapping');
    expect(status.lastError?.code).toBe('TaxCodeUnmapped');
    expect(status.lastError?.message).toContain('the tax "CA State Tax" at 7.25 %');
    expect(status.waitingOn).toBe('tax:CA State Tax@7.25');

    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/tax-mappings/${encodeURIComponent('CA State Tax@7.25')}`, {
      ledgerTaxCodeId: harness.ledgerId('TaxCode', 'CA Sales Tax'),
    });
    expect(saved.status).toBe(200);
    expect((await handle.result()).outcome).toBe('created');
    const receipt = harness.salesReceipts().find((r) => r.docNumber === '2002')!.record as any;
    const line = receipt.Line.find((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(line.SalesItemLineDetail.TaxCodeRef.value).toBe(harness.ledgerId('TaxCode', 'CA Sales Tax'));
  });

  it('revoked ledger access parks the order for a reconnect; after reconnecting, the signal books exactly one receipt', async () => {
    const order = harness.shopify.control.createOrder({ name: '#2003', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    harness.qbo.control.revokeGrant(harness.realmId);
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);

    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_reconnect' ? s : undefined;
    }, 'order to wait for a reconnect');
    expect(status.lastError?.code).toBe('CredentialsInvalid');
    expect(status.lastError?.message).toMatch(/QuickBooks Online no longer accepts ledgerbridge's connection.*Reconnect/);
    await eventually(async () => (await row(order.id))?.status === 'waiting', 'the order row to show Waiting');
    expect(await row(order.id)).toMatchObject({ status: 'waiting', waitingFor: 'reconnect', waitingOn: harness.qboIntegrationId });
    const integration = await eventually(async () => {
      const [found] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.qboIntegrationId));
      return found?.status === 'reconnect_required' ? found : undefined;
    }, 'QuickBooks Online #1 to need a reconnect');
    expect(integration.statusReason).toContain('Reconnect');

    // Operators find it in the Temporal UI by its search attributes.
    await eventually(async () => {
      for await (const found of harness.client.workflow.list({
        query: `SyncState = "waiting_for_reconnect" AND IntegrationIds = "${harness.qboIntegrationId}" AND SyncErrorCode = "CredentialsInvalid"`,
      })) {
        if (found.workflowId === workflowId) return true;
      }
      return false;
    }, 'the parked order in a visibility query');

    harness.qbo.control.authorizeAs(harness.realmId);
    await harness.connect(harness.qboIntegrationId, { realmId: harness.realmId });
    const signalled = await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/reconnected`);
    expect(signalled.status).toBeLessThan(300);

    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    expect(harness.salesReceipts().filter((r) => r.docNumber === '2003')).toHaveLength(1);
  });

  it('after an outage, a backlog replay resumes every parked order of the route once, and books each exactly once', async () => {
    harness.qbo.control.revokeGrant(harness.realmId);
    const orders = Array.from({ length: 6 }, (_, i) =>
      harness.shopify.control.createOrder({ name: `#26${i}`, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] }),
    );
    await Promise.all(orders.map((order) => harness.startSync(order.id)));
    await eventually(async () => {
      const rows = await Promise.all(orders.map((order) => row(order.id)));
      return rows.every((r) => r?.status === 'waiting' && r.waitingFor === 'reconnect');
    }, 'all six orders to wait for a reconnect');

    harness.qbo.control.authorizeAs(harness.realmId);
    await harness.connect(harness.qboIntegrationId, { realmId: harness.realmId });
    const replay = await harness.operator('POST', `/routes/${harness.routeId}/replay`, { waitingFor: 'reconnect' });
    expect(replay.status).toBe(202);
    expect(replay.body.queued).toBe(6);

    const results = await Promise.all(orders.map((order) => harness.handle(orderSyncWorkflowId(harness.routeId, order.id)).result()));
    expect(results.map((r) => r.outcome)).toEqual(Array(6).fill('created'));
    for (const order of orders) {
      expect(harness.salesReceipts().filter((r) => r.docNumber === order.name.replace('#', ''))).toHaveLength(1);
    }
  });

  it('a customer note longer than the ledger allows is truncated there and kept whole here', async () => {
    const note = `Leave at the back door. ${'x'.repeat(4000)}`.slice(0, 4000);
    const order = harness.shopify.control.createOrder({ name: '#2004', note, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const handle = harness.handle((await harness.startSync(order.id)).workflowId);
    await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      if (s.state.startsWith('waiting')) throw new Error(JSON.stringify(s));
      return s.state === 'synced' ? s : undefined;
    }, 'order with a long note to sync', 30_000);
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    const receipt = harness.salesReceipts().find((r) => r.docNumber === '2004')!.record as any;
    expect(receipt.CustomerMemo.value.length).toBe(1000);
    expect(receipt.PrivateNote.length).toBeLessThanOrEqual(4000);
    const detail = await harness.operator('GET', `/routes/${harness.routeId}/orders/${order.id}`);
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.body)).toContain(note);
  });

  it('after waiting for a fix, the order is booked as the shop has it now: edited meanwhile, it books the edit; cancelled, it books nothing', async () => {
    const line = (quantity: number) => [{ title: 'Mug', sku: 'MUG-7', quantity, unitPrice: '8.00' }];
    const edited = harness.shopify.control.createOrder({ name: '#2005', lineItems: line(1) });
    const cancelled = harness.shopify.control.createOrder({ name: '#2006', lineItems: line(1) });
    const handles = [];
    for (const order of [edited, cancelled]) {
      handles.push(harness.handle((await harness.startSync(order.id)).workflowId));
      await eventually(async () => (await row(order.id))?.waitingOn === 'sku:MUG-7', `order ${order.name} to wait on SKU MUG-7`);
    }
    harness.shopify.control.updateOrder(edited.id, { lineItems: line(3) });
    harness.shopify.control.updateOrder(cancelled.id, { cancelledAt: new Date().toISOString() });

    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/MUG-7`, { ledgerItemId: harness.ledgerId('Item', 'Mug') })).status).toBe(200);
    const [bookedEdit, skipped] = await Promise.all(handles.map((h) => h.result() as Promise<OrderSyncResult>));
    expect(bookedEdit!.outcome).toBe('created');
    const receipt = harness.salesReceipts().find((r) => r.docNumber === '2005')!.record as any;
    expect(Number(receipt.TotalAmt)).toBe(24);
    expect(await row(edited.id)).toMatchObject({ status: 'synced', bookedOrderTotal: '24.00', changedAfterBooking: null });
    expect(skipped).toMatchObject({ outcome: 'skipped', message: 'Order #2006 was cancelled before it was booked; nothing was written to the ledger.' });
    expect(harness.salesReceipts().filter((r) => r.docNumber === '2006')).toHaveLength(0);
    expect(await row(cancelled.id)).toMatchObject({ status: 'skipped' });
    expect(
      await replayErrors(harness.client, [{ workflowId: orderSyncWorkflowId(harness.routeId, edited.id), fixtureName: 'order-sync-sku-parked-then-refetched-edited' }]),
    ).toEqual([]);
  });

  it('the histories of these parked-and-resumed syncs replay deterministically', async () => {
    const orderIds = (await harness.db.select().from(orderSyncs).where(eq(orderSyncs.routeId, harness.routeId))).map((r) => r.orderId);
    const names: Record<string, string> = { '#2001': 'order-sync-sku-parked-then-mapped', '#2002': 'order-sync-tax-parked-then-mapped', '#2003': 'order-sync-reconnect-parked-then-signalled' };
    const rows = await harness.db.select().from(orderSyncs).where(eq(orderSyncs.routeId, harness.routeId));
    const runs = rows
      .filter((r) => r.orderName && names[r.orderName])
      .map((r) => ({ workflowId: orderSyncWorkflowId(harness.routeId, r.orderId), fixtureName: names[r.orderName!]! }));
    expect(runs).toHaveLength(3);
    expect(orderIds.length).toBeGreaterThanOrEqual(3);
    expect(await replayErrors(harness.client, runs)).toEqual([]);
  });
});
