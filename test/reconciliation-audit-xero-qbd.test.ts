import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRoute } from './support/audit-runs.js';
import { inPoundsToo, qbdTestCompany } from './support/qbd-test-company.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * The reconciliation audit on routes into Xero and QuickBooks Desktop, as test/reconciliation-audit.test.ts does it
 * for QuickBooks Online: each ledger lists its sale documents by date (Xero: `where` on Date, paged; QuickBooks
 * Desktop: SalesReceiptQuery with TxnDateRangeFilter through the Web Connector emulator polling the API). The
 * duplicate is injected in each emulated ledger through its control.
 */
describe('reconciliation audit of Xero and QuickBooks Desktop routes', () => {
  let harness: SyncHarness;
  const today = new Date().toISOString().slice(0, 10);
  let booked: { id: string; name: string };
  let missing: { id: string; name: string };

  beforeAll(async () => {
    harness = await SyncHarness.start({
      alsoRouteTo: ['xero', 'qbd'],
      qbd: inPoundsToo(
        qbdTestCompany([
          { name: 'MUG-1', price: '8.00', description: 'Mug' },
          { name: 'Shipping', price: '0.00' },
        ]),
      ),
    });
    harness.qbd!.connector.start();
    // One order booked on every route; the next one's webhook is lost, so no route ever saw it.
    booked = harness.shopify.control.createOrder({ name: '#6001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
    for (const routeId of [harness.extraRouteIds.xero!, harness.extraRouteIds.qbd!]) expect((await harness.syncResultOf(booked.id, routeId)).outcome).toBe('created');
    await harness.shopify.control.webhooksIdle();
    harness.shopify.control.dropWebhooks(1);
    missing = harness.shopify.control.createOrder({ name: '#6002', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const audit = (routeId: string) => auditRoute(harness, routeId, { from: today, to: today });

  async function expectFindsAndHalts(routeId: string, ledgerName: string, kept: string, extra: { id: string; number: string }) {
    const { result, report } = await audit(routeId);
    expect(result.notAudited).toBeUndefined();
    expect(result.halted).toBe(true);
    expect(report.summary).toMatchObject({ missing_in_ledger: 1, duplicate_document: 1, amount_mismatch: 0, document_without_order: 0 });
    const line = (kind: string) => report.lines.find((l: any) => l.kind === kind);
    expect(line('missing_in_ledger')).toMatchObject({ orderName: '#6002', fix: `Replay order #6002: POST /routes/${routeId}/orders/${missing.id}/sync.` });
    expect(line('duplicate_document')).toMatchObject({
      orderName: '#6001',
      fix: `Void document ${extra.id}, a duplicate of ${kept} (${extra.number === '6001' ? 'both numbered 6001' : `numbered ${extra.number} and 6001`}), then release the route.`,
    });
    // Both ledgers list their payout documents by date, so payouts are compared too (the shop paid none out here:
    // test/payout-audit-xero-qbd.test.ts has those).
    expect(report.payouts).toEqual({ checked: true, note: `Paid payouts compared with their deposits in ${ledgerName}.` });
    expect(report.summary).toMatchObject({ payout_missing_in_ledger: 0, payout_amount_mismatch: 0, deposit_without_payout: 0 });
    const halt = await harness.operator('GET', `/routes/${routeId}/halt`);
    expect(halt.body).toMatchObject({ halted: true, halt: { reason: 'duplicate_document' } });
    expect(halt.body.halt.message).toContain(`void document ${extra.id}, a duplicate of ${kept}`);
  }

  it('a Xero route: the audit lists invoices by date, finds the missing order and a second invoice of #6001, and halts the route', async () => {
    const routeId = harness.extraRouteIds.xero!;
    const invoice = harness.xeroInvoices().find((i) => i.InvoiceNumber === '6001')!;
    // Xero keeps invoice numbers unique: the second copy takes the next number, with the same Reference (our marker).
    const copy = harness.xero.emulator.control.duplicateInvoice(harness.xero.tenantId, String(invoice.InvoiceID));
    await expectFindsAndHalts(routeId, 'Xero #1', String(invoice.InvoiceID), { id: String(copy.InvoiceID), number: String(copy.InvoiceNumber) });
    // Only the Xero route stopped.
    expect((await harness.operator('GET', `/routes/${harness.extraRouteIds.qbd!}/halt`)).body.halted).toBe(false);
  });

  it('a QuickBooks Desktop route: the audit lists sales receipts by TxnDate through the Web Connector, finds the missing order and the duplicate, and halts the route', async () => {
    const routeId = harness.extraRouteIds.qbd!;
    const company = harness.qbd!.company.company;
    const receipt = company.salesReceipts.find((r) => r.refNumber === '6001')!;
    const copy = company.duplicateSalesReceipt(receipt.txnId);
    await expectFindsAndHalts(routeId, 'QuickBooks Desktop #1', receipt.txnId, { id: copy.txnId, number: '6001' });
    // The listing went through the Web Connector as one SalesReceiptQuery by TxnDate.
    expect(harness.qbd!.company.requestSets.some((set) => set.includes(`<TxnDateRangeFilter><FromTxnDate>${today}</FromTxnDate><ToTxnDate>${today}</ToTxnDate></TxnDateRangeFilter>`))).toBe(true);
  });
});
