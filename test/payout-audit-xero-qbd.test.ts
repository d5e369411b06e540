import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { auditRoute } from './support/audit-runs.js';
import { inPoundsToo, POUND_BANK, qbdPayoutTestCompany } from './support/qbd-test-company.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * Payouts in the reconciliation audit of routes into Xero and QuickBooks Desktop, as test/payout-audit.test.ts does it
 * for QuickBooks Online: Xero lists its bank transfers by Date (`where`), QuickBooks Desktop its deposits by TxnDate
 * through the Web Connector. The same three paid payouts meet both routes: one booked, one booked and then changed in
 * the ledger (through the emulator's control), one never booked.
 */
describe('payouts in the reconciliation audit of Xero and QuickBooks Desktop routes', () => {
  let harness: SyncHarness;
  const today = new Date().toISOString().slice(0, 10);
  const fast = { ordersRecheckMs: 60_000, recheckWaitingMs: 60_000, recheckFailedMs: 60_000 };
  const documents: Record<'xero' | 'qbd', Record<string, string>> = { xero: {}, qbd: {} };
  let matched: { id: string; currency: string };
  let changed: { id: string; currency: string };
  let unseen: { id: string; currency: string };

  beforeAll(async () => {
    harness = await SyncHarness.start({
      alsoRouteTo: ['xero', 'qbd'],
      // The pound shop also books into Xero's pound organisation: the QuickBooks Desktop company takes pounds too.
      qbd: inPoundsToo(qbdPayoutTestCompany()),
    });
    harness.qbd!.connector.start();
    harness.xero.emulator.control.addAccount(harness.xero.tenantId, { code: '091', name: 'Shopify Clearing', type: 'BANK' });
    harness.xero.emulator.control.addAccount(harness.xero.tenantId, { code: '410', name: 'Shopify Fees', type: 'EXPENSE' });
    // QuickBooks Desktop deposits the pound payouts to its bank account in pounds (a dollar one would make them wait).
    const options = { xero: 'Business Bank Account', qbd: POUND_BANK } as const;
    for (const ledger of ['xero', 'qbd'] as const) {
      const chosen = await harness.operator('PUT', `/routes/${harness.extraRouteIds[ledger]!}/ledger-options`, {
        ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: options[ledger], payoutFeeAccount: 'Shopify Fees' },
      });
      expect(chosen.status).toBe(200);
    }
    /** Two mugs (16.00) booked on both routes, paid out with a fee of 0.50: 15.50 reaches the bank. */
    const paidOrder = async (name: string) => {
      const sale = harness.shopify.control.createOrder({ name, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
      for (const ledger of ['xero', 'qbd'] as const) expect((await harness.syncResultOf(sale.id, harness.extraRouteIds[ledger]!)).outcome).toBe('created');
      return harness.shopify.control.createPayout({ transactions: [{ type: 'CHARGE', amount: '16.00', fee: '0.50', orderId: sale.id }] });
    };
    matched = await paidOrder('#8801');
    changed = await paidOrder('#8802');
    // Nobody polled: no route ever saw this payout.
    unseen = await paidOrder('#8803');
    for (const ledger of ['xero', 'qbd'] as const) {
      const routeId = harness.extraRouteIds[ledger]!;
      for (const payout of [matched, changed]) {
        await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId, payoutId: payout.id, timing: fast });
        const result = await harness.handle(payoutSyncWorkflowId(routeId, payout.id)).result();
        expect(result.outcome).toBe('created');
        documents[ledger][payout.id] = result.ledgerDocument!.id;
      }
    }
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const audit = (routeId: string) => auditRoute(harness, routeId, { from: today, to: today });

  /** The booked payout matches (no line); the changed one and the unseen one are reported with their fixes. */
  async function expectPayoutLines(ledger: 'xero' | 'qbd', ledgerName: string, kind: string, changedNumber: string) {
    const routeId = harness.extraRouteIds[ledger]!;
    const { result, report } = await audit(routeId);
    expect(result.halted).toBe(false);
    expect(report.payouts).toEqual({ checked: true, note: `Paid payouts compared with their deposits in ${ledgerName}.` });
    expect(report.summary).toMatchObject({ payout_missing_in_ledger: 1, payout_amount_mismatch: 1, deposit_without_payout: 0, missing_in_ledger: 0, duplicate_document: 0 });
    const payoutLines = report.lines.filter((line: any) => line.payoutId);
    expect(payoutLines.map((line: any) => [line.kind, line.payoutId])).toEqual(
      expect.arrayContaining([
        ['payout_missing_in_ledger', unseen.id],
        ['payout_amount_mismatch', changed.id],
      ]),
    );
    expect(payoutLines).toHaveLength(2);
    const line = (k: string) => payoutLines.find((l: any) => l.kind === k);
    expect(line('payout_missing_in_ledger')).toMatchObject({
      message: `Payout ${unseen.id} (15.50 ${currency()}) reached the bank but ${ledgerName} has no ${kind} for it and ledgerbridge never saw it.`,
      fix: `Replay payout ${unseen.id}: POST /routes/${routeId}/payouts/${unseen.id}/sync.`,
    });
    const changedId = documents[ledger][changed.id]!;
    expect(line('payout_amount_mismatch')).toMatchObject({
      message: `${ledgerName} has 10.00 on ${kind} ${changedNumber} (id ${changedId}); payout ${changed.id} put 15.50 ${currency()} in the bank.`,
      fix: `Correct ${kind} ${changedNumber} (id ${changedId}) in ${ledgerName} to 15.50 ${currency()}.`,
    });
  }
  const currency = () => unseen.currency;

  it('a Xero route: bank transfers listed by Date; a booked payout matches, a changed transfer and a payout never booked are reported', async () => {
    const control = harness.xero.emulator.control;
    // A bookkeeper edits the transfer's amount in Xero.
    control.correctBankTransfer(harness.xero.tenantId, documents.xero[changed.id]!, 10);
    control.clearRequestLog();
    await expectPayoutLines('xero', 'Xero #1', 'bank transfer', `PO-${changed.id}`);
    const listings = control.requestLog().filter((r) => r.method === 'GET' && r.url.split('?')[0]!.endsWith('/BankTransfers'));
    const [y, m, d] = today.split('-');
    const where = `Date>=DateTime(${y}, ${m}, ${d}) AND Date<=DateTime(${y}, ${m}, ${d})`;
    expect(listings.map((r) => new URL(r.url, 'http://x').searchParams.get('where'))).toContain(where);
  });

  it('a QuickBooks Desktop route: deposits listed by TxnDate through the Web Connector; a booked payout matches, a changed deposit and a payout never booked are reported', async () => {
    const company = harness.qbd!.company.company;
    company.correctDeposit(documents.qbd[changed.id]!, '10.00');
    await expectPayoutLines('qbd', 'QuickBooks Desktop #1', 'deposit', `PO-${changed.id.slice(-8)}`);
    expect(
      harness.qbd!.company.requestSets.some((set) => set.includes('<DepositQueryRq') && set.includes(`<TxnDateRangeFilter><FromTxnDate>${today}</FromTxnDate><ToTxnDate>${today}</ToTxnDate></TxnDateRangeFilter>`)),
    ).toBe(true);
  });
});
