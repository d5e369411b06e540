import { and, eq, inArray } from 'drizzle-orm';
import { payoutSyncs, syncRoutes } from '../db/schema.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import type { ApiDeps } from './api-deps.js';
import { signalParkedSyncs } from './signal-parked.js';

/** Signals every parked payout of the route to try again (after its accounts changed); returns how many were told. */
export async function resumeParkedPayouts(deps: Pick<ApiDeps, 'db' | 'temporal'>, routeId: string): Promise<number> {
  const parked = await deps.db
    .select({ workflowId: payoutSyncs.workflowId })
    .from(payoutSyncs)
    .where(and(eq(payoutSyncs.routeId, routeId), inArray(payoutSyncs.status, ['waiting', 'failed'])));
  return signalParkedSyncs(deps.temporal, parked.map((row) => row.workflowId), payoutRetrySignal);
}

/**
 * Signals the payouts booking into a ledger that wait on `waitingOn` (QuickBooks Desktop's Web Connector, at its
 * next visit), so they go on now rather than at their re-check hours later; returns how many were told.
 */
export async function resumePayoutsWaitingOn(deps: Pick<ApiDeps, 'db' | 'temporal'>, ledgerIntegrationId: string, waitingOn: string): Promise<number> {
  const parked = await deps.db
    .select({ workflowId: payoutSyncs.workflowId })
    .from(payoutSyncs)
    .innerJoin(syncRoutes, eq(syncRoutes.id, payoutSyncs.routeId))
    .where(and(eq(syncRoutes.targetIntegrationId, ledgerIntegrationId), eq(payoutSyncs.status, 'waiting'), eq(payoutSyncs.waitingOn, waitingOn)));
  return signalParkedSyncs(deps.temporal, parked.map((row) => row.workflowId), payoutRetrySignal);
}
