import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { webhookEvents } from '../db/schema.js';
import type { BookedOrderChangeRecord } from '../domain/booked-order-change.js';
import { refundSyncWorkflowId, startRefundSync } from '../runtime/refund-sync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { redeliverAtOnce } from './support/webhook-replay.js';

/**
 * A WooCommerce refund after booking (WooCommerce has no refund topic: the refund fires order.updated) becomes a
 * QuickBooks Online refund receipt, once, like a Shopify refund; nobody is told the order "changed after booking".
 */
describe('refunds after booking: WooCommerce → QuickBooks Online refund receipts', () => {
  let harness: SyncHarness;
  const told: Array<{ orderId: string; change: BookedOrderChangeRecord }> = [];
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce', bookedOrderChanges: () => ({ bookedOrderChanged: async (event) => void told.push(event) }) });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const refundReceiptTotals = (saleDocNumber: string) => harness.refundReceiptTotals(saleDocNumber);
  const lastUpdateOf = (orderId: number) =>
    harness.woo.control.webhooks.deliveries.filter((d) => d.topic === 'order.updated' && (JSON.parse(d.body) as { id: number }).id === orderId).at(-1)!;
  /** Every intake event of the order, once the drainer has handled it: its outcome. */
  const outcomesOf = (orderId: string) =>
    eventually(async () => {
      const rows = await harness.db
        .select({ eventId: webhookEvents.eventId, outcome: webhookEvents.outcome })
        .from(webhookEvents)
        .where(and(eq(webhookEvents.orderId, orderId), like(webhookEvents.eventId, `woocommerce/${harness.wooIntegrationId}/%`)));
      return rows.every((row) => row.outcome !== 'queued' && row.outcome !== 'processing') ? rows : undefined;
    }, `the events of order ${orderId} to be handled`);
  /** A GBP order at 20 % VAT: two shirts at 20.00 and a mug at 8.00, and the shipping given. */
  const shirtsAndMug = (shipping: { methodTitle: string; total: string } | null) =>
    harness.woo.control.createOrder({
      currency: 'GBP',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [
        { name: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { name: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' },
      ],
      shipping,
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    });
  /**
   * The order.updated that carried a refund, delivered again at once, then a later edit of the order: duplicates,
   * one intake event for the refund, and no "changed after booking" for anyone.
   */
  async function expectRefundQueuedOnce(orderId: number, refundId: string, note: string) {
    expect(await redeliverAtOnce(lastUpdateOf(orderId), 3)).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    harness.woo.control.updateOrder(orderId, { customer_note: note });
    const outcomes = await outcomesOf(String(orderId));
    expect(outcomes.filter((row) => row.eventId.endsWith(`/refund/${orderId}/${refundId}`))).toHaveLength(1);
    expect(outcomes.map((row) => row.outcome)).not.toContain('changed_after_booking');
    expect(told.filter((event) => event.orderId === String(orderId))).toEqual([]);
  }

  it('a partial refund of one line becomes one refund receipt for the refunded amount; redeliveries book nothing twice; nobody is told to book it by hand', async () => {
    const order = shirtsAndMug(null);
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const docNumber = order.number as string;
    const tee = (order.line_items as Array<{ id: number; name: string }>).find((line) => line.name === 'Red T-shirt')!;

    // One of two shirts, 20.00 and its 4.00 VAT, refunded in wp-admin: WooCommerce sends order.updated.
    const refund = harness.woo.control.refundOrder(order.id as number, '24.00', 'Wrong size', [{ id: tee.id, quantity: 1, refund_total: '20.00', refund_tax: '4.00' }])!;
    const refundId = String(refund.id);
    const result = await harness.refundResultOf(orderId, refundId);
    expect(result.outcome).toBe('created');
    expect(refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 24]]);
    const [receipt] = harness.refundReceipts().filter((r) => r.docNumber === `${docNumber}-R1`);
    const items = (receipt!.record as Record<string, any>).Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(items.map((l: any) => [l.SalesItemLineDetail.Qty, l.Amount])).toEqual([[1, 20]]);
    expect(await harness.refundRow(orderId, refundId)).toMatchObject({ status: 'synced', refundTotal: '24.00', ledgerDocNumber: `${docNumber}-R1` });

    // The order.updated that carried the refund, delivered again (and at once): one event each, nothing booked twice.
    // A later edit still lists the refund: the order's change is new, the refund is not.
    await expectRefundQueuedOnce(order.id as number, refundId, 'Leave at the door');
    expect(refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 24]]);
    expect(await harness.orderRow(orderId)).toMatchObject({ status: 'synced', changedAfterBooking: null });

    // The rest refunded: the order becomes "refunded", its second refund a second receipt.
    const mug = (order.line_items as Array<{ id: number; name: string }>).find((line) => line.name === 'Mug')!;
    const rest = harness.woo.control.refundOrder(order.id as number, '33.60', '', [
      { id: tee.id, quantity: 1, refund_total: '20.00', refund_tax: '4.00' },
      { id: mug.id, quantity: 1, refund_total: '8.00', refund_tax: '1.60' },
    ])!;
    expect((await harness.refundResultOf(orderId, String(rest.id))).outcome).toBe('created');
    expect(refundReceiptTotals(docNumber)).toEqual([
      [`${docNumber}-R1`, 24],
      [`${docNumber}-R2`, 33.6],
    ]);
    expect((await outcomesOf(orderId)).map((row) => row.outcome)).not.toContain('changed_after_booking');
    expect(told.filter((event) => event.orderId === orderId)).toEqual([]);
  });

  it("a refund of an amount alone (no lines named) becomes one refund receipt line on the sale's item, its VAT the sale's share, to the penny; redeliveries book nothing twice", async () => {
    const order = shirtsAndMug({ methodTitle: 'Flat rate', total: '4.50' });
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const docNumber = order.number as string;
    expect(order.total).toBe('63.00');

    // wp-admin's "Refund manually" with only an amount typed in: the refund lists no line items.
    const refund = harness.woo.control.refundOrder(order.id as number, '10.00', 'Goodwill')!;
    expect(refund.line_items).toEqual([]);
    const refundId = String(refund.id);
    const result = await harness.refundResultOf(orderId, refundId);
    expect(result.outcome, result.message).toBe('created');
    expect(refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 10]]);
    const [receipt] = harness.refundReceipts().filter((r) => r.docNumber === `${docNumber}-R1`);
    const record = receipt!.record as Record<string, any>;
    const items = record.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail');
    // All of the sale is at 20 % VAT: 10.00 is 8.33 and 1.67 VAT, on the item of the sale's largest line (the shirts).
    expect(items.map((l: any) => [l.Description, l.SalesItemLineDetail.Qty, l.Amount])).toEqual([[`Refund of order #${docNumber} (amount only)`, 1, 8.33]]);
    expect(record.TxnTaxDetail?.TotalTax).toBe(1.67);
    const [sale] = harness.salesReceipts().filter((r) => r.docNumber === docNumber);
    const shirtLine = (sale!.record as Record<string, any>).Line.find((l: any) => l.Description === 'Red T-shirt');
    expect(items[0].SalesItemLineDetail.ItemRef.value).toBe(shirtLine.SalesItemLineDetail.ItemRef.value);
    expect(items[0].SalesItemLineDetail.TaxCodeRef).toEqual(shirtLine.SalesItemLineDetail.TaxCodeRef);
    expect(await harness.refundRow(orderId, refundId)).toMatchObject({ status: 'synced', refundTotal: '10.00', ledgerDocNumber: `${docNumber}-R1` });

    // The order.updated that carried the refund, again: duplicates; a later edit queues the refund no second time.
    await expectRefundQueuedOnce(order.id as number, refundId, 'Thanks');
    expect(refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 10]]);
    // The sale's receipt is left as booked.
    expect(harness.salesReceipts().filter((r) => r.docNumber === docNumber).map((r) => (r.record as { TotalAmt: number }).TotalAmt)).toEqual([63]);

    // Cancelled afterwards: the reversal gives back what is left (53.00), every line scaled down together, not 63.00.
    // Its lines' VAT is settled as QuickBooks rounds it, once per rate (nets 44.17, VAT 8.83): it books once, at 53.00.
    harness.woo.control.updateOrder(order.id as number, { status: 'cancelled' });
    const reversalRow = await harness.refundRowOnceSettled(orderId, 'cancellation', 'the reversal of the cancellation to be booked or to park');
    expect(reversalRow, reversalRow.lastErrorMessage ?? '').toMatchObject({ status: 'synced', ledgerDocNumber: `${docNumber}-C`, lastErrorCode: null });
    expect((await harness.refundResultOf(orderId, 'cancellation')).outcome).toBe('created');
    const [reversalReceipt, ...otherReversals] = harness.refundReceipts().filter((r) => r.docNumber === `${docNumber}-C`).map((r) => r.record as Record<string, any>);
    expect(otherReversals).toEqual([]);
    expect([reversalReceipt!.TxnTaxDetail?.TotalTax, reversalReceipt!.TotalAmt]).toEqual([8.83, 53]);
    expect(refundReceiptTotals(docNumber)).toEqual([
      [`${docNumber}-C`, 53],
      [`${docNumber}-R1`, 10],
    ]);
  });
  it("a refund of an amount alone that no net makes up at the rate (10.05 at 20 %: 8.37 makes 10.04 in QuickBooks) states its VAT: booked once at 10.05", async () => {
    const order = shirtsAndMug(null);
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const docNumber = order.number as string;
    const refund = harness.woo.control.refundOrder(order.id as number, '10.05', 'Goodwill')!;
    const row = await harness.refundRowOnceSettled(orderId, String(refund.id), 'the refund to be booked or to park');
    expect(row, row.lastErrorMessage ?? '').toMatchObject({ status: 'synced', ledgerDocNumber: `${docNumber}-R1`, lastErrorCode: null });
    const receipts = harness.refundReceipts().filter((r) => r.docNumber === `${docNumber}-R1`).map((r) => r.record as Record<string, any>);
    expect(receipts.map((r) => [r.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail').map((l: any) => l.Amount), r.TxnTaxDetail?.TotalTax, r.TotalAmt])).toEqual([[[8.37], 1.68, 10.05]]);
  });

  /** A sale of 63.01 (the mug at 8.01, VAT 1.60), booked, then 10.00 given back as an amount alone: 53.01 left. */
  async function bookedWithAmountGivenBack() {
    const order = harness.woo.control.createOrder({
      currency: 'GBP',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [
        { name: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { name: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.01' },
      ],
      shipping: { methodTitle: 'Flat rate', total: '4.50' },
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    });
    const orderId = String(order.id);
    const docNumber = order.number as string;
    expect(order.total).toBe('63.01');
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const refund = harness.woo.control.refundOrder(order.id as number, '10.00', 'Goodwill')!;
    expect((await harness.refundResultOf(orderId, String(refund.id))).outcome).toBe('created');
    expect(refundReceiptTotals(docNumber)).toEqual([[`${docNumber}-R1`, 10]]);
    return { order, orderId, docNumber };
  }
  /** Cancels the order; the reversal's row once it is booked or waits. */
  async function cancelled(order: Record<string, unknown>, orderId: string) {
    harness.woo.control.updateOrder(order.id as number, { status: 'cancelled' });
    return harness.refundRowOnceSettled(orderId, 'cancellation', 'the reversal of the cancellation to be booked or to park');
  }
  /**
   * The bookkeeper sets the reversal's VAT so it comes to 53.01 and retries: the same receipt is found, now right, and
   * the reversal ends synced with `outcome` beside the earlier refund's receipt.
   */
  async function correctedAndRetried(orderId: string, docNumber: string, receiptId: string, outcome: 'created' | 'already_synced') {
    harness.qbo.control.correctRefundReceipt(harness.realmId, receiptId, 53.01);
    const retried = await harness.operator('POST', `/routes/${harness.routeId}/orders/${orderId}/refunds/cancellation/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBeLessThan(300);
    const result = await harness.refundResultOf(orderId, 'cancellation');
    expect(result.outcome, result.message).toBe(outcome);
    expect(await harness.refundRow(orderId, 'cancellation')).toMatchObject({ status: 'synced', ledgerDocNumber: `${docNumber}-C`, lastErrorCode: null });
    expect(refundReceiptTotals(docNumber)).toEqual([
      [`${docNumber}-C`, 53.01],
      [`${docNumber}-R1`, 10],
    ]);
  }
  const reversalsOf = (docNumber: string) => harness.refundReceipts().filter((r) => r.docNumber === `${docNumber}-C`);
  const taxAndTotal = (receipt: { record: unknown }) => [(receipt.record as Record<string, any>).TxnTaxDetail?.TotalTax, (receipt.record as Record<string, any>).TotalAmt];

  it("a cancellation after a refund of an amount alone whose rest no net makes up at the rate states its VAT (QuickBooks' total tax override): booked once at the shop's total", async () => {
    // 53.01 is a cent the rate skips: at 20 % rounded once, 44.17 comes to 53.00 and 44.18 to 53.02. The lines keep
    // their own VAT (8.84 on 44.17), and the refund receipt says so as its total tax, one VAT code on every line.
    const { order, orderId, docNumber } = await bookedWithAmountGivenBack();
    const row = await cancelled(order, orderId);
    expect(row, row.lastErrorMessage ?? '').toMatchObject({ status: 'synced', ledgerDocNumber: `${docNumber}-C`, lastErrorCode: null });
    expect(reversalsOf(docNumber).map(taxAndTotal)).toEqual([[8.84, 53.01]]);
    expect(refundReceiptTotals(docNumber)).toEqual([
      [`${docNumber}-C`, 53.01],
      [`${docNumber}-R1`, 10],
    ]);
  });

  it('where QuickBooks recomputes the VAT anyway, that reversal waits naming the order, the VAT and the total to set; corrected and retried, it books once', async () => {
    harness.qbo.control.setTotalTaxOverride('ignored');
    try {
      const { order, orderId, docNumber } = await bookedWithAmountGivenBack();
      const waiting = await cancelled(order, orderId);
      // QuickBooks taxed the lines' 44.17 once (8.83): its receipt is a cent short, so the reversal is not called booked.
      expect(waiting).toMatchObject({ status: 'waiting', waitingFor: 'fix', lastErrorCode: 'LedgerTotalMismatch', ledgerDocNumber: null });
      expect(waiting.lastErrorMessage).toContain(`QuickBooks Online #1 computed 53.00, the shop charged 53.01 for order #${docNumber}`);
      expect(waiting.lastErrorMessage).toContain("set the refund receipt's tax to 8.84");
      expect(waiting.lastErrorMessage).toContain('so its total is 53.01, then retry');
      const [reversal, ...others] = reversalsOf(docNumber);
      expect(others).toEqual([]);
      expect(taxAndTotal(reversal!)).toEqual([8.83, 53]);

      // The bookkeeper sets the receipt's VAT to 8.84 in QuickBooks and retries: the same receipt is found, now right.
      await correctedAndRetried(orderId, docNumber, reversal!.id, 'created');
    } finally {
      harness.qbo.control.setTotalTaxOverride('honoured');
    }
  });

  it('that waiting reversal run again (its run ended) with the receipt not corrected finds the receipt and still waits, not synced; corrected and retried, it is synced', async () => {
    harness.qbo.control.setTotalTaxOverride('ignored');
    try {
      const { order, orderId, docNumber } = await bookedWithAmountGivenBack();
      const waiting = await cancelled(order, orderId);
      expect(waiting).toMatchObject({ status: 'waiting', lastErrorCode: 'LedgerTotalMismatch' });
      const [reversal] = reversalsOf(docNumber);

      // The run ends (terminated by hand) and the reversal starts again, as a redelivered event would: its lookup finds the 53.00 receipt.
      await harness.handle(refundSyncWorkflowId(harness.routeId, orderId, 'cancellation')).terminate('test: the waiting run ends');
      await startRefundSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, orderId, refundId: 'cancellation' });
      const rerun = await eventually(async () => {
        const row = await harness.refundRow(orderId, 'cancellation');
        return row && row.attempts > waiting.attempts && ['synced', 'waiting'].includes(row.status) ? row : undefined;
      }, 'the re-run reversal to settle');
      expect(rerun, rerun.lastErrorMessage ?? '').toMatchObject({ status: 'waiting', waitingFor: 'fix', lastErrorCode: 'LedgerTotalMismatch', ledgerDocNumber: null });
      expect(rerun.lastErrorMessage).toContain(`QuickBooks Online #1 has 53.00 on refund receipt ${docNumber}-C (id ${reversal!.id}) for the cancellation of order #${docNumber}, but the shop gave back 53.01`);
      expect(rerun.lastErrorMessage).toContain('so its total is 53.01, then retry the refund');

      await correctedAndRetried(orderId, docNumber, reversal!.id, 'already_synced');
    } finally {
      harness.qbo.control.setTotalTaxOverride('honoured');
    }
  });
});
