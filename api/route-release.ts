import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { releaseRoute, type RouteHaltRow } from '../db/route-halts.js';
import { refundSyncs } from '../db/schema.js';
import { ROUTE_RELEASE_WAIT } from '../domain/sync-error-types.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';
import type { BackgroundResumptions } from './background-resumptions.js';

/**
 * An operator's release of a route's hard stop (the API's and the console's): posting resumes, and every order
 * and refund the halt parked is signalled to go on. Each books once: its booking looks its number up before writing.
 * Null when the route was not halted.
 */
export async function releaseAndResume(
  db: Database,
  temporal: Client,
  resumptions: BackgroundResumptions,
  routeId: string,
  releasedBy: string,
): Promise<{ released: RouteHaltRow; queued: number; resumeId: string | null } | null> {
  const released = await releaseRoute(db, routeId, releasedBy);
  if (!released) return null;
  const { queued, resumeId } = await resumptions.start({ routeId, waitingOn: ROUTE_RELEASE_WAIT }, 'retry', 'route released');
  return { released, queued: queued + (await resumeHaltedRefunds(db, temporal, routeId)), resumeId };
}

/** Refund bookings the halt parked (few: refunds are rare), signalled one by one. */
async function resumeHaltedRefunds(db: Database, temporal: Client, routeId: string): Promise<number> {
  const parked = await db
    .select({ workflowId: refundSyncs.workflowId })
    .from(refundSyncs)
    .where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.waitingOn, ROUTE_RELEASE_WAIT), inArray(refundSyncs.status, ['waiting', 'failed'])));
  let resumed = 0;
  for (const { workflowId } of parked) {
    try {
      await temporal.workflow.getHandle(workflowId).signal(refundRetrySignal);
      resumed++;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return resumed;
}
