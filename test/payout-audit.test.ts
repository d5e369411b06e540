import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { RECONCILIATION_AUDIT_ID_PREFIX, type ReconciliationAuditResult } from '../workflows/reconciliation-audit.js';
import { chooseQboPayoutAccounts } from './support/payout-steps.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/**
 * Payouts in the reconciliation audit and under the hard stop, end to end: real Temporal, the Shopify and QuickBooks
 * Online emulators, the API. The ledger's side is changed behind ledgerbridge's back through the emulator's control API.
 */
describe('payouts in the reconciliation audit and the hard stop', () => {
  let harness: SyncHarness;
  const today = new Date().toISOString().slice(0, 10);
  const fast = { ordersRecheckMs: 60_000, recheckWaitingMs: 60_000, recheckFailedMs: 60_000 };

  beforeAll(async () => {
    harness = await SyncHarness.start();
    await chooseQboPayoutAccounts(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const depositsOf = (payoutId: string) =>
    harness.qbo.control.documents(harness.realmId, 'Deposit').map((d) => d.record as Record<string, any>).filter((d) => d.PrivateNote.includes(`payout ${payoutId},`));
  const payoutRow = async (payoutId: string) => (await harness.operator('GET', `/routes/${harness.routeId}/payouts`)).body.payouts.find((p: any) => p.payoutId === payoutId);
  const emulatorControl = async (path: string, body: unknown = {}) => {
    const answer = await fetch(`${harness.qbo.origin}/_emulator/realms/${harness.realmId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(answer.status).toBe(200);
    return (await answer.json()) as { Id: string };
  };
  /** An order of 48.00 GBP (40.00 and 8.00 VAT), as the payout tests book them. */
  const order = (name: string) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      taxesIncluded: false,
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 5, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '8.00' }] }],
    });
  /** A booked order and a paid payout of it (fee 1.20): 46.80 reaches the bank. */
  async function paidOrder(name: string) {
    const sale = order(name);
    expect((await harness.syncResultOf(sale.id)).outcome).toBe('created');
    return harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: sale.id }] });
  }
  async function deposit(payoutId: string): Promise<string> {
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId, timing: fast });
    const result = await harness.handle(payoutSyncWorkflowId(harness.routeId, payoutId)).result();
    expect(result.outcome).toBe('created');
    return result.ledgerDocument!.id;
  }
  async function runAudit(): Promise<{ result: ReconciliationAuditResult; report: any }> {
    const started = await harness.operator('POST', `/routes/${harness.routeId}/audits`, { from: today, to: today });
    expect(started.status).toBe(202);
    const result: ReconciliationAuditResult = await harness.handle(`${RECONCILIATION_AUDIT_ID_PREFIX}${harness.routeId}/${started.body.auditId}`).result();
    const answer = await harness.operator('GET', `/routes/${harness.routeId}/audits/${started.body.auditId}`);
    expect(answer.body.status).toBe('done');
    return { result, report: answer.body.report };
  }
  const payoutLines = (report: any) => report.lines.filter((line: any) => line.payoutId);

  it('reports a paid payout with no deposit (replayed by its fix), a deposit changed in the ledger, and a deposit posted twice', async () => {
    const matched = await paidOrder('#8601');
    await deposit(matched.id);
    const changed = await paidOrder('#8602');
    const changedDeposit = await deposit(changed.id);
    const doubled = await paidOrder('#8603');
    const doubledDeposit = await deposit(doubled.id);
    // Nobody polled: ledgerbridge never saw this payout.
    const unseen = await paidOrder('#8604');
    // Behind ledgerbridge's back: a bookkeeper edits one deposit, something posts another a second time.
    await emulatorControl(`/deposits/${changedDeposit}/total`, { totalAmt: 40 });
    const second = await emulatorControl(`/deposits/${doubledDeposit}/duplicate`);

    const { result, report } = await runAudit();
    // The payout deposited twice pulls the hard stop, as an order booked twice does.
    expect(result.halted).toBe(true);
    const halt = await harness.operator('GET', `/routes/${harness.routeId}/halt`);
    expect(halt.body).toMatchObject({ halted: true, halt: { reason: 'duplicate_document' } });
    expect(halt.body.halt.message).toContain(`found a payout booked twice in QuickBooks Online #1: payout ${doubled.id}: void document ${second.Id}, a duplicate of ${doubledDeposit}`);
    expect(report.payouts.checked).toBe(true);
    expect(report.summary).toMatchObject({ payout_missing_in_ledger: 1, deposit_without_payout: 1, payout_amount_mismatch: 1, missing_in_ledger: 0, duplicate_document: 0 });
    const found = payoutLines(report).map((line: any) => [line.kind, line.payoutId]);
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        ['payout_amount_mismatch', changed.id],
        ['deposit_without_payout', doubled.id],
        ['payout_missing_in_ledger', unseen.id],
      ]),
    );
    const line = (kind: string) => report.lines.find((l: any) => l.kind === kind);
    expect(line('payout_missing_in_ledger')).toMatchObject({
      message: `Payout ${unseen.id} (46.80 GBP) reached the bank but QuickBooks Online #1 has no deposit for it and ledgerbridge never saw it.`,
      fix: `Replay payout ${unseen.id}: POST /routes/${harness.routeId}/payouts/${unseen.id}/sync.`,
    });
    expect(line('payout_amount_mismatch')).toMatchObject({
      message: `QuickBooks Online #1 has 40.00 GBP on deposit PO-${changed.id} (id ${changedDeposit}); payout ${changed.id} put 46.80 GBP in the bank.`,
      fix: `Correct deposit PO-${changed.id} (id ${changedDeposit}) in QuickBooks Online #1 to 46.80 GBP.`,
    });
    expect(line('deposit_without_payout').fix).toBe(`Void deposit ${second.Id}, a second deposit of payout ${doubled.id} (kept: ${doubledDeposit}).`);
    expect(report.fixes).toContain(`Replay payout ${unseen.id}: POST /routes/${harness.routeId}/payouts/${unseen.id}/sync.`);

    // The bookkeeper follows the fixes and releases the route: the payout is deposited once, and the next audit no longer reports it.
    expect((await harness.operator('POST', `/routes/${harness.routeId}/release`)).status).toBe(200);
    const replay = await harness.operator('POST', `/routes/${harness.routeId}/payouts/${unseen.id}/sync`);
    expect(replay.status).toBe(202);
    expect((await harness.handle(replay.body.workflowId).result()).outcome).toBe('created');
    expect(depositsOf(unseen.id)).toHaveLength(1);
    const again = await runAudit();
    expect(again.report.summary).toMatchObject({ payout_missing_in_ledger: 0, deposit_without_payout: 1, payout_amount_mismatch: 1 });
    // The second deposit is still there (nobody voided it): the route halts again until it is.
    expect(again.result.halted).toBe(true);
    expect((await harness.operator('POST', `/routes/${harness.routeId}/release`)).status).toBe(200);
  });

  it('a payout parked because the route was halted waits as halted, and books once when the operator releases the route', async () => {
    // The audit finds an order in the ledger twice and stops the route.
    const sale = order('#8701');
    const booked = await harness.syncResultOf(sale.id);
    expect(booked.outcome).toBe('created');
    await emulatorControl(`/sales-receipts/${booked.ledgerDocument!.id}/duplicate`);
    expect((await runAudit()).result.halted).toBe(true);

    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '48.00', fee: '1.20', orderId: sale.id }] });
    // Re-checks an hour away: only the release can send it on within this test.
    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: payout.id, timing: { ordersRecheckMs: 3_600_000, recheckWaitingMs: 3_600_000, recheckFailedMs: 3_600_000 } });
    const halted = await eventually(async () => {
      const row = await payoutRow(payout.id);
      return row?.status === 'halted' && row;
    }, 'the payout to wait as halted');
    expect(halted.lastError.message).toContain(`Payout ${payout.id} is halted: posting on this route stopped.`);
    expect((await harness.operator('GET', `/routes/${harness.routeId}/payouts?status=halted`)).body.payouts.map((p: any) => p.payoutId)).toEqual([payout.id]);
    expect(depositsOf(payout.id)).toHaveLength(0);

    const release = await harness.operator('POST', `/routes/${harness.routeId}/release`);
    expect(release.status).toBe(200);
    expect(release.body.queued).toBe(1);
    const result = await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).result();
    expect(result.outcome).toBe('created');
    expect(await payoutRow(payout.id)).toMatchObject({ status: 'synced', ledgerDocNumber: `PO-${payout.id}` });
    expect(depositsOf(payout.id)).toHaveLength(1);
  });
});
