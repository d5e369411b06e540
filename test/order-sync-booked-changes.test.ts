import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { integrations } from '../db/schema.js';
import { createMailer, type Mailer } from '../notifications/mail-transport.js';
import { createBookedOrderChangeNotifier } from '../runtime/booked-order-change-notifier.js';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.js';
import { eventually, SHOPIFY_APP, SyncHarness } from './support/sync-harness.js';

/**
 * A booked order that the shop changes or cancels afterwards: ledgerbridge does not rewrite the ledger,
 * and it does not forget either. The change lands on the order's row, in words a bookkeeper can act on.
 */
describe('order sync: changes to an order after it was booked', () => {
  let harness: SyncHarness;
  /** Runs just before the ledger write of the document with this number (the window a webhook can fall in). */
  const beforeBooking = new Map<string, () => Promise<void>>();
  const decorateTarget = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookSale') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<AccountingTarget['bookSale']>) => {
          await beforeBooking.get(args[0].docNumber)?.();
          return object.bookSale(...args);
        };
      },
    });
  let smtp: SmtpTestServer;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    mailer = createMailer({ from: 'ledgerbridge <alerts@test>', delivery: { kind: 'smtp', url: smtp.url } });
    harness = await SyncHarness.start({
      decorateTarget,
      bookedOrderChanges: (db) => createBookedOrderChangeNotifier({ db, mailer, publicBaseUrl: 'https://books.example.com' }),
    });
    await harness.db.update(integrations).set({ notifyEmails: ['books@example.com'] }).where(eq(integrations.id, harness.qboIntegrationId));
  });
  afterAll(async () => {
    await harness?.close();
    await mailer?.close();
    await smtp?.close();
  });

  /** Subjects of the emails received so far, to books@example.com only. */
  const subjects = () => smtp.messages.map((m) => [m.envelope.to.join(','), m.parsed.subject]);

  const row = (orderId: string) => harness.orderRow(orderId);
  const mugs = (quantity: number) => [{ title: 'Mug', sku: 'MUG-1', quantity, unitPrice: '8.00' }];

  /** Delivers a body as Shopify would deliver a late event: its own event id, signed with the app secret. */
  async function deliverLate(body: string, topic: string) {
    const response = await fetch(`${harness.apiOrigin}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-shop-domain': harness.shop,
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-api-version': '2026-01',
        'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_APP.apiSecret).update(body).digest('base64'),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('a new total is recorded with both amounts and the fix; a late, older update does not undo it; a cancellation says its reversal is booked (not to void)', async () => {
    const order = harness.shopify.control.createOrder({ name: '#5001', lineItems: mugs(1) });
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(await row(order.id)).toMatchObject({ status: 'synced', bookedOrderTotal: '8.00', changedAfterBooking: null });

    harness.shopify.control.updateOrder(order.id, { lineItems: mugs(3) });
    const changed = await eventually(async () => (await row(order.id))?.changedAfterBooking ?? undefined, 'the change to be recorded');
    expect(changed).toMatchObject({ kind: 'total_changed', bookedTotal: '8.00', shopTotal: '24.00' });
    expect(changed.message).toBe(
      'Order #5001 changed in the shop after it was booked: its total is now 24.00, but sales receipt 5001 in QuickBooks Online #1 ' +
        'was booked for 8.00. ledgerbridge does not change booked documents: adjust the receipt (or book a refund) in QuickBooks Online #1.',
    );
    // The ledger is left as it was: one receipt, the booked amount.
    const receipts = harness.salesReceipts().filter((r) => r.docNumber === '5001');
    expect(receipts.map((r) => Number((r.record as any).TotalAmt))).toEqual([8]);

    // The ledger's recipients hear of it once, in the same words, with a link to the order.
    const [email] = await smtp.waitForMessages(1);
    expect(email!.envelope.to).toEqual(['books@example.com']);
    expect(email!.parsed.subject).toBe('Order #5001 changed after it was booked in QuickBooks Online #1');
    expect(email!.parsed.text).toContain(changed.message);
    expect(email!.parsed.text).toContain(`https://books.example.com/routes/${harness.routeId}/orders/${order.id}`);

    const listed = await harness.operator('GET', `/routes/${harness.routeId}/orders?changedAfterBooking=true`);
    expect(listed.status).toBe(200);
    expect(listed.body.orders.map((o: any) => [o.orderName, o.changedAfterBooking?.kind])).toEqual([['#5001', 'total_changed']]);

    // The orders/create body (total 8.00, an older updated_at) arriving late as its own event changes nothing.
    const createEvent = harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_CREATE' && e.body.includes(order.id))!;
    const late = await deliverLate(createEvent.body, 'orders/updated');
    expect(late.status).toBe(200);
    expect((await row(order.id))?.changedAfterBooking).toMatchObject({ kind: 'total_changed', shopTotal: '24.00' });

    harness.shopify.control.updateOrder(order.id, { cancelledAt: new Date().toISOString() });
    const cancelled = await eventually(async () => {
      const change = (await row(order.id))?.changedAfterBooking;
      return change?.kind === 'cancelled' ? change : undefined;
    }, 'the cancellation to be recorded');
    expect(cancelled.message).toBe(
      'Order #5001 was cancelled in the shop after it was booked in QuickBooks Online #1 as sales receipt 5001. ' +
        "ledgerbridge books its reversal as a refund receipt in QuickBooks Online #1 (see the order's refunds); do not void or delete sales receipt 5001 as well.",
    );
    expect(harness.salesReceipts().filter((r) => r.docNumber === '5001')).toHaveLength(1);
    await smtp.waitForMessages(2);
    // The late, older update sent nothing; the cancellation sent one more.
    expect(subjects()).toEqual([
      ['books@example.com', 'Order #5001 changed after it was booked in QuickBooks Online #1'],
      ['books@example.com', 'Order #5001 was cancelled after it was booked in QuickBooks Online #1'],
    ]);

    const handled = await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/change-handled`);
    expect(handled.status).toBe(200);
    expect(handled.body.order).toMatchObject({ orderName: '#5001', changedAfterBooking: null });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/change-handled`)).status).toBe(409);
  });

  it('an update that arrives while the order is being booked is judged by the booking: the change is not lost', async () => {
    const order = harness.shopify.control.createOrder({ name: '#5003', lineItems: mugs(1) });
    // Between the order's fetch and its booking, the shop adds a second mug and tells us by webhook.
    beforeBooking.set('5003', async () => {
      harness.shopify.control.updateOrder(order.id, { lineItems: mugs(2) });
      await eventually(async () => (await harness.orderRow(order.id))?.shopUpdatePending?.currentTotal === '16.00', 'the update to be kept for the booking');
    });
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(await row(order.id)).toMatchObject({
      status: 'synced',
      bookedOrderTotal: '8.00',
      shopUpdatePending: null,
      changedAfterBooking: { kind: 'total_changed', bookedTotal: '8.00', shopTotal: '16.00' },
    });
    // Found by the booking (in the worker), told like one found by a webhook.
    await eventually(async () => subjects().some(([, subject]) => subject === 'Order #5003 changed after it was booked in QuickBooks Online #1'), 'the email');
  });

  it('an update that leaves the total as booked (a new note, a tag) records nothing', async () => {
    const order = harness.shopify.control.createOrder({ name: '#5002', lineItems: mugs(2) });
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    harness.shopify.control.updateOrder(order.id, { note: 'gift wrap, please' });
    const update = harness.shopify.control.webhookEvents().find((e) => e.topic === 'ORDERS_UPDATED' && e.body.includes(order.id))!;
    await eventually(
      async () => harness.shopify.control.webhookDeliveries({ eventId: update.eventId }).some((d) => d.state === 'delivered'),
      'the orders/updated delivery',
    );
    expect(await row(order.id)).toMatchObject({ status: 'synced', bookedOrderTotal: '16.00', changedAfterBooking: null });
    const listed = await harness.operator('GET', `/routes/${harness.routeId}/orders?changedAfterBooking=true`);
    expect(listed.body.orders.map((o: any) => o.orderName)).not.toContain('#5002');
    expect(subjects().filter(([, subject]) => subject?.includes('#5002'))).toEqual([]);
  });
});
