import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import { payoutSyncs } from '../db/schema.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import type { ApiDeps } from './api-deps.js';

/** Signals every parked payout of the route to try again (after its accounts changed); returns how many were told. */
export async function resumeParkedPayouts(deps: Pick<ApiDeps, 'db' | 'temporal'>, routeId: string): Promise<number> {
  const parked = await deps.db
    .select({ workflowId: payoutSyncs.workflowId })
    .from(payoutSyncs)
    .where(and(eq(payoutSyncs.routeId, routeId), inArray(payoutSyncs.status, ['waiting', 'failed'])));
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
