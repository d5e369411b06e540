import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Context } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { integrations, webhookEvents } from '../db/schema.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { XERO_REQUEST_LIMITS } from '../platforms/xero/xero-limits.js';
import { revokeXeroGrant } from './support/emulated-xero.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';

/** Holds the ledger write's activity after the write, so the test can take the worker down at that moment. */
class WriteThenHang {
  armed = false;
  written = false;
  decorate = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookSale') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<AccountingTarget['bookSale']>) => {
          const booked = await object.bookSale(...args);
          if (this.armed) {
            this.written = true;
            await Context.current().cancelled;
          }
          return booked;
        };
      },
    });
}

/** Orders of a Shopify shop booked into a Xero organisation, through the product: webhooks, Temporal, xero-node, the emulators. */
describe('order sync: Shopify → Xero', () => {
  let harness: SyncHarness;
  const hang = new WriteThenHang();
  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero', decorateTarget: hang.decorate });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const xero = () => harness.xero.emulator.control;
  const invoicesNumbered = (number: string) => harness.xeroInvoices().filter((invoice) => invoice.InvoiceNumber === number);
  const paymentsOf = (invoice: Record<string, unknown>) => harness.xeroPayments().filter((payment) => (payment.Invoice as { InvoiceID?: unknown })?.InvoiceID === invoice.InvoiceID);
  const mugOrder = (name: string, extra: { email?: string } = {}) =>
    harness.shopify.control.createOrder({
      name,
      ...(extra.email ? { email: extra.email, customer: { firstName: 'Ada', lastName: 'Lovelace', email: extra.email } } : {}),
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });

  it('connecting "Xero #1" stores the organisation the person granted', async () => {
    const [row] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.xeroIntegrationId));
    expect(row).toMatchObject({ displayName: 'Xero #1', platform: 'xero', account: { tenantId: harness.xero.tenantId } });
  });

  it("books a paid order as one invoice and its payment, at the shop's total", async () => {
    const order = harness.shopify.control.createOrder({
      name: '#1001',
      currency: 'GBP',
      taxesIncluded: false,
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', discount: '4.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '7.20' }] },
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.60' }] },
      ],
      shippingLines: [{ title: 'Standard', price: '4.50' }],
    });
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(result.message).toMatch(/^Order #1001 was booked in Xero #1 as invoice 1001 /);

    const [invoice] = invoicesNumbered('1001');
    expect(invoicesNumbered('1001')).toHaveLength(1);
    expect(invoice).toMatchObject({ Type: 'ACCREC', Total: 57.3, TotalTax: 8.8, Status: 'PAID', AmountDue: 0, AmountPaid: 57.3 });
    expect(String(invoice!.Reference)).toMatch(/^Shopify #1 order #1001 .*booked by ledgerbridge\./);
    expect(paymentsOf(invoice!).map((payment) => payment.Amount)).toEqual([57.3]);
    expect(xero().contacts(harness.xero.tenantId).map((contact) => [contact.Name, contact.EmailAddress])).toContainEqual(['Ada Lovelace', 'ada@example.com']);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', ledgerDocNumber: '1001', attempts: 1, lastErrorCode: null });
    // Recorded from a run into Xero: a replay fixture (test/histories, RECORD_HISTORIES=1).
    expect(await replayErrors(harness.client, [{ workflowId: orderSyncWorkflowId(harness.routeId, order.id), fixtureName: 'order-sync-xero-created' }])).toEqual([]);
  });

  it('the same orders/create webhook delivered three times books one invoice', async () => {
    const order = mugOrder('#1002');
    const event = await eventually(
      async () => harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_CREATE' && e.body.includes(order.id)),
      'the orders/create event',
    );
    harness.shopify.control.redeliverWebhook(event.eventId, { times: 2 });
    await harness.shopify.control.webhooksIdle();
    expect(harness.shopify.control.webhookDeliveries({ eventId: event.eventId })).toHaveLength(3);
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(invoicesNumbered('1002')).toHaveLength(1);
    expect(paymentsOf(invoicesNumbered('1002')[0]!)).toHaveLength(1);
    expect(await harness.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.eventId))).toHaveLength(1);
  });

  it('a revoked grant parks the order for a reconnect of "Xero #1"; after reconnecting it books one invoice', async () => {
    // The person (or an adviser) revokes ledgerbridge's access: Xero's revocation endpoint with our refresh token.
    const { credentials } = await harness.credentials.load(harness.xeroIntegrationId);
    const revoked = await revokeXeroGrant(harness.xero.emulator.urls.revocationEndpoint, credentials!.refreshToken!);
    expect(revoked.status).toBe(200);
    xero().expireAccessTokens();

    const order = mugOrder('#1003');
    const workflowId = (await harness.startSync(order.id)).workflowId;
    const handle = harness.handle(workflowId);
    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_reconnect' ? s : undefined;
    }, 'the order to wait for a reconnect');
    expect(status.lastError?.code).toBe('CredentialsInvalid');
    expect(status.lastError?.message).toMatch(/Xero no longer accepts ledgerbridge's connection.*Reconnect/);
    await eventually(async () => (await harness.orderRow(order.id))?.status === 'waiting', 'the row to show Waiting');
    expect(await harness.orderRow(order.id)).toMatchObject({ waitingFor: 'reconnect', waitingOn: harness.xeroIntegrationId });
    const integration = await eventually(async () => {
      const [found] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.xeroIntegrationId));
      return found?.status === 'reconnect_required' ? found : undefined;
    }, 'Xero #1 to need a reconnect');
    expect(integration.statusReason).toMatch(/Reconnect/);
    expect(invoicesNumbered('1003')).toHaveLength(0);

    xero().authorizeAs([harness.xero.tenantId]);
    await harness.connect(harness.xeroIntegrationId, {});
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/reconnected`)).status).toBeLessThan(300);
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    expect(invoicesNumbered('1003')).toHaveLength(1);
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-xero-revoked-then-reconnected' }])).toEqual([]);
  });

  it('an unknown SKU and an unmapped tax park the order with what to map; once mapped it books once', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#1004',
      taxesIncluded: false,
      lineItems: [{ title: 'Product A', sku: 'Product-A ', quantity: 2, unitPrice: '10.00', taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '1.45' }] }],
    });
    const handle = harness.handle((await harness.startSync(order.id)).workflowId);
    const waiting = async (code: string) =>
      eventually(async () => {
        const s = await handle.query(orderSyncStatusQuery);
        return s.state === 'waiting_for_fix' && s.lastError?.code === code ? s : undefined;
      }, `the order to wait on ${code}`);

    const sku = await waiting('SkuNotFound');
    expect(sku.lastError?.message).toContain('SKU "Product-A "');
    expect(sku.lastError?.message).toContain('Did you mean "product-a" (item Product A)');
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/${encodeURIComponent('Product-A ')}`, { ledgerItemId: 'product-a' })).status).toBe(200);

    const tax = await waiting('TaxCodeUnmapped');
    expect(tax.lastError?.message).toContain('the tax "CA State Tax" at 7.25 %');
    expect(tax.lastError?.message).toContain('Xero #1');
    // The bookkeeper adds the rate in Xero and maps the shop's tax to it.
    xero().addTaxRate(harness.xero.tenantId, { name: 'CA Sales Tax', taxType: 'TAX007', ratePercent: 7.25 });
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/tax-mappings/${encodeURIComponent('CA State Tax@7.25')}`, { ledgerTaxCodeId: 'TAX007' })).status).toBe(200);

    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    const booked = invoicesNumbered('1004');
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ Total: 21.45, Status: 'PAID' });
    expect((booked[0]!.LineItems as Array<Record<string, unknown>>).map((line) => [line.ItemCode, line.TaxType])).toEqual([['product-a', 'TAX007']]);
    expect(await replayErrors(harness.client, [{ workflowId: handle.workflowId, fixtureName: 'order-sync-xero-sku-and-tax-parked-then-mapped' }])).toEqual([]);
  });

  it("Xero's minute limit (429) is waited out within the step: booked once, never shown as a failure", async () => {
    // A fresh minute window started by one call, 4 seconds before its end; then a limit the order runs into.
    xero().advanceClock(61_000);
    const { target } = await harness.connections().accountingTarget(harness.routeId);
    await target.listItems();
    xero().advanceClock(56_000);
    xero().setRateLimits({ perMinute: 3 });
    try {
      const order = mugOrder('#1005', { email: 'ada@example.com' });
      const throttled = await eventually(async () => xero().requestLog().find((r) => r.outcome === 'throttled'), 'a 429 at the minute limit');
      expect(throttled.status).toBe(429);
      xero().setRateLimits({ perMinute: 100_000 });
      expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
      expect(invoicesNumbered('1005')).toHaveLength(1);
      expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 1, lastErrorCode: null });
    } finally {
      xero().setRateLimits({ perMinute: 100_000 });
    }
  });

  it('an answer lost after the invoice was written books one invoice and one payment', async () => {
    xero().clearRequestLog();
    xero().dropNextWrites(1);
    // A returning customer: the first write of this order is the invoice.
    const order = mugOrder('#1006', { email: 'ada@example.com' });
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(xero().requestLog().filter((r) => r.outcome === 'dropped')).toHaveLength(1);
    expect(invoicesNumbered('1006')).toHaveLength(1);
    expect(paymentsOf(invoicesNumbered('1006')[0]!)).toHaveLength(1);
  });

  it('a worker killed between the invoice write and the step completing still leaves one invoice', async () => {
    hang.armed = true;
    const order = mugOrder('#1007', { email: 'ada@example.com' });
    await eventually(async () => hang.written, 'the invoice to be written');
    await harness.stopWorker();
    hang.armed = false;
    await harness.startWorker();
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(invoicesNumbered('1007')).toHaveLength(1);
  });

  it("a used-up daily quota parks the order as Waiting with when it resets; after Xero's day rolls over it books", async () => {
    xero().spendDailyCalls(harness.xero.tenantId, 5000);
    const order = mugOrder('#1008', { email: 'ada@example.com' });
    // The re-check of the parked order, shortened (15 minutes by default).
    const handle = harness.handle((await harness.startTimedSync(order.id, { recheckFailedMs: 1_000 })).workflowId);
    const row = await eventually(async () => {
      const found = await harness.orderRow(order.id);
      return found?.lastErrorCode === 'DailyQuotaExhausted' ? found : undefined;
    }, 'the order to park on the daily quota');
    expect(row).toMatchObject({ status: 'waiting', waitingFor: 'retry' });
    expect(row.lastErrorMessage).toMatch(/^Xero's daily limit of API calls for this organisation is used up; orders wait and continue by themselves once it resets at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/);
    expect((await handle.query(orderSyncStatusQuery)).state).toBe('waiting_for_retry');
    // Re-checks (each one call, refused) keep it waiting, never Failed, while the day lasts.
    const seen = new Set<string>();
    await eventually(async () => {
      const found = await harness.orderRow(order.id);
      seen.add(found!.status);
      return found!.attempts >= 3 && found!.status === 'waiting' && found!.lastErrorCode === 'DailyQuotaExhausted';
    }, 'two re-checks, still waiting');
    expect(seen.has('failed')).toBe(false);
    expect(invoicesNumbered('1008')).toHaveLength(0);

    xero().advanceClock(24 * 3600_000);
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    expect(invoicesNumbered('1008')).toHaveLength(1);
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', lastErrorCode: null });
  });
});

/** XERO_SALE_DOCUMENT=receive-money: a paid order is money received into the bank account, found again by its Reference. */
describe('order sync: Shopify → Xero, as money received', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero', xeroSaleDocument: 'receive-money' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const received = (number: string) =>
    harness.xero.emulator.control.bankTransactions(harness.xero.tenantId).filter((transaction) => String(transaction.Reference).startsWith(`${number} `));

  it('books one receive-money transaction at the shop\'s total; a lost answer and a second run write nothing more', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#2001',
      taxesIncluded: false,
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '3.20' }] }],
    });
    const result = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(result.message).toMatch(/as receive-money transaction 2001 /);
    expect(received('2001')).toHaveLength(1);
    expect(received('2001')[0]).toMatchObject({ Type: 'RECEIVE', Total: 19.2, BankAccount: expect.objectContaining({ Code: '090' }) });
    expect(harness.xeroInvoices()).toHaveLength(0);

    harness.xero.emulator.control.dropNextWrites(1);
    const next = harness.shopify.control.createOrder({
      name: '#2002',
      email: 'ada@example.com',
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    expect((await harness.syncResultOf(next.id)).outcome).toBe('created');
    expect(received('2002')).toHaveLength(1);

    const again = await harness.handle((await harness.startSync(order.id)).workflowId).result();
    expect((again as OrderSyncResult).outcome).toBe('already_synced');
    expect(received('2001')).toHaveLength(1);
  });
});

/** The limits production keeps to per organisation (XERO_REQUEST_LIMITS, through the shared limiter in the database). */
describe("order sync: Shopify → Xero within Xero's limits", () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero', xeroRequestLimits: XERO_REQUEST_LIMITS });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('a burst of orders never has more calls in progress than Xero allows (5): no 429, each booked once', async () => {
    const control = harness.xero.emulator.control;
    const order = (name: string) =>
      harness.shopify.control.createOrder({
        name,
        email: 'ada@example.com',
        customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
        lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
      });
    // A first order fills the caches (items, tax rates, the customer): the burst after it costs a few calls an order.
    expect((await harness.syncResultOf(order('#3000').id)).outcome).toBe('created');
    // Xero's own limits, and calls slow enough that six orders' calls overlap.
    control.setRateLimits({ perMinute: 60, concurrent: 5 });
    control.setLatency(150);
    control.clearRequestLog();
    const burst = Array.from({ length: 6 }, (_, i) => order(`#30${i + 1}`));
    const results = await Promise.all(burst.map((placed) => harness.syncResultOf(placed.id)));
    expect(results.map((result) => result.outcome)).toEqual(burst.map(() => 'created'));
    expect(control.requestLog().filter((r) => r.outcome === 'throttled')).toEqual([]);
    for (let i = 1; i <= 6; i++) expect(harness.xeroInvoices().filter((invoice) => invoice.InvoiceNumber === `30${i}`)).toHaveLength(1);
  });
});
