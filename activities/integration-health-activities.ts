import { ApplicationFailure } from '@temporalio/common';
import { activityLog } from './activity-log.js';
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { recordIntegrationStatus } from '../db/integration-status-log.js';
import { integrationCheckResults, integrations } from '../db/schema.js';
import type { Mailer } from '../notifications/mail-transport.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import type { ConnectLinkSigner } from '../security/connect-link.js';
import { countAllParkedOtherSyncs } from '../runtime/parked-other-syncs.js';
import { countParkedOrders, resumeParkedOrders } from '../runtime/parked-order-resumer.js';
import { markEndedOrderSyncs } from '../runtime/ended-order-syncs.js';
import { runHealthChecks } from './integration-health-checks.js';
import { keepStorePollSchedule } from './order-poll-keeper.js';
import type { OrderPollRuntime } from '../runtime/order-poll-schedule.js';
import { createHealthNotifications } from './integration-health-notifications.js';
import type { HealthCheckRun, ResumeOutcome, StatusChange } from './integration-health-types.js';

export interface IntegrationHealthActivityDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  mailer: Mailer;
  /** Links in emails start with it, e.g. "https://ledgerbridge.example.com". */
  publicBaseUrl: string;
  /** Signs the reconnect links in alert emails. */
  connectLinks: ConnectLinkSigner;
  /** Signals parked order syncs to go on. */
  client: Client;
  /** Parked orders resumed per second after a reconnect (default 5): no 429 storm after a long outage. */
  resumePerSecond?: number;
  /** A store's reconciliation poll schedule is kept in step with its status and repaired by the check; off when absent. */
  orderPolling?: OrderPollRuntime;
  log?: (line: string) => void;
}

/** Thrown when the integration was deleted under a running health workflow: the workflow ends. */
export const IntegrationDeletedType = 'IntegrationDeleted';

/** Activities of integrationHealthWorkflow, built over their dependencies. */
export function createIntegrationHealthActivities(deps: IntegrationHealthActivityDeps) {
  const notifications = createHealthNotifications(deps);
  return {
    ...notifications,

    async runHealthChecks(input: { integrationId: string }): Promise<HealthCheckRun> {
      await assertExists(deps.db, input.integrationId);
      return runHealthChecks(deps, input.integrationId);
    },

    /** Stores the last results of the four checks, for the API's check column and detail page. */
    async saveHealthCheckResults(input: { integrationId: string; run: HealthCheckRun }): Promise<void> {
      const checkedAt = new Date(input.run.checkedAt);
      await deps.db.transaction(async (tx) => {
        for (const result of input.run.results) {
          await tx
            .insert(integrationCheckResults)
            .values({ integrationId: input.integrationId, check: result.check, ok: result.ok, message: result.message, checkedAt })
            .onConflictDoUpdate({
              target: [integrationCheckResults.integrationId, integrationCheckResults.check],
              set: { ok: result.ok, message: result.message, checkedAt },
            });
        }
        await tx.update(integrations).set({ lastCheckAt: checkedAt }).where(eq(integrations.id, input.integrationId));
      });
    },

    /** Sets the status; a change is appended to the transition history with its cause and check. */
    async recordHealthStatus(change: StatusChange): Promise<{ changed: boolean }> {
      const changed = await recordIntegrationStatus(deps.db, change.integrationId, change);
      // Every time, not only on a change: a retry after the schedule call failed still pauses (or resumes) polling.
      if (deps.orderPolling) await keepStorePollSchedule({ db: deps.db, platforms: deps.platforms, orderPolling: deps.orderPolling }, change.integrationId);
      return { changed };
    },

    /** Order rows whose sync workflow ended without booking (terminated, failed) are shown Failed with the reason. */
    async markEndedOrderSyncs(input: { integrationId: string }): Promise<{ marked: number }> {
      return { marked: await markEndedOrderSyncs(deps.client, deps.db, input) };
    },

    /**
     * How many orders wait on this integration, how many other syncs (`entities`: customer and product syncs, refunds,
     * payouts; the resume wakes them too), and the rate parkedOrderResumeWorkflow resumes them at.
     */
    async countParkedOrdersOfIntegration(input: { integrationId: string }): Promise<{ total: number; entities: number; perSecond: number }> {
      // The selection the health workflow's resume runs with (includeEntitySyncs: every other kind too).
      const selection = { integrationId: input.integrationId, waitingOn: input.integrationId, includeEntitySyncs: true };
      const [total, entities] = await Promise.all([countParkedOrders(deps.db, selection), countAllParkedOtherSyncs(deps.db, selection)]);
      return { total, entities, perSecond: deps.resumePerSecond ?? 5 };
    },

    /** Every order parked on this integration goes on, at a bounded rate (runs of the health workflow before it resumed in its own workflow). */
    async resumeParkedOrdersOfIntegration(input: { integrationId: string }): Promise<ResumeOutcome> {
      const report = await resumeParkedOrders(
        deps.client,
        deps.db,
        { integrationId: input.integrationId, waitingOn: input.integrationId },
        'reconnected',
        deps.resumePerSecond ?? 5,
      );
      for (const failure of report.failed) {
        if (deps.log) deps.log(`ledgerbridge: could not resume order ${failure.orderId} (${failure.workflowId}): ${failure.reason}`);
        else activityLog('warn', 'Could not resume a parked order', { integrationId: input.integrationId, orderId: failure.orderId, orderWorkflowId: failure.workflowId, reason: failure.reason });
      }
      return { resumed: report.resumed, failed: report.failed.length };
    },
  };
}

export type IntegrationHealthActivities = ReturnType<typeof createIntegrationHealthActivities>;

async function assertExists(db: Database, integrationId: string): Promise<void> {
  const [row] = await db.select({ id: integrations.id }).from(integrations).where(eq(integrations.id, integrationId));
  if (!row) {
    throw ApplicationFailure.create({ type: IntegrationDeletedType, message: `Integration ${integrationId} was deleted.`, nonRetryable: true });
  }
}
