import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { integrations, refundSyncs, webhookEvents } from '../db/schema.js';
import { recordIntegrationStatus } from '../db/integration-status-log.js';
import { createMailer, type Mailer } from '../notifications/mail-transport.js';
import { createBookedOrderChangeNotifier } from '../runtime/booked-order-change-notifier.js';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.js';
import type { BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import type { SquarespaceOrderInput } from '../emulators/squarespace/index.js';
import { deleteOrderPollSchedule, keepOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { redeliverAtOnce } from './support/webhook-replay.js';
import { replayErrors } from './support/replay-check.js';
import { refundDiscoveryWorkflowId } from '../runtime/refund-discovery-starter.js';
import type { RefundDiscoveryResult, RefundDiscoveryTiming } from '../workflows/refund-discovery.js';

const POLL_INTERVAL_MS = 2_000;
/** Refund discovery re-reads a quarter second apart (the test server's timers fire about a second later), 12 times before judging what is still unexplained. */
const DISCOVERY: Partial<RefundDiscoveryTiming> = { recheckFirstMs: 250, recheckBackoff: 1, rechecks: 12, readRetryInitialMs: 200, readRetryMaxMs: 1_000, reconnectRecheckMs: 1_000 };

/**
 * A Squarespace refund after booking: the site says only "REFUNDED" (order.update), its Transactions document lists
 * the refund with its amount and no lines. The notification is answered after one write, without reading the site;
 * the order's refund discovery reads it afterwards. Each refund becomes one QuickBooks Online refund receipt for its
 * amount, once, also when the site could not be read at first or lists the refund only later (pending); nobody is told
 * the order "changed after booking". A refund Squarespace cannot show (made at the gateway) still is.
 */
describe('refunds after booking: Squarespace → QuickBooks Online refund receipts', () => {
  let harness: SyncHarness;
  const told: Array<{ orderId: string; change: BookedOrderChangeRecord }> = [];
  let smtp: SmtpTestServer;
  let mailer: Mailer;
  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    mailer = createMailer({ from: 'ledgerbridge <alerts@test>', delivery: { kind: 'smtp', url: smtp.url } });
    harness = await SyncHarness.start({
      shop: 'squarespace',
      refundDiscovery: DISCOVERY,
      // The bookkeeper's email, as in production; `told` keeps what it was sent about.
      bookedOrderChanges: (db) => {
        const email = createBookedOrderChangeNotifier({ db, mailer, publicBaseUrl: 'https://books.example.com' });
        return { bookedOrderChanged: async (event) => (told.push(event), email.bookedOrderChanged(event)) };
      },
    });
    await harness.db.update(integrations).set({ notifyEmails: ['books@example.com'] }).where(eq(integrations.id, harness.qboIntegrationId));
  }, 120_000);
  afterAll(async () => {
    if (harness) await deleteOrderPollSchedule(harness.client, harness.squarespaceIntegrationId).catch(() => {});
    await harness?.close();
    await mailer?.close();
    await smtp?.close();
  });
  /** "Order #1001 changed after it was booked…" emails the bookkeeper received about the order. */
  const changeEmailsOf = async (orderId: string) => {
    const name = (await harness.orderRow(orderId))!.orderName!;
    return smtp.messages.filter((m) => m.parsed.subject === `Order ${name} changed after it was booked in QuickBooks Online #1`);
  };

  const place = (input: Partial<SquarespaceOrderInput> = {}) =>
    harness.squarespace.control.createOrder({
      currency: 'GBP',
      taxRate: { name: 'VAT', rate: '0.2' },
      lines: [
        { productName: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' },
      ],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      ...input,
    });
  /** A booked order: its id and its sales receipt's number. */
  const booked = async (input: Partial<SquarespaceOrderInput> = {}) => {
    const order = place(input);
    const orderId = order.id as string;
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    return { orderId, docNumber: (await harness.orderRow(orderId))!.ledgerDocNumber! };
  };
  const refundsOf = (orderId: string, docNumber: string) => ({ receipts: harness.refundReceiptTotals(docNumber), told: told.filter((event) => event.orderId === orderId) });
  /** Every intake event of the order, once the drainer has handled it. */
  const eventsOf = (orderId: string) =>
    eventually(async () => {
      const rows = await harness.db
        .select({ eventId: webhookEvents.eventId, topic: webhookEvents.topic, outcome: webhookEvents.outcome })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.orderId, orderId), like(webhookEvents.eventId, `%${harness.squarespaceIntegrationId}%`)));
      return rows.every((row) => row.outcome !== 'queued' && row.outcome !== 'processing') ? rows : undefined;
    }, `the events of order ${orderId} to be handled`);
  const refundNotificationsOf = (orderId: string) =>
    harness.squarespace.control.webhooks.deliveries.filter((d) => {
      const body = JSON.parse(d.body) as { topic: string; data: { orderId?: string; update?: string } };
      return body.topic === 'order.update' && body.data.orderId === orderId && body.data.update === 'REFUNDED';
    });

  /** Requests the API made for the order's order or transactions between a notification's sending and its answer. */
  const readsBeforeAnswer = (orderId: string) =>
    refundNotificationsOf(orderId).flatMap((delivery) => {
      expect(delivery.answeredAt).not.toBeNull();
      return harness.squarespace.control.requests.filter(
        (r) => r.url.includes(orderId) && Date.parse(r.at) >= Date.parse(delivery.at) && Date.parse(r.at) <= Date.parse(delivery.answeredAt!),
      );
    });
  /** The API's reads of the order's Transactions document (where refunds are listed) so far. */
  const transactionReadsOf = (orderId: string) => harness.squarespace.control.requests.filter((r) => r.url.startsWith('/1.0/commerce/transactions') && r.url.includes(orderId));
  const discoveryOf = (orderId: string) => harness.handle(refundDiscoveryWorkflowId(harness.squarespaceIntegrationId, orderId));

  it('a partial then a full refund each become one refund receipt for its amount; the notification delivered again is a duplicate; nobody is told the order changed', async () => {
    const { orderId, docNumber } = await booked();
    // 2 × 20.00 + 8.00, VAT 20 %: 57.60. A shirt's 24.00 refunded in Squarespace first.
    const partial = harness.squarespace.control.refundOrder(orderId, '24.00')!.refund!;
    expect((await harness.refundResultOf(orderId, partial.id)).outcome).toBe('created');
    expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 24]], told: [] });
    expect(await harness.refundRow(orderId, partial.id)).toMatchObject({ status: 'synced', refundTotal: '24.00', ledgerDocNumber: `${docNumber}-R1` });
    // Answered after one write: the site was read only after the answer, by the order's refund discovery.
    expect(refundNotificationsOf(orderId).map((d) => d.status)).toEqual([200]);
    expect(readsBeforeAnswer(orderId)).toEqual([]);

    // Squarespace delivers at least once: the same notification again (and again at once) is one event, nothing booked twice.
    const [notification] = refundNotificationsOf(orderId);
    expect(await redeliverAtOnce(notification!, 3)).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);

    // The rest refunded: the order is fully refunded, its second refund a second receipt.
    const rest = harness.squarespace.control.refundOrder(orderId, '33.60')!.refund!;
    expect((await harness.refundResultOf(orderId, rest.id)).outcome).toBe('created');
    expect(refundsOf(orderId, docNumber)).toEqual({
      receipts: [
        [`${docNumber}-R1`, 24],
        [`${docNumber}-R2`, 33.6],
      ],
      told: [],
    });
    // The first notification once more: both refunds are known by their ids.
    expect(await redeliverAtOnce(notification!, 1)).toEqual([[200, 'duplicate']]);
    const events = await eventsOf(orderId);
    for (const refund of [partial, rest]) expect(events.filter((e) => e.eventId.endsWith(`/refund/${orderId}/${refund.id}`))).toHaveLength(1);
    expect(events.map((e) => e.outcome)).not.toContain('changed_after_booking');
    expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
    expect(harness.salesReceipts().filter((r) => r.docNumber === docNumber)).toHaveLength(1);
  });

  it('a refund made at the gateway, which no Squarespace transaction lists, books nothing and is reported as a change after booking', async () => {
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 2, price: '8.00' }] });
    // 19.20 sold; 5.00 refunded in Stripe's dashboard, which the order shows [U] but its transactions never do [C].
    // The discovery reads the order again until its re-reads are spent (it might be a pending refund), then judges it.
    harness.squarespace.control.refundOrder(orderId, '5.00', 'shown');
    const change = await eventually(async () => (await harness.orderRow(orderId))?.changedAfterBooking ?? undefined, 'the change to be recorded');
    expect(change).toMatchObject({ kind: 'total_changed', bookedTotal: '19.20', shopTotal: '14.20' });
    expect(change.message).toContain('adjust the receipt (or book a refund) in QuickBooks Online #1');
    const [email] = await eventually(async () => ((await changeEmailsOf(orderId)).length > 0 ? changeEmailsOf(orderId) : undefined), 'the bookkeeper to be emailed');
    expect(email!.envelope.to).toEqual(['books@example.com']);
    expect(email!.parsed.text).toContain(change.message);
    expect(harness.refundReceiptTotals(docNumber)).toEqual([]);
    expect(await harness.db.select().from(refundSyncs).where(eq(refundSyncs.orderId, orderId))).toEqual([]);
    expect(await discoveryOf(orderId).result()).toMatchObject({ outcome: 'judged', refundsListed: 0, unexplained: '5.00 GBP', rechecks: DISCOVERY.rechecks });
  });

  it('the site down when the refund is notified: the notification is answered, and the refund books once the site answers again, without a poll', async () => {
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 3, price: '8.00' }] });
    // 28.80 sold. Squarespace answers 503 to every API call from now on.
    harness.squarespace.control.faults.update({ failNext: 10_000, failStatus: 503 });
    try {
      const refund = harness.squarespace.control.refundOrder(orderId, '8.00')!.refund!;
      await harness.squarespace.control.webhooks.idle();
      expect(refundNotificationsOf(orderId).map((d) => d.status)).toEqual([200]);
      expect(readsBeforeAnswer(orderId)).toEqual([]);
      // The discovery reads, is refused, and reads again later: nothing is booked while the site is down.
      await eventually(async () => harness.squarespace.control.requests.filter((r) => r.url.includes(orderId) && r.status === 503).length >= 3 || undefined, 'reads refused while the site is down');
      expect(harness.refundReceiptTotals(docNumber)).toEqual([]);

      harness.squarespace.control.faults.reset();
      expect((await harness.refundResultOf(orderId, refund.id)).outcome).toBe('created');
      expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 8]], told: [] });
      expect(await discoveryOf(orderId).result()).toMatchObject({ outcome: 'judged', refundsListed: 1, unexplained: null });
      const events = await eventsOf(orderId);
      expect(events.filter((e) => e.eventId.endsWith(`/refund/${orderId}/${refund.id}`))).toHaveLength(1);
      expect(events.map((e) => e.topic)).not.toContain('refunds/polled');
      expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
    } finally {
      harness.squarespace.control.faults.reset();
    }
  });

  it('a site that needs a reconnect when the refund is notified: the discovery waits, without calling the site, and books the refund once it is reconnected', async () => {
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 2, price: '8.00' }] });
    await recordIntegrationStatus(harness.db, harness.squarespaceIntegrationId, { status: 'reconnect_required', reason: 'The grant was revoked.', cause: 'test', check: null });
    try {
      const refund = harness.squarespace.control.refundOrder(orderId, '4.00')!.refund!;
      // Refused twice (CredentialsInvalid, read again on its timer), and still waiting rather than failed.
      const refusals = async () =>
        (await discoveryOf(orderId).fetchHistory()).events?.filter((e) => e.activityTaskFailedEventAttributes?.failure?.applicationFailureInfo?.type === 'CredentialsInvalid').length ?? 0;
      await eventually(async () => (await refusals()) >= 2 || undefined, 'the discovery to look at the site again');
      expect((await discoveryOf(orderId).describe()).status.name).toBe('RUNNING');
      const notification = refundNotificationsOf(orderId)[0]!;
      expect(harness.squarespace.control.requests.filter((r) => r.url.includes(orderId) && Date.parse(r.at) >= Date.parse(notification.at))).toEqual([]);

      await recordIntegrationStatus(harness.db, harness.squarespaceIntegrationId, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
      expect((await harness.refundResultOf(orderId, refund.id)).outcome).toBe('created');
      expect(await discoveryOf(orderId).result()).toMatchObject({ outcome: 'judged', refundsListed: 1, unexplained: null });
      expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 4]], told: [] });
    } finally {
      await recordIntegrationStatus(harness.db, harness.squarespaceIntegrationId, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
    }
  });

  it('refunds Squarespace lists only later (pending, the order unchanged then) [U]: nobody is told of a change meanwhile; each books once when listed, the second notification joining the running discovery', async () => {
    const { orderId, docNumber } = await booked();
    // 57.60 sold. The site lists refunds in Transactions only when the control says so; the order shows them at once.
    harness.squarespace.control.site.refundListing = 'later';
    try {
      const first = harness.squarespace.control.refundOrder(orderId, '24.00')!.refund!;
      // The discovery has read the order showing 24.00 refunded and no refund listed, and reads it again on its timer.
      await eventually(async () => transactionReadsOf(orderId).length >= 2 || undefined, 'the discovery to read the order again');
      const second = harness.squarespace.control.refundOrder(orderId, '10.00')!.refund!;
      await harness.squarespace.control.webhooks.idle();
      // (The discovery's re-reads go on meanwhile: none of them waits for a notification's answer.)
      expect(refundNotificationsOf(orderId).map((d) => d.status)).toEqual([200, 200]);
      const readsBefore = transactionReadsOf(orderId).length;
      await eventually(async () => transactionReadsOf(orderId).length >= readsBefore + 3 || undefined, 'more re-reads while the refunds are pending');
      // Still pending: nothing booked, and no "changed after booking" judged or emailed.
      expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [], told: [] });
      expect(await changeEmailsOf(orderId)).toEqual([]);
      expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });

      expect(harness.squarespace.control.listPendingRefunds(orderId)).toBe(2);
      for (const refund of [first, second]) expect((await harness.refundResultOf(orderId, refund.id)).outcome).toBe('created');
      const judged: RefundDiscoveryResult = await discoveryOf(orderId).result();
      expect(judged).toMatchObject({ outcome: 'judged', refundsListed: 2, unexplained: null });
      expect(refundsOf(orderId, docNumber)).toEqual({
        receipts: [
          [`${docNumber}-R1`, 24],
          [`${docNumber}-R2`, 10],
        ],
        told: [],
      });
      // One discovery for both notifications: the second joined the run in progress.
      const runs = [];
      for await (const run of harness.client.workflow.list({ query: `WorkflowId = '${refundDiscoveryWorkflowId(harness.squarespaceIntegrationId, orderId)}'` })) runs.push(run);
      expect(runs).toHaveLength(1);
      // Re-reads on its timer and a signal mid-wait replay deterministically (a recorded fixture guards later changes).
      expect(await replayErrors(harness.client, [{ workflowId: refundDiscoveryWorkflowId(harness.squarespaceIntegrationId, orderId), fixtureName: 'refund-discovery-pending-then-listed' }])).toEqual([]);
      const events = await eventsOf(orderId);
      for (const refund of [first, second]) expect(events.filter((e) => e.eventId.endsWith(`/refund/${orderId}/${refund.id}`))).toHaveLength(1);
      expect(events.map((e) => e.outcome)).not.toContain('changed_after_booking');
      expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
      expect(await changeEmailsOf(orderId)).toEqual([]);
    } finally {
      harness.squarespace.control.site.refundListing = 'at_once';
    }
  });

  it('a REFUNDED notification that never arrives: polling finds the refund in the order it lists and books it once', async () => {
    await keepOrderPollSchedule({ client: harness.client, taskQueue: harness.taskQueue, orderPollIntervalMs: POLL_INTERVAL_MS }, harness.squarespaceIntegrationId, false);
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 5, price: '8.00' }] });
    harness.squarespace.control.dropNextWebhooks(1);
    const refund = harness.squarespace.control.refundOrder(orderId, '9.60')!.refund!;
    await harness.squarespace.control.webhooks.idle();
    expect(refundNotificationsOf(orderId).map((d) => d.status)).toEqual([null]);

    const [polled] = await harness.intakeEventsOnceThere(orderId, 'refunds/polled', 'the poll to hand the refund over', POLL_INTERVAL_MS + 15_000);
    expect(polled).toMatchObject({ eventId: `squarespace/${harness.squarespaceIntegrationId}/refund/${orderId}/${refund.id}`, integrationId: harness.squarespaceIntegrationId });
    expect((await harness.refundResultOf(orderId, refund.id)).outcome).toBe('created');
    expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 9.6]], told: [] });

    // Two more polls list the order again (the overlap) and hand nothing over: one event for the refund, one receipt.
    await harness.pollsAfter(harness.squarespaceIntegrationId, Date.now(), POLL_INTERVAL_MS);
    const events = await eventsOf(orderId);
    expect(events.filter((e) => e.eventId.includes('/refund/'))).toHaveLength(1);
    expect(events.map((e) => e.outcome)).not.toContain('changed_after_booking');
    expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 9.6]], told: [] });
    expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });
  });
  it('a pending refund [U] whose notification never arrives: polling sees the order show it, hands it to the refund discovery rather than reporting a change, and it books once when listed', async () => {
    // The poll schedule of the test before runs every POLL_INTERVAL_MS.
    const { orderId, docNumber } = await booked({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 4, price: '8.00' }] });
    harness.squarespace.control.site.refundListing = 'later';
    try {
      harness.squarespace.control.dropNextWebhooks(1);
      const refund = harness.squarespace.control.refundOrder(orderId, '12.00')!.refund!;
      const [polled] = await harness.intakeEventsOnceThere(orderId, 'orders/polled', 'the poll to see the refunded order', POLL_INTERVAL_MS + 15_000);
      expect(polled!.orderReference).toMatchObject({ discoverRefunds: true });
      await eventually(async () => (await discoveryOf(orderId).describe()).status.name === 'RUNNING' || undefined, 'the discovery to start');
      const readsBefore = transactionReadsOf(orderId).length;
      await eventually(async () => transactionReadsOf(orderId).length >= readsBefore + 4 || undefined, 'the discovery to re-read the order');
      expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [], told: [] });
      expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });

      harness.squarespace.control.listPendingRefunds(orderId);
      expect((await harness.refundResultOf(orderId, refund.id)).outcome).toBe('created');
      expect(await discoveryOf(orderId).result()).toMatchObject({ outcome: 'judged', refundsListed: 1, unexplained: null });
      expect(refundsOf(orderId, docNumber)).toEqual({ receipts: [[`${docNumber}-R1`, 12]], told: [] });
      expect((await eventsOf(orderId)).map((e) => e.outcome)).not.toContain('changed_after_booking');
      expect(await changeEmailsOf(orderId)).toEqual([]);
    } finally {
      harness.squarespace.control.site.refundListing = 'at_once';
    }
  });
});
