import { proxyActivities } from '@temporalio/workflow';
import type { PayoutPollActivities } from '../activities/payout-poll-activities.js';
import type { PayoutSyncTiming } from './payout-sync.js';

export interface PayoutPollInput {
  routeId: string;
  /** ISO 8601: look at payouts issued after this (default: just before the route's newest known payout, or 30 days). */
  since?: string | null;
  /** Passed to each payout sync it starts (tests shorten re-checks). */
  timing?: Partial<PayoutSyncTiming>;
}

const activities = proxyActivities<PayoutPollActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** One poll of a route's payouts (workflow id `payout-poll/<route>`): starts a payout sync for each new payout. */
export async function payoutPollWorkflow(input: PayoutPollInput): Promise<{ started: string[] }> {
  return activities.pollPayouts(input);
}
