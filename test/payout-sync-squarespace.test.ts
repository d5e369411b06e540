import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePayoutPollSchedule } from '../runtime/payout-poll-schedule.js';
import { payoutSteps } from './support/payout-steps.js';
import { SyncHarness } from './support/sync-harness.js';

/** Squarespace has no payout API (squarespace.md: payouts live at the gateway): its routes say so, and never retry. */
describe('payouts: a Squarespace route says plainly that Squarespace reports no payouts', () => {
  let harness: SyncHarness;
  const { payoutResult, syncUntil } = payoutSteps(() => harness, { ordersRecheckMs: 60_000, recheckWaitingMs: 60_000 });

  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'squarespace' });
  }, 120_000);
  afterAll(async () => {
    if (harness) await deletePayoutPollSchedule(harness.client, harness.routeId).catch(() => false);
    await harness?.close();
  });

  it('a poll finds no payouts and ends; a payout asked for by id is skipped saying to book it by hand or from the processor', async () => {
    const poll = await harness.operator('POST', `/routes/${harness.routeId}/payouts/poll`, {});
    expect(poll.status).toBe(202);
    expect(await harness.handle(poll.body.workflowId).result()).toEqual({ started: [] });

    const skipped = await syncUntil('po_from_stripe', 'skipped');
    expect(skipped.lastError.message).toBe(
      'Payout po_from_stripe was not booked: Squarespace #1 has no payout API, so ledgerbridge cannot read its payouts; book payouts by hand or from your processor.',
    );
    expect((await payoutResult('po_from_stripe')).outcome).toBe('skipped');
    expect(harness.qbo.control.documents(harness.realmId, 'Deposit')).toHaveLength(0);
  });
});
