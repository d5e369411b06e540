import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundSyncWorkflowId } from '../runtime/refund-sync-starter.js';
import { replayErrors } from './support/replay-check.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * Refunds and cancellations after booking into Xero: a sales credit note and its refund payment where sales are
 * invoices, spend money where a route books sales as receive money. The sale's document is never edited.
 */
describe('refunds and cancellations after booking: Shopify → Xero credit notes and spend money', () => {
  let harness: SyncHarness;
  /** Refund bookings whose histories become replay fixtures (test/histories, RECORD_HISTORIES=1). */
  const recorded: { workflowId: string; fixtureName: string }[] = [];
  const record = (orderId: string, refundId: string, fixtureName: string, routeId = harness.routeId) =>
    recorded.push({ workflowId: refundSyncWorkflowId(routeId, orderId, refundId), fixtureName });
  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const tenant = () => harness.xero.tenantId;
  const creditNotes = (number: string) => harness.xero.emulator.control.creditNotes(tenant()).filter((note) => note.CreditNoteNumber === number);
  const refundPayments = (note: Record<string, unknown>) =>
    harness.xeroPayments().filter((payment) => (payment.CreditNote as { CreditNoteID?: unknown } | undefined)?.CreditNoteID === note.CreditNoteID);
  const spent = (number: string) =>
    harness.xero.emulator.control.bankTransactions(tenant()).filter((transaction) => transaction.Type === 'SPEND' && String(transaction.Reference).startsWith(`${number} `));
  const linesOf = (document: Record<string, unknown>) => document.LineItems as any[];
  const lines = (document: Record<string, any>) => document.LineItems.map((line: any) => [line.ItemCode ?? line.AccountCode, line.Quantity, line.LineAmount, line.TaxType, line.TaxAmount]);

  function order(name: string) {
    return harness.shopify.control.createOrder({
      name,
      taxesIncluded: false,
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [
        { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', discount: '4.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '7.20' }] },
        { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.60' }] },
      ],
      shippingLines: [{ title: 'Standard', price: '4.50', taxLines: [{ title: 'VAT', rate: 0.2, amount: '0.90' }] }],
    });
  }

  it('a partial refund with shipping becomes an AUTHORISED credit note with those lines, each taxed as the sale was, paid out of the bank account', async () => {
    const sold = order('#8001');
    expect((await harness.syncResultOf(sold.id)).outcome).toBe('created');
    const [invoice] = harness.xeroInvoices().filter((i) => i.InvoiceNumber === '8001');
    expect(invoice).toMatchObject({ Status: 'PAID', Total: 58.2 });
    const tee = sold.lineItems.find((line) => line.sku === 'TS-RED-M')!;
    const refund = harness.shopify.control.refundOrder(sold.id, { lines: [{ lineItemId: tee.id, quantity: 1 }], shipping: true, note: 'Wrong size' });
    // One shirt at 18.00 (half the discount) with 3.60 VAT, shipping 4.50 with 0.90 VAT.
    expect(refund.total).toBe('27.00');

    const result = await harness.refundResultOf(sold.id, refund.id);
    expect(result).toMatchObject({ outcome: 'created' });
    expect(result.message).toBe(`Refund ${refund.id} of order #8001 (27.00 GBP) was booked in Xero #1 as credit note 8001-R1 (id ${result.ledgerDocument!.id}), against 8001.`);
    const [note, ...others] = creditNotes('8001-R1');
    expect(others).toEqual([]);
    expect(note).toMatchObject({ Type: 'ACCRECCREDIT', Status: 'PAID', Total: 27, TotalTax: 4.5, RemainingCredit: 0, LineAmountTypes: 'Exclusive' });
    expect(note!.Reference).toBe(`Shopify #1 order #8001 (id ${sold.id}) refund ${refund.id}, booked by ledgerbridge.`);
    expect(lines(note!)).toEqual([
      ['TS-RED-M', 1, 18, 'OUTPUT2', 3.6],
      [expect.any(String), 1, 4.5, 'OUTPUT2', 0.9],
    ]);
    expect(linesOf(note!).map((line: any) => line.Description)).toEqual(['Red T-shirt (1 × 20.00, less 2.00 discount)', 'Shipping']);
    // The money goes back out of the account the sale's payment went into.
    const [payment, ...morePayments] = refundPayments(note!);
    expect(morePayments).toEqual([]);
    const salePayment = harness.xeroPayments().find((p) => (p.Invoice as { InvoiceID?: unknown } | undefined)?.InvoiceID === invoice!.InvoiceID)!;
    expect(payment).toMatchObject({ PaymentType: 'ARCREDITPAYMENT', Amount: 27, Reference: '8001-R1' });
    expect((payment!.Account as { Code: string }).Code).toBe((salePayment.Account as { Code: string }).Code);
    // The sale's invoice is left as booked.
    expect(harness.xeroInvoices().filter((i) => i.InvoiceNumber === '8001').map((i) => [i.Total, i.Status, i.AmountCredited])).toEqual([[58.2, 'PAID', 0]]);
    expect(await harness.refundRow(sold.id, refund.id)).toMatchObject({ status: 'synced', ledgerDocNumber: '8001-R1', refundTotal: '27.00' });
    record(sold.id, refund.id, 'refund-sync-xero-credit-note');
  });

  it('a credit note and a refund payment whose answers were lost are found by number: one credit note, paid out once; a cancellation credits what is left', async () => {
    const sold = order('#8002');
    expect((await harness.syncResultOf(sold.id)).outcome).toBe('created');
    const mug = sold.lineItems.find((line) => line.sku === 'MUG-1')!;
    // Xero writes the credit note, then the refund payment, and each time the connection drops before the answer.
    harness.xero.emulator.control.dropNextWrites(2);
    const refund = harness.shopify.control.refundOrder(sold.id, { lines: [{ lineItemId: mug.id, quantity: 1, restockType: 'NO_RESTOCK' }] });
    expect((await harness.refundResultOf(sold.id, refund.id)).outcome).toBe('created');
    expect(harness.xero.emulator.control.requestLog().filter((r) => r.outcome === 'dropped').map((r) => r.url.split('?')[0]!.split('/').at(-1))).toEqual(['CreditNotes', 'Payments']);
    expect(creditNotes('8002-R1')).toHaveLength(1);
    expect(refundPayments(creditNotes('8002-R1')[0]!)).toHaveLength(1);
    expect(lines(creditNotes('8002-R1')[0]!)).toEqual([['MUG-1', 1, 8, 'OUTPUT2', 1.6]]);
    expect(linesOf(creditNotes('8002-R1')[0]!)[0].Description).toBe('Mug (not restocked)');

    harness.shopify.control.cancelOrder(sold.id);
    const reversal = await harness.refundResultOf(sold.id, 'cancellation');
    expect(reversal.outcome).toBe('created');
    expect(reversal.message).toContain('The cancellation of order #8002 (48.60 GBP) was booked in Xero #1 as credit note 8002-C');
    const [note] = creditNotes('8002-C');
    // Both shirts (36.00, one unit at the discounted amount: Xero credit notes carry no line discount) and the shipping.
    expect(lines(note!)).toEqual([
      ['TS-RED-M', 1, 36, 'OUTPUT2', 7.2],
      [expect.any(String), 1, 4.5, 'OUTPUT2', 0.9],
    ]);
    expect(linesOf(note!)[0].Description).toBe('Red T-shirt (2 × 20.00, less 4.00 discount)');
    expect(note).toMatchObject({ Total: 48.6, Status: 'PAID' });
    expect(refundPayments(note!).map((p) => p.Amount)).toEqual([48.6]);
    expect(harness.xeroInvoices().filter((i) => i.InvoiceNumber === '8002')).toHaveLength(1);
    record(sold.id, refund.id, 'refund-sync-xero-lost-answers-found-by-number');
    record(sold.id, 'cancellation', 'refund-sync-xero-cancellation-credit-note');
  });

  it('on a route that books sales as receive money, a refund is spend money out of the same bank account, on the sale’s accounts', async () => {
    // A second route from the shop into the organisation (made here: the tests above count their own writes).
    const created = await harness.operator('POST', '/routes', {
      sourceIntegrationId: harness.shopifyIntegrationId,
      targetIntegrationId: harness.xeroIntegrationId,
      documentNumberPrefix: 'R-',
      ledgerOptions: { saleDocument: 'receive-money' },
    });
    expect(created.status).toBe(201);
    const receivingRouteId = created.body.id as string;
    const sold = order('#8003');
    expect((await harness.syncResultOf(sold.id, receivingRouteId)).outcome).toBe('created');
    const tee = sold.lineItems.find((line) => line.sku === 'TS-RED-M')!;
    const refund = harness.shopify.control.refundOrder(sold.id, { lines: [{ lineItemId: tee.id, quantity: 2 }] });
    const result = await harness.refundResultOf(sold.id, refund.id, receivingRouteId);
    expect(result.outcome).toBe('created');
    expect(result.message).toContain('as spend-money transaction R-8003-R1');
    const [spend, ...others] = spent('R-8003-R1');
    expect(others).toEqual([]);
    const [receive] = harness.xero.emulator.control.bankTransactions(tenant()).filter((t) => t.Type === 'RECEIVE' && String(t.Reference).startsWith('R-8003 '));
    expect(spend).toMatchObject({ Total: 43.2, Status: 'AUTHORISED' });
    expect((spend!.BankAccount as { Code: string }).Code).toBe((receive!.BankAccount as { Code: string }).Code);
    // The shirt line on the item's sales account (a spend line by item alone would take its purchase account).
    expect(linesOf(spend!).map((line: any) => [line.ItemCode, line.AccountCode, line.LineAmount, line.TaxType])).toEqual([['TS-RED-M', '200', 36, 'OUTPUT2']]);
    expect(String(spend!.Reference)).toBe(`R-8003-R1 Shopify #1 order #8003 (id ${sold.id}) refund ${refund.id}, booked by ledgerbridge.`);
    // The invoice route refunds the same refund its own way.
    expect((await harness.refundResultOf(sold.id, refund.id)).message).toContain('as credit note 8003-R1');
    record(sold.id, refund.id, 'refund-sync-xero-spend-money', receivingRouteId);
  });

  it('the histories of these refund bookings replay deterministically', async () => {
    expect(recorded.map((run) => run.fixtureName)).toEqual(['refund-sync-xero-credit-note', 'refund-sync-xero-lost-answers-found-by-number', 'refund-sync-xero-cancellation-credit-note', 'refund-sync-xero-spend-money']);
    expect(await replayErrors(harness.client, recorded)).toEqual([]);
  });
});
