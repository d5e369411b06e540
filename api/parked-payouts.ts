import { and, eq, inArray } from 'drizzle-orm';
import { payoutSyncs } from '../db/schema.js';
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

