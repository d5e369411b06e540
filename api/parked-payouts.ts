import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import { payoutSyncs, syncRoutes } from '../db/schema.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import type { ApiDeps } from './api-deps.js';

/** Signals every parked payout of the route to try again (after its accounts changed); returns how many were told. */
export async function resumeParkedPayouts(deps: Pick<ApiDeps, 'db' | 'temporal'>, routeId: string): Promise<number> {
  const parked = await deps.db
    .select({ workflowId: payoutSyncs.workflowId })
    .from(payoutSyncs)
    .where(and(eq(payoutSyncs.routeId, routeId), inArray(payoutSyncs.status, ['waiting', 'failed'])));
  return signalRetry(deps, parked);
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
  return signalRetry(deps, parked);
}

async function signalRetry(deps: Pick<ApiDeps, 'temporal'>, parked: Array<{ workflowId: string }>): Promise<number> {
  let told = 0;
  for (const { workflowId } of parked) {
    try {
      await deps.temporal.workflow.getHandle(workflowId).signal(payoutRetrySignal);
      told++;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return told;
}
