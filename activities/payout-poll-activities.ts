import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { payoutSyncs } from '../db/schema.js';
import { startPayoutSync } from '../runtime/payout-sync-starter.js';
import type { PayoutSyncTiming } from '../workflows/payout-sync.js';
import type { RouteConnections } from './route-connections.js';
import { againstPlatform } from './sync-failures.js';
import { PayoutsUnavailableError, unavailable } from '../domain/payouts-unavailable.js';

/** How far back the first poll of a route looks for payouts. */
const FIRST_POLL_DAYS = 30;

/**
 * Shopify sends no webhook for payouts (its WebhookSubscriptionTopic has none), so payouts are found by polling:
 * the payouts issued since the route's newest known one (or 30 days), each not booked or skipped yet started as its
 * own payout sync.
 */
export function createPayoutPollActivities(deps: { db: Database; connections: RouteConnections; client: Client; taskQueue: () => string }) {
  return {
    async pollPayouts(input: { routeId: string; since?: string | null; timing?: Partial<PayoutSyncTiming> }): Promise<{ started: string[] }> {
      const { integration, source } = await deps.connections.commerceSource(input.routeId);
      if (!source.listPayoutsIssuedSince) return { started: [] };
      const known = await deps.db.select({ payoutId: payoutSyncs.payoutId, status: payoutSyncs.status, issuedAt: payoutSyncs.issuedAt }).from(payoutSyncs).where(eq(payoutSyncs.routeId, input.routeId));
      const newest = known.map((row) => row.issuedAt).filter((at): at is string => !!at).sort().at(-1);
      const since = input.since ?? (newest ? new Date(Date.parse(newest) - 1000).toISOString() : new Date(Date.now() - FIRST_POLL_DAYS * 86_400_000).toISOString());
      const payouts = await againstPlatform(integration, () => source.listPayoutsIssuedSince!(since).catch(unavailable));
      // A store without the extension that reports payouts has none to start: not an error to retry every poll.
      if (payouts instanceof PayoutsUnavailableError) return { started: [] };
      // Booked, or skipped by design (a withdrawal, a ledger that books no payouts): a poll does not start those
      // again; a person can (POST /routes/<route>/payouts/<payout>/sync). Anything else may still book.
      const done = new Set(known.filter((row) => row.status === 'synced' || row.status === 'skipped').map((row) => row.payoutId));
      const started: string[] = [];
      for (const payout of payouts) {
        if (done.has(payout.id)) continue;
        await startPayoutSync(deps.client, deps.db, deps.taskQueue(), { routeId: input.routeId, payoutId: payout.id, ...(input.timing ? { timing: input.timing } : {}) });
        started.push(payout.id);
      }
      return { started };
    },
  };
}

export type PayoutPollActivities = ReturnType<typeof createPayoutPollActivities>;
