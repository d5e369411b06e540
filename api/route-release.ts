import type { Client } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { releaseRoute, type RouteHaltRow } from '../db/route-halts.js';
import { payoutSyncs, refundSyncs } from '../db/schema.js';
import { ROUTE_RELEASE_WAIT } from '../domain/sync-error-types.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';
import type { BackgroundResumptions } from './background-resumptions.js';
import { signalParkedSyncs } from './signal-parked.js';

/**
 * An operator's release of a route's hard stop (the API's and the console's): posting resumes, and every order,
 * refund and payout the halt parked is signalled to go on. Each books once: its booking looks its number up before
 * writing. Null when the route was not halted.
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
  const refunds = await signalParkedSyncs(temporal, await haltedRefunds(db, routeId), refundRetrySignal);
  const payouts = await signalParkedSyncs(temporal, await haltedPayouts(db, routeId), payoutRetrySignal);
  return { released, queued: queued + refunds + payouts, resumeId };
}

/** Refund bookings the halt parked (few: refunds are rare). */
async function haltedRefunds(db: Database, routeId: string): Promise<string[]> {
  const rows = await db
    .select({ workflowId: refundSyncs.workflowId })
    .from(refundSyncs)
    .where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.waitingOn, ROUTE_RELEASE_WAIT), inArray(refundSyncs.status, ['waiting', 'failed'])));
  return rows.map((row) => row.workflowId);
}

/** Payout deposits the halt parked (a few a day per route); rows from before "halted" existed say "waiting". */
async function haltedPayouts(db: Database, routeId: string): Promise<string[]> {
  const rows = await db
    .select({ workflowId: payoutSyncs.workflowId })
    .from(payoutSyncs)
    .where(and(eq(payoutSyncs.routeId, routeId), eq(payoutSyncs.waitingOn, ROUTE_RELEASE_WAIT), inArray(payoutSyncs.status, ['halted', 'waiting', 'failed'])));
  return rows.map((row) => row.workflowId);
}
