import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { integrations, qbwcRequests } from '../db/schema.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { QBD_TEST_SHOP_CURRENCY, qbdTestCompany } from './support/qbd-test-company.js';
import { eventually, OPERATOR_TOKEN, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';

/**
 * Order sync into QuickBooks Desktop through the product: the Shopify emulator's webhooks reach the API, the
 * order workflow (unchanged) books through the QuickBooks Desktop ledger, whose every call waits in the queue
 * until the Web Connector emulator polls the API's endpoint over HTTP and runs it in the QBD company emulator.
 */
describe('order sync: Shopify → QuickBooks Desktop through the Web Connector', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    // QBWC waits 5 s after a "NoOp" [C]; here 100 ms, and the visit stays open 1 s after its last request.
    harness = await SyncHarness.start({
      shopCurrency: QBD_TEST_SHOP_CURRENCY,
      qbd: qbdTestCompany([
        { name: 'MUG-1', price: '8.00', description: 'Mug' },
        { name: 'Shipping', price: '0.00' },
        { name: 'CA Sales Tax', type: 'SalesTax', price: '7.25' },
      ]),
    });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const receipts = (ref: string) => harness.qbd!.company.company.salesReceipts.filter((r) => r.refNumber === ref);
  const ordersCreated = (orderId: string) =>
    eventually(async () => harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_CREATE' && e.body.includes(orderId)), 'the orders/create event');

  it('an order becomes one sales receipt at the shop total after the Web Connector polls, even when its webhook comes three times', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#4001',
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });
    const event = await ordersCreated(order.id);
    harness.shopify.control.redeliverWebhook(event.eventId, { times: 2 });
    await harness.shopify.control.webhooksIdle();
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(result.message).toContain('#4001');
    expect(receipts('4001')).toHaveLength(1);
    expect(receipts('4001')[0]).toMatchObject({ totalAmount: '20.50', customer: { fullName: 'Ada Lovelace' } });
    expect(receipts('4001')[0]!.memo).toContain('order #4001');
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', ledgerDocNumber: '4001' });
  });

  it('with the Web Connector not running the order waits, saying so, and books once when it next polls', async () => {
    await harness.qbd!.connector.stop();
    const order = harness.shopify.control.createOrder({ name: '#4002', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const parked = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.status === 'waiting' ? row : undefined;
    }, 'the order to park');
    // Waiting, not Failed: nothing went wrong, QuickBooks Desktop is simply not reachable until the Web Connector comes.
    expect(parked.lastErrorCode).toBe('LedgerNotConnected');
    expect(parked.lastErrorMessage).toMatch(/^QuickBooks Desktop #1 has not connected since .+ UTC: is the Web Connector running and the company file open\?$/);
    expect(parked.waitingOn).toBe('ledger:qbwc-not-connected');
    expect(receipts('4002')).toHaveLength(0);

    harness.qbd!.connector.start();
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(receipts('4002')).toHaveLength(1);
    // Recorded from a run into QuickBooks Desktop: a replay fixture (test/histories, RECORD_HISTORIES=1).
    expect(await replayErrors(harness.client, [{ workflowId: orderSyncWorkflowId(harness.routeId, order.id), fixtureName: 'order-sync-qbd-web-connector-away-then-booked' }])).toEqual([]);
  });

  it('an answer lost after QuickBooks saved the receipt books nothing twice', async () => {
    harness.qbd!.connector.loseAnswerOf('SalesReceiptAdd');
    const order = harness.shopify.control.createOrder({ name: '#4003', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '8.00' }] });
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(receipts('4003')).toHaveLength(1);
    expect(harness.qbd!.connector.runs.some((run) => run.outcome === 'http-error')).toBe(true);
  });

  it('an unmapped SKU waits, and the saved mapping books it once', async () => {
    const order = harness.shopify.control.createOrder({ name: '#4004', lineItems: [{ title: 'Mug', sku: 'MUG-7', quantity: 1, unitPrice: '8.00' }] });
    const waiting = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.status === 'waiting' ? row : undefined;
    }, 'the order to wait for a mapping');
    expect(waiting.lastErrorMessage).toContain('MUG-7');
    const mug = harness.qbd!.company.company.items.find((i) => i.name === 'MUG-1')!;
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/MUG-7`, { ledgerItemId: mug.listId })).status).toBe(200);
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(receipts('4004')).toHaveLength(1);
  });

  it('a whole order books within one visit of the Web Connector: between steps the visit waits instead of ending', async () => {
    const connector = harness.qbd!.connector;
    await connector.stop();
    const visitsBefore = connector.runs.length;
    const order = harness.shopify.control.createOrder({
      name: '#4005',
      email: 'grace@example.com',
      customer: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    await eventually(
      async () =>
        (await harness.db.select().from(qbwcRequests).where(and(eq(qbwcRequests.integrationId, harness.ledgerIntegrationId), eq(qbwcRequests.state, 'pending')))).length > 0,
      'the first request of the order to wait in the queue',
    );
    const visit = connector.runOnce();
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    await visit;
    expect(result.outcome).toBe('created');
    expect(receipts('4005')).toHaveLength(1);
    expect(connector.runs.length - visitsBefore).toBe(1);
    expect((await visit).requestSetsProcessed).toBeGreaterThanOrEqual(4);
    connector.start();
  });

  it('an unmapped sales tax parks the order saying what to map; the saved mapping books it once', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#4006',
      taxesIncluded: false,
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00', taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '1.16' }] }],
    });
    const waiting = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.status === 'waiting' && row.lastErrorCode === 'TaxCodeUnmapped' ? row : undefined;
    }, 'the order to wait for a tax mapping');
    // The shop's tax has a name QuickBooks does not know ("CA Sales Tax" is the company's item at that rate): asked, not guessed.
    expect(waiting.lastErrorMessage).toContain('the tax "CA State Tax" at 7.25 %');
    expect(waiting.lastErrorMessage).toContain('QuickBooks Desktop #1');
    expect(waiting.waitingOn).toBe('tax:CA State Tax@7.25');
    expect(receipts('4006')).toHaveLength(0);

    const taxItem = harness.qbd!.company.company.items.find((item) => item.name === 'CA Sales Tax')!;
    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/tax-mappings/${encodeURIComponent('CA State Tax@7.25')}`, { ledgerTaxCodeId: taxItem.listId });
    expect(saved.status).toBe(200);
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(receipts('4006')).toHaveLength(1);
    expect(receipts('4006')[0]).toMatchObject({ itemSalesTax: { fullName: 'CA Sales Tax' }, salesTaxTotal: '1.16', totalAmount: '17.16' });
    expect(await replayErrors(harness.client, [{ workflowId: orderSyncWorkflowId(harness.routeId, order.id), fixtureName: 'order-sync-qbd-tax-parked-then-mapped' }])).toEqual([]);
  });

  it("a refused Web Connector password: the order waits saying so and the integration reads Reconnect required; a new login books it once", async () => {
    const connector = harness.qbd!.connector;
    connector.setPassword('typed-wrong');
    await connector.nextRun((run) => run.outcome === 'invalid-user');
    const order = harness.shopify.control.createOrder({ name: '#4007', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const parked = await eventually(async () => {
      const row = await harness.orderRow(order.id);
      return row?.status === 'waiting' ? row : undefined;
    }, 'the order to wait for a reconnect');
    expect(parked).toMatchObject({ lastErrorCode: 'CredentialsInvalid', waitingFor: 'reconnect', waitingOn: harness.ledgerIntegrationId });
    expect(parked.lastErrorMessage).toBe(
      'The Web Connector of QuickBooks Desktop #1 was refused: its password is wrong. Reconnect to get a new password and enter it in the Web Connector.',
    );
    await eventually(
      async () => (await harness.db.select().from(integrations).where(eq(integrations.id, harness.ledgerIntegrationId)))[0]?.status === 'reconnect_required',
      'QuickBooks Desktop #1 to read Reconnect required',
    );
    expect(receipts('4007')).toHaveLength(0);

    // Reconnect: a new login; the person adds its .qwc to the Web Connector and types the new password.
    const login = await harness.operator('POST', `/integrations/${harness.ledgerIntegrationId}/qbd/web-connector`);
    expect(login.status).toBe(200);
    const qwc = await harness.api.inject({ method: 'GET', url: `/integrations/${harness.ledgerIntegrationId}/qbd/qwc`, headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
    connector.addApplication(qwc.body, login.body.password);
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(receipts('4007')).toHaveLength(1);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
    expect(await replayErrors(harness.client, [{ workflowId: orderSyncWorkflowId(harness.routeId, order.id), fixtureName: 'order-sync-qbd-password-refused-then-reconnected' }])).toEqual([]);
  });
});
