import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { mugOrder, payoutSteps, vaseOrder } from './support/payout-steps.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

type XeroRecord = Record<string, any>;

/**
 * Payouts into Xero through a clearing bank account: a route that chose one has its sales paid into it (and refunds
 * paid out of it), and each Shopify Payments payout becomes one bank transfer of its net to the bank, with one
 * spend money for its fees and negative adjustments and one receive money for positive ones, so the clearing account
 * nets to zero for the payout's orders. Written once, however often it runs; a payout whose order is not booked waits.
 */
describe('payouts: Shopify Payments → a Xero bank transfer from the clearing account', () => {
  let harness: SyncHarness;
  let clearingId: string;
  const fast = { ordersRecheckMs: 60_000, recheckWaitingMs: 60_000 };
  const { payoutResult, payoutRow, syncUntil, choosePayoutAccounts, payoutParkedWithoutFeeAccount, twoOrdersOneRefunded } = payoutSteps(() => harness, fast);

  beforeAll(async () => {
    harness = await SyncHarness.start({ ledger: 'xero' });
    clearingId = String(harness.xero.emulator.control.addAccount(harness.xero.tenantId, { code: '091', name: 'Shopify Clearing', type: 'BANK' }).AccountID);
    harness.xero.emulator.control.addAccount(harness.xero.tenantId, { code: '410', name: 'Shopify Fees', type: 'EXPENSE' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const control = () => harness.xero.emulator.control;
  const tenant = () => harness.xero.tenantId;
  const transfersOf = (payoutId: string) => control().bankTransfers(tenant()).filter((t) => String(t.Reference).startsWith(`PO-${payoutId} `));
  const sideOf = (payoutId: string, type: 'SPEND' | 'RECEIVE') =>
    control().bankTransactions(tenant()).filter((t) => t.Type === type && String(t.Reference).startsWith(`PO-${payoutId}-${type} `));
  const lines = (document: XeroRecord) => document.LineItems.map((line: XeroRecord) => [line.Description, line.LineAmount, line.AccountCode]);
  /**
   * What the clearing account holds: payments into it (sales) less refund payments out, money received less money
   * spent, transfers out; deleted documents count for nothing.
   */
  function clearingBalance(): number {
    let cents = 0;
    for (const payment of control().payments(tenant()) as XeroRecord[]) {
      if (payment.Account?.AccountID !== clearingId || payment.Status !== 'AUTHORISED') continue;
      cents += Math.round(payment.Amount * 100) * (payment.PaymentType === 'ARCREDITPAYMENT' ? -1 : 1);
    }
    for (const transaction of control().bankTransactions(tenant()) as XeroRecord[]) {
      if (transaction.BankAccount?.AccountID !== clearingId || transaction.Status !== 'AUTHORISED') continue;
      cents += Math.round(transaction.Total * 100) * (String(transaction.Type).startsWith('SPEND') ? -1 : 1);
    }
    return cents / 100;
  }

  const order = (name: string) => mugOrder(harness, name);

  it('route options name the clearing, bank and fee accounts (checked on save); new sales are paid into clearing, earlier ones stay where they were', async () => {
    const before = order('#9000');
    expect((await harness.syncResultOf(before.id)).outcome).toBe('created');
    await choosePayoutAccounts({ clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Business Bank Account', payoutFeeAccount: 'Shopify Fees' }, { name: 'Xero #1', nameMax: 150 });
    const after = order('#9001');
    expect((await harness.syncResultOf(after.id)).outcome).toBe('created');
    const paidInto = (invoiceNumber: string) => {
      const invoice = harness.xeroInvoices().find((i) => i.InvoiceNumber === invoiceNumber)!;
      return harness.xeroPayments().filter((p) => (p.Invoice as XeroRecord | undefined)?.InvoiceID === invoice.InvoiceID).map((p) => (p.Account as XeroRecord).Code);
    };
    expect(paidInto('9000')).toEqual(['090']);
    expect(paidInto('9001')).toEqual(['091']);

    // A payout of the order paid into the bank account, not clearing, parks: it has nothing to take out of clearing.
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: before.id }] });
    const parked = await syncUntil(payout.id, 'waiting');
    expect(parked.lastError.code).toBe('ClearingMismatch');
    expect(parked.lastError.message).toContain('#9000 (account 090) was not booked to a clearing account in Xero #1');
    expect(transfersOf(payout.id)).toEqual([]);
    await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).terminate('test over');
  });

  it('a payout with orders, fees, a refund and adjustments books once, through lost answers and a re-run, and clearing nets to zero', async () => {
    const { a, b } = await twoOrdersOneRefunded('#9101', '#9102');
    // The refund is paid out of the account the sale was paid into: clearing.
    const refundPayment = harness.xeroPayments().find((p) => p.PaymentType === 'ARCREDITPAYMENT' && p.Reference === '9102-R1')!;
    expect((refundPayment.Account as XeroRecord).Code).toBe('091');
    // Two sales of 48.00, a refund of 9.60 out of 9102, and #9001 of the test before: 96.00 − 9.60 + 48.00.
    expect(clearingBalance()).toBe(134.4);

    const payout = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'CHARGE', amount: '48.00', fee: '1.64', orderId: a.id },
        { type: 'CHARGE', amount: '48.00', fee: '1.64', orderId: b.id },
        { type: 'REFUND', amount: '-9.60', orderId: b.id },
        { type: 'ADJUSTMENT', amount: '-2.00', adjustmentReason: 'Currency conversion' },
        { type: 'ADJUSTMENT', amount: '1.50', adjustmentReason: 'Fee refund' },
      ],
    });
    // Xero writes the spend money, the receive money and the transfer, and each answer is lost on the way back.
    control().dropNextWrites(3);
    control().clearRequestLog();
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: payout.id, timing: fast });
    const result = await eventually(async () => (await payoutRow(payout.id)) && payoutResult(payout.id), 'the payout sync');
    expect(result.outcome).toBe('created');
    expect(control().requestLog().filter((r) => r.outcome === 'dropped').map((r) => r.url.split('?')[0]!.split('/').at(-1))).toEqual(['BankTransactions', 'BankTransactions', 'BankTransfers']);

    // 96.00 charged − 9.60 refunded − 3.28 fees − 2.00 + 1.50 adjustments = 82.62, from clearing into the bank.
    const [transfer, ...moreTransfers] = transfersOf(payout.id);
    expect(moreTransfers).toEqual([]);
    expect(transfer).toMatchObject({ Amount: 82.62, Status: 'AUTHORISED', FromBankAccount: { Code: '091' }, ToBankAccount: { Code: '090' } });
    expect(transfer!.Reference).toBe(`PO-${payout.id} Shopify #1 payout ${payout.id}, booked by ledgerbridge.`);
    const [spent, ...moreSpent] = sideOf(payout.id, 'SPEND');
    expect(moreSpent).toEqual([]);
    expect(spent).toMatchObject({ Total: 5.28, BankAccount: { Code: '091' }, Contact: { Name: 'Shopify #1' } });
    expect(lines(spent!)).toEqual([
      [`Payment processing fees, payout ${payout.id}`, 3.28, '410'],
      ['adjustment (Currency conversion)', 2, '410'],
    ]);
    const [received, ...moreReceived] = sideOf(payout.id, 'RECEIVE');
    expect(moreReceived).toEqual([]);
    expect(lines(received!)).toEqual([['adjustment (Fee refund)', 1.5, '410']]);
    // What the payout's orders put in clearing is gone; #9001 (not in this payout) is what is left.
    expect(clearingBalance()).toBe(48);
    expect(await payoutRow(payout.id)).toMatchObject({ status: 'synced', net: '82.62', currency: 'GBP', ledgerDocNumber: `PO-${payout.id}` });

    // Run again (a poll from an earlier date, a re-run by hand): it finds the transfer and writes nothing.
    const writesBefore = control().requestLog().filter((r) => r.method !== 'GET').length;
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: payout.id });
    const again = await payoutResult(payout.id);
    expect(again.outcome).toBe('already_synced');
    expect(again.message).toContain(`as bank transfer PO-${payout.id}`);
    expect(control().requestLog().filter((r) => r.method !== 'GET').length).toBe(writesBefore);
    expect([transfersOf(payout.id).length, sideOf(payout.id, 'SPEND').length, sideOf(payout.id, 'RECEIVE').length]).toEqual([1, 1, 1]);
    expect(clearingBalance()).toBe(48);
  });

  it('a payout whose order is not booked yet waits for it, then transfers once it is', async () => {
    const vase = vaseOrder(harness, '#9201');
    await eventually(async () => (await harness.orderRow(vase.id))?.status === 'waiting', 'the order to wait for its SKU');
    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '36.00', fee: '0.90', orderId: vase.id }] });
    const waiting = await syncUntil(payout.id, 'waiting_for_orders');
    expect(waiting.lastError.message).toBe(`Payout ${payout.id} waits for #9201 to be booked first.`);
    expect(transfersOf(payout.id)).toEqual([]);

    control().addItem(tenant(), { code: 'VASE-1', name: 'Vase', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 30 });
    const mapped = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/VASE-1`, { ledgerItemId: 'VASE-1' });
    expect(mapped.status).toBe(200);
    expect((await harness.syncResultOf(vase.id)).outcome).toBe('created');
    await harness.operator('POST', `/routes/${harness.routeId}/payouts/${payout.id}/retry`);
    expect((await payoutResult(payout.id)).outcome).toBe('created');
    expect(transfersOf(payout.id).map((t) => t.Amount)).toEqual([35.1]);
    expect(sideOf(payout.id, 'SPEND').map((t) => t.Total)).toEqual([0.9]);
    expect(sideOf(payout.id, 'RECEIVE')).toEqual([]);
  });

  it('a payout parks saying which account to choose when the route has none for its fees, and goes on once it is chosen', async () => {
    const { payout, chooseAndBook } = await payoutParkedWithoutFeeAccount('#9401', 'Xero', 'Shopify Fees');
    expect(transfersOf(payout.id)).toEqual([]);
    await chooseAndBook();
    expect(transfersOf(payout.id).map((t) => t.Amount)).toEqual([46.8]);
    expect(sideOf(payout.id, 'SPEND').map(lines)).toEqual([[[`Payment processing fees, payout ${payout.id}`, 1.2, '410']]]);
  });

  it('on a route that books sales as money received, the sale goes into clearing, its refund is spent from it, and the payout transfers the rest', async () => {
    // A second route from the shop into the organisation, made last: from now on every order books in both routes.
    const created = await harness.operator('POST', '/routes', {
      sourceIntegrationId: harness.shopifyIntegrationId,
      targetIntegrationId: harness.xeroIntegrationId,
      documentNumberPrefix: 'R-',
      ledgerOptions: { saleDocument: 'receive-money', clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Business Bank Account', payoutFeeAccount: 'Shopify Fees' },
    });
    expect(created.status).toBe(201);
    const routeId = created.body.id as string;
    const sale = order('#9501');
    expect((await harness.syncResultOf(sale.id, routeId)).outcome).toBe('created');
    const received = control().bankTransactions(tenant()).filter((t) => t.Type === 'RECEIVE' && String(t.Reference).startsWith('R-9501 '));
    expect(received.map((t) => [t.Total, (t.BankAccount as XeroRecord).Code])).toEqual([[48, '091']]);
    const refund = harness.shopify.control.refundOrder(sale.id, { lines: [{ lineItemId: sale.lineItems[0]!.id, quantity: 1, restockType: 'NO_RESTOCK' }] });
    expect((await harness.refundResultOf(sale.id, refund.id, routeId)).outcome).toBe('created');
    const spentBack = control().bankTransactions(tenant()).filter((t) => t.Type === 'SPEND' && String(t.Reference).startsWith('R-9501-R1 '));
    expect(spentBack.map((t) => [t.Total, (t.BankAccount as XeroRecord).Code])).toEqual([[9.6, '091']]);

    const before = clearingBalance();
    const payout = harness.shopify.control.createPayout({
      currency: 'GBP',
      transactions: [
        { type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: sale.id },
        { type: 'REFUND', amount: '-9.60', orderId: sale.id },
      ],
    });
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId, payoutId: payout.id, timing: fast });
    const result = await eventually(async () => {
      const row = (await harness.operator('GET', `/routes/${routeId}/payouts`)).body.payouts.find((p: any) => p.payoutId === payout.id);
      return row && harness.handle(payoutSyncWorkflowId(routeId, payout.id)).result();
    }, 'the payout sync of the second route');
    expect(result.outcome).toBe('created');
    const transfers = control().bankTransfers(tenant()).filter((t) => String(t.Reference).startsWith(`R-PO-${payout.id} `));
    expect(transfers.map((t) => [t.Amount, (t.FromBankAccount as XeroRecord).Code, (t.ToBankAccount as XeroRecord).Code])).toEqual([[37.2, '091', '090']]);
    // The transfer and the fees take out of clearing exactly what the sale less its refund put in.
    expect(Math.round((before - clearingBalance()) * 100) / 100).toBe(38.4);
  });
});
