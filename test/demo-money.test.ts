import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePayoutAccounts, seedDemoMoney, type DemoMoneyPlan } from '../scripts/demo-money.js';
import { mugOrder } from './support/payout-steps.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * The money side of `npm start`'s demo (scripts/demo-money.ts) against the emulators, the worker and the API, without
 * the rest of `npm start`: a booked order's refund, its payout and an audit, each made once, through the product's own
 * paths (the refund webhook, a payout poll, the audit API); a second run (a kept demo) finds them and makes nothing.
 */
describe("the demo's refund, payout and audit", () => {
  let harness: SyncHarness;
  let plan: DemoMoneyPlan;

  beforeAll(async () => {
    harness = await SyncHarness.start();
    plan = { shop: harness.shop, orderName: '#1001', routeIds: [harness.routeId], timeoutMs: 60_000, pollMs: 100 };
  });
  afterAll(async () => {
    await harness?.close();
  });

  const depositsOf = (payoutId: string) =>
    harness.qbo.control.documents(harness.realmId, 'Deposit').map((d) => d.record as Record<string, any>).filter((d) => d.PrivateNote.includes(`payout ${payoutId},`));

  it('leaves a route without a clearing account alone (a kept demo made before the demo had payouts)', async () => {
    const sale = mugOrder(harness, '#1001');
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    const report = await seedDemoMoney(harness.operator.bind(harness), harness.shopify.control, plan);
    expect(report.lines).toEqual([expect.stringContaining('No refund, payout or audit in this demo')]);
    expect(harness.shopify.control.orders(harness.shop).find((o) => o.id === sale.id)!.refunds ?? []).toHaveLength(0);
    expect(harness.shopify.control.payouts(harness.shop)).toHaveLength(0);
    // What `npm start` does next for a fresh demo, before its orders: the sale above keeps Undeposited Funds.
    harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Clearing', type: 'Other Current Asset' });
    harness.qbo.control.addAccount(harness.realmId, { name: 'Shopify Fees', type: 'Expense' });
    await choosePayoutAccounts(harness.operator.bind(harness), [
      { routeId: harness.routeId, accounts: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' } },
    ]);
    const routes = (await harness.operator('GET', '/routes')).body.routes;
    expect(routes.find((r: any) => r.id === harness.routeId).ledgerOptions).toMatchObject({ clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking' });
  });

  it('refunds one unit of the booked order, deposits its payout once from clearing and audits the route; run again, it makes nothing twice', async () => {
    // A fresh demo: the order is booked after the accounts were chosen, so its sale is paid into clearing.
    const sale = mugOrder(harness, '#2001');
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    const fresh = await seedDemoMoney(harness.operator.bind(harness), harness.shopify.control, { ...plan, orderName: '#2001' });

    // One mug of five back (8.00 + 1.60 VAT), booked from refunds/create as the sale's refund receipt.
    expect(fresh.refund!.total).toBe('9.60');
    expect(harness.refundReceiptTotals('2001')).toEqual([['2001-R1', 9.6]]);
    // 48.00 charged − 9.60 refunded − 1.69 fees (2.9 % + 0.30) = 36.71, one deposit into Checking that clears the order.
    const payout = fresh.payout!;
    const [deposit, ...more] = depositsOf(payout.id);
    expect(more).toHaveLength(0);
    expect(deposit!.TotalAmt).toBe(36.71);
    expect(deposit!.Line.map((l: any) => [l.Description, l.Amount])).toEqual([
      ['Order #2001: payment', 48],
      ['Order #2001: refund', -9.6],
      [`Payment processing fees, payout ${payout.id}`, -1.69],
    ]);
    const audit = (await harness.operator('GET', `/routes/${harness.routeId}/audits/${fresh.auditId}`)).body;
    expect(audit).toMatchObject({ status: 'done', trigger: 'on_demand' });
    expect(audit.report.payouts.checked).toBe(true);
    expect(audit.summary.payout_missing_in_ledger + audit.summary.payout_amount_mismatch + audit.summary.deposit_without_payout).toBe(0);
    expect(fresh.lines).toEqual([
      `Refunded 9.60 GBP of #2001 (1 × Mug) in the shop; its refunds/create webhook booked it: 2001-R1 on ${harness.routeId}.`,
      `Issued Shopify Payments payout ${payout.id}: 48.00 charged − 9.60 refunded − 1.69 fees = 36.71 GBP; a payout poll booked it as one deposit each, clearing #2001 to zero: PO-${payout.id} on ${harness.routeId}.`,
      expect.stringMatching(new RegExp(`^Audited route ${harness.routeId} for \\d{4}-\\d{2}-\\d{2}…\\d{4}-\\d{2}-\\d{2}: done, .*payouts compared with their deposits; its report: /console/routes/${harness.routeId}/audits\\.$`)),
    ]);

    // A kept demo starts again: everything is found, nothing is made twice.
    const kept = await seedDemoMoney(harness.operator.bind(harness), harness.shopify.control, { ...plan, orderName: '#2001' });
    expect(kept.lines.map((line) => line.split(' ')[0])).toEqual(['Kept', 'Kept', 'Kept']);
    expect([kept.refund!.id, kept.payout!.id, kept.auditId]).toEqual([fresh.refund!.id, payout.id, fresh.auditId]);
    expect(harness.shopify.control.orders(harness.shop).find((o) => o.id === sale.id)!.refunds).toHaveLength(1);
    expect(harness.shopify.control.payouts(harness.shop)).toHaveLength(1);
    expect(harness.refundReceiptTotals('2001')).toEqual([['2001-R1', 9.6]]);
    expect(depositsOf(payout.id)).toHaveLength(1);
    expect((await harness.operator('GET', `/routes/${harness.routeId}/audits`)).body.audits).toHaveLength(1);
  });
});
