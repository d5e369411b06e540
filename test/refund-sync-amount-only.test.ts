import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QBD_TEST_SHOP_CURRENCY, qbdRefundTestCompany } from './support/qbd-test-company.js';
import { refundSyncWorkflowId, startRefundSync } from '../runtime/refund-sync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * A WooCommerce refund of an amount alone (wp-admin's "Refund manually" with no lines: the refund lists no line
 * items) into Xero and QuickBooks Desktop: the ledger's refund document with one line for the amount, on the item
 * of the sale's largest line, its tax the sale's share, coming to the refund to the cent; the sale is left alone.
 * (QuickBooks Online: test/refund-sync-woocommerce.test.ts.)
 */
/** Two shirts at 20.00, a mug (at 8.00 unless said) and 4.50 of shipping, taxed at `taxRate` or not at all. */
function wooSale(harness: SyncHarness, currency: string, taxRate: { label: string; percent: number } | null, mugPrice = '8.00') {
  return harness.woo.control.createOrder({
    currency,
    taxRate,
    lines: [
      { name: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
      { name: 'Mug', sku: 'MUG-1', quantity: 1, price: mugPrice },
    ],
    shipping: { methodTitle: 'Flat rate', total: '4.50' },
    customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  });
}

describe('refunds of an amount alone: WooCommerce → Xero credit note', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce', ledger: 'xero' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('books one AUTHORISED credit note of one line at the sale\'s VAT, paid out once; run again it writes nothing', async () => {
    const order = wooSale(harness, 'GBP', { label: 'VAT', percent: 20 });
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const number = order.number as string;
    const [invoice] = harness.xeroInvoices().filter((i) => i.InvoiceNumber === number);
    expect(invoice).toMatchObject({ Status: 'PAID', Total: 63 });

    const refund = harness.woo.control.refundOrder(order.id as number, '10.00', 'Goodwill')!;
    const result = await harness.refundResultOf(orderId, String(refund.id));
    expect(result.outcome, result.message).toBe('created');
    const notes = harness.xero.emulator.control.creditNotes(harness.xero.tenantId).filter((note) => note.CreditNoteNumber === `${number}-R1`);
    expect(notes).toHaveLength(1);
    const note = notes[0] as Record<string, any>;
    expect(note).toMatchObject({ Type: 'ACCRECCREDIT', Status: 'PAID', Total: 10, TotalTax: 1.67, RemainingCredit: 0 });
    expect(note.LineItems.map((line: any) => [line.Description, line.ItemCode, line.Quantity, line.LineAmount, line.TaxType, line.TaxAmount])).toEqual([
      [`Refund of order #${number} (amount only)`, 'TS-RED-M', 1, 8.33, 'OUTPUT2', 1.67],
    ]);
    const payments = harness.xeroPayments().filter((payment) => (payment.CreditNote as { CreditNoteID?: unknown } | undefined)?.CreditNoteID === note.CreditNoteID);
    expect(payments.map((payment) => [payment.PaymentType, payment.Amount])).toEqual([['ARCREDITPAYMENT', 10]]);
    // The sale's invoice is left as booked.
    expect(harness.xeroInvoices().filter((i) => i.InvoiceNumber === number).map((i) => [i.Total, i.Status, i.AmountCredited])).toEqual([[63, 'PAID', 0]]);

    // Asked again (a retry from the console): found by its number, nothing new written.
    const again = await harness.client.workflow.execute('refundSyncWorkflow', {
      taskQueue: harness.taskQueue,
      workflowId: `amount-only-again-${orderId}`,
      args: [{ routeId: harness.routeId, orderId, refundId: String(refund.id) }],
    });
    expect(again).toMatchObject({ outcome: 'already_synced' });
    expect(harness.xero.emulator.control.creditNotes(harness.xero.tenantId).filter((n) => n.CreditNoteNumber === `${number}-R1`)).toHaveLength(1);

    // Cancelled afterwards: the reversal gives back what is left (53.00), every line scaled down together. Xero
    // rounds each line's VAT on its own: each line's VAT is its net's 20 %, rounded (33.65 → 6.73, 6.73 → 1.35,
    // 3.78 → 0.76), not QuickBooks' once-per-rate figure, so the credit note comes to 53.00 and books once.
    harness.woo.control.updateOrder(order.id as number, { status: 'cancelled' });
    const reversalRow = await harness.refundRowOnceSettled(orderId, 'cancellation', 'the reversal of the cancellation to be booked or to park');
    expect(reversalRow, reversalRow.lastErrorMessage ?? '').toMatchObject({ status: 'synced', ledgerDocNumber: `${number}-C`, lastErrorCode: null });
    const [credit, ...others] = harness.xero.emulator.control.creditNotes(harness.xero.tenantId).filter((n) => n.CreditNoteNumber === `${number}-C`) as Array<Record<string, any>>;
    expect(others).toEqual([]);
    expect([credit!.Total, credit!.TotalTax]).toEqual([53, 8.84]);
    expect(credit!.LineItems.map((line: any) => [line.LineAmount, line.TaxAmount])).toEqual([
      [33.65, 6.73],
      [6.73, 1.35],
      [3.78, 0.76],
    ]);
  });

  it("an amount no net makes up at the rate (10.05 at 20 %: 8.37 makes 10.04, 8.38 makes 10.06) states its line's VAT: booked once at 10.05", async () => {
    const order = wooSale(harness, 'GBP', { label: 'VAT', percent: 20 });
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const number = order.number as string;
    const refund = harness.woo.control.refundOrder(order.id as number, '10.05', 'Goodwill')!;
    const row = await harness.refundRowOnceSettled(orderId, String(refund.id), 'the refund to be booked or to park');
    expect(row, row.lastErrorMessage ?? '').toMatchObject({ status: 'synced', ledgerDocNumber: `${number}-R1`, lastErrorCode: null });
    const notes = harness.xero.emulator.control.creditNotes(harness.xero.tenantId).filter((note) => note.CreditNoteNumber === `${number}-R1`) as Array<Record<string, any>>;
    expect(notes.map((note) => [note.Total, note.TotalTax, note.LineItems.map((line: any) => [line.LineAmount, line.TaxAmount])])).toEqual([[10.05, 1.68, [[8.37, 1.68]]]]);
  });
});

describe('refunds of an amount alone: WooCommerce → QuickBooks Desktop credit memo', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    // The company also has a sales tax item at 20 % named as the shop's tax ("VAT"), which a taxed sale maps to by itself.
    const qbd = qbdRefundTestCompany();
    harness = await SyncHarness.start({
      shop: 'woocommerce',
      shopCurrency: QBD_TEST_SHOP_CURRENCY,
      qbd: { ...qbd, company: { ...qbd.company, items: [...(qbd.company.items ?? []), { name: 'VAT', type: 'SalesTax', price: '20' }] } },
    });
    harness.qbd!.connector.start();
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('books one credit memo of one line for the amount, refunded out of Undeposited Funds once', async () => {
    const order = wooSale(harness, QBD_TEST_SHOP_CURRENCY, null);
    const orderId = String(order.id);
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const number = order.number as string;

    const refund = harness.woo.control.refundOrder(order.id as number, '12.34', '')!;
    const result = await harness.refundResultOf(orderId, String(refund.id));
    expect(result.outcome, result.message).toBe('created');
    const company = harness.qbd!.company.company;
    const memos = company.creditMemos.filter((memo) => memo.refNumber === `${number}-R1`);
    expect(memos).toHaveLength(1);
    expect(memos[0]!.lines.map((line) => [line.itemName, line.quantity, line.amount])).toEqual([['TS-RED-M', '1', '12.34']]);
    expect(memos[0]).toMatchObject({ totalAmount: '12.34', creditRemaining: '0.00' });
    expect(company.arRefunds.filter((r) => r.applied.some((a) => a.txnId === memos[0]!.txnId)).map((r) => r.totalAmount)).toEqual(['12.34']);
    // The sale's receipt is left as booked.
    expect(company.salesReceipts.filter((r) => r.refNumber === number).map((r) => r.totalAmount)).toEqual(['52.50']);
  });

  /** A sale of 63.01 at 20 % VAT (the mug at 8.01), booked, then 10.00 given back as an amount alone: 53.01 left. */
  async function bookedWithAmountGivenBack() {
    // 52.51 and 10.50 of VAT, which QuickBooks' 20 % once on 52.51 agrees with.
    const order = wooSale(harness, QBD_TEST_SHOP_CURRENCY, { label: 'VAT', percent: 20 }, '8.01');
    expect(order.total).toBe('63.01');
    const orderId = String(order.id);
    const number = order.number as string;
    expect((await harness.syncResultOf(orderId)).outcome).toBe('created');
    const company = harness.qbd!.company.company;
    expect(company.salesReceipts.filter((r) => r.refNumber === number).map((r) => [r.itemSalesTax?.fullName, r.salesTaxTotal, r.totalAmount])).toEqual([['VAT', '10.50', '63.01']]);
    // 10.00 given back as an amount alone: 8.33 and its 1.67 of VAT, which QuickBooks' rate makes by itself.
    const refund = harness.woo.control.refundOrder(order.id as number, '10.00', 'Goodwill')!;
    const result = await harness.refundResultOf(orderId, String(refund.id));
    expect(result.outcome, result.message).toBe('created');
    expect(memosOf(`${number}-R1`).map((memo) => [memo.salesTaxTotal, memo.totalAmount, memo.lines.length])).toEqual([['1.67', '10.00', 1]]);
    // Cancelled: 53.01 is left, a cent the rate skips (44.17 comes to 53.00, 44.18 to 53.02).
    harness.woo.control.updateOrder(order.id as number, { status: 'cancelled' });
    const row = await harness.refundRowOnceSettled(orderId, 'cancellation', 'the reversal of the cancellation to be booked or to park');
    return { orderId, number, row, company };
  }
  const memosOf = (docNumber: string) => harness.qbd!.company.company.creditMemos.filter((memo) => memo.refNumber === docNumber);
  const refundsOf = (memo: { txnId: string }) => harness.qbd!.company.company.arRefunds.filter((r) => r.applied.some((a) => a.txnId === memo.txnId)).map((r) => r.totalAmount);

  it("a cancellation after a 10.00 refund of an amount alone, whose rest (53.01) no net makes up at the sales tax item's 20 %: one credit memo at 53.01, the cent on a line of the sales tax item, refunded once", async () => {
    // The credit memo's lines keep their nets (44.17) under the sales tax item, whose 20 % once is 8.83; the shop gave
    // back 8.84 of VAT, so a line of the same sales tax item carries the cent, saying why.
    const { number, row, company } = await bookedWithAmountGivenBack();
    expect(row, row.lastErrorMessage ?? '').toMatchObject({ status: 'synced', ledgerDocNumber: `${number}-C`, lastErrorCode: null });
    const [memo, ...others] = memosOf(`${number}-C`);
    expect(others).toEqual([]);
    expect([memo!.itemSalesTax?.fullName, memo!.salesTaxTotal, memo!.totalAmount, memo!.creditRemaining]).toEqual(['VAT', '8.83', '53.01', '0.00']);
    const nets = memo!.lines.filter((line) => line.itemName !== 'VAT').reduce((sum, line) => sum + Math.round(Number(line.amount) * 100), 0);
    expect(nets).toBe(4417);
    expect(memo!.lines.filter((line) => line.itemName === 'VAT').map((line) => [line.amount, line.desc])).toEqual([
      ['0.01', 'VAT rounding: the shop gave back 8.84 of tax; QuickBooks works out 8.83 (20 % of 44.17, rounded once)'],
    ]);
    // Paid out once, for the whole credit; nothing else written for the order.
    expect(refundsOf(memo!)).toEqual(['53.01']);
    expect(company.creditMemos.filter((m) => m.refNumber?.startsWith(`${number}-`)).map((m) => [m.refNumber, m.totalAmount])).toEqual([
      [`${number}-R1`, '10.00'],
      [`${number}-C`, '53.01'],
    ]);
  });

  it('where QuickBooks works the sales tax line out itself (unconfirmed), the reversal waits naming the order, the tax and the total to set, pays nothing out; corrected and retried, it is paid out once', async () => {
    harness.qbd!.company.salesTaxLineAmount = 'worked-out';
    try {
      const { orderId, number, row } = await bookedWithAmountGivenBack();
      // QuickBooks put its 20 % of the line above (the shipping's 3.78: 0.76) on the sales tax line: 53.76, not 53.01.
      expect(row).toMatchObject({ status: 'waiting', waitingFor: 'fix', lastErrorCode: 'LedgerTotalMismatch', ledgerDocNumber: null });
      expect(row.lastErrorMessage).toContain(`QuickBooks Desktop #1 computed 53.76, the shop charged 53.01 for order #${number}`);
      expect(row.lastErrorMessage).toContain('check tax code "VAT" (20 %)');
      expect(row.lastErrorMessage).toContain('so its total is 53.01, then retry');
      const [memo, ...others] = memosOf(`${number}-C`);
      expect(others).toEqual([]);
      // Not paid out: the customer is given back nothing the shop did not give back.
      expect([memo!.totalAmount, memo!.creditRemaining]).toEqual(['53.76', '53.76']);
      expect(refundsOf(memo!)).toEqual([]);

      // The bookkeeper types the sales tax line's amount over (0.01) in QuickBooks and retries: the same credit memo is
      // found, now right, and paid out once.
      harness.qbd!.company.company.correctCreditMemo(memo!.txnId, '53.01');
      const retried = await harness.operator('POST', `/routes/${harness.routeId}/orders/${orderId}/refunds/cancellation/retry`);
      expect(retried.status, JSON.stringify(retried.body)).toBeLessThan(300);
      const result = await harness.refundResultOf(orderId, 'cancellation');
      expect(result.outcome, result.message).toBe('created');
      expect(await harness.refundRow(orderId, 'cancellation')).toMatchObject({ status: 'synced', ledgerDocNumber: `${number}-C`, lastErrorCode: null });
      expect(memosOf(`${number}-C`).map((m) => [m.totalAmount, m.creditRemaining, m.lines.at(-1)!.amount])).toEqual([['53.01', '0.00', '0.01']]);
      expect(refundsOf(memo!)).toEqual(['53.01']);
    } finally {
      harness.qbd!.company.salesTaxLineAmount = 'as-sent';
    }
  });

  /** The reversal's row once a run or a retry has settled it again (its attempts gone past `attempts`). */
  const reversalRowAfter = (orderId: string, attempts: number, what: string) =>
    eventually(async () => {
      const row = await harness.refundRow(orderId, 'cancellation');
      return row && row.attempts > attempts && ['synced', 'waiting'].includes(row.status) ? row : undefined;
    }, what);
  const retryReversal = async (orderId: string) => {
    const retried = await harness.operator('POST', `/routes/${harness.routeId}/orders/${orderId}/refunds/cancellation/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBeLessThan(300);
  };

  it('a parked reversal retried, or run again, without the credit memo corrected still waits and pays nothing out; corrected and retried, it is synced and paid out once', async () => {
    harness.qbd!.company.salesTaxLineAmount = 'worked-out';
    try {
      const { orderId, number, row } = await bookedWithAmountGivenBack();
      expect(row).toMatchObject({ status: 'waiting', lastErrorCode: 'LedgerTotalMismatch' });
      const [memo] = memosOf(`${number}-C`);

      // Retried with the memo still at 53.76: the booking looks at the same memo again and waits as before.
      await retryReversal(orderId);
      const retried = await reversalRowAfter(orderId, row.attempts, 'the retried reversal to settle');
      expect(retried).toMatchObject({ status: 'waiting', waitingFor: 'fix', lastErrorCode: 'LedgerTotalMismatch', ledgerDocNumber: null });
      expect(retried.lastErrorMessage).toContain('so its total is 53.01, then retry');

      // The run ends (terminated by hand) and the reversal is started again, as a redelivered webhook would: its lookup finds the memo.
      await harness.handle(refundSyncWorkflowId(harness.routeId, orderId, 'cancellation')).terminate('test: the waiting run ends');
      await startRefundSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, orderId, refundId: 'cancellation' });
      const rerun = await reversalRowAfter(orderId, retried.attempts, 'the re-run reversal to settle');
      expect(rerun, rerun.lastErrorMessage ?? '').toMatchObject({ status: 'waiting', waitingFor: 'fix', lastErrorCode: 'LedgerTotalMismatch', ledgerDocNumber: null });
      expect(rerun.lastErrorMessage).toContain(`QuickBooks Desktop #1 has 53.76 on credit memo ${number}-C`);
      expect(rerun.lastErrorMessage).toContain(`for the cancellation of order #${number}, but the shop gave back 53.01`);
      expect(rerun.lastErrorMessage).toContain('so its total is 53.01, then retry the refund');
      // Nothing paid out: the credit is all still on the memo.
      expect(memosOf(`${number}-C`).map((m) => [m.totalAmount, m.creditRemaining])).toEqual([['53.76', '53.76']]);
      expect(refundsOf(memo!)).toEqual([]);

      // Corrected in QuickBooks and retried: the memo found is the refund's now, synced and paid out once.
      harness.qbd!.company.company.correctCreditMemo(memo!.txnId, '53.01');
      await retryReversal(orderId);
      const result = await harness.refundResultOf(orderId, 'cancellation');
      expect(result.outcome, result.message).toBe('already_synced');
      expect(await harness.refundRow(orderId, 'cancellation')).toMatchObject({ status: 'synced', ledgerDocNumber: `${number}-C`, lastErrorCode: null });
      expect(memosOf(`${number}-C`).map((m) => [m.totalAmount, m.creditRemaining])).toEqual([['53.01', '0.00']]);
      expect(refundsOf(memo!)).toEqual(['53.01']);
    } finally {
      harness.qbd!.company.salesTaxLineAmount = 'as-sent';
    }
  });
});
