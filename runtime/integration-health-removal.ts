import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { count, eq, inArray, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { integrationCheckResults, integrationNotifications, integrations, integrationStatusChanges, orderSyncs, syncRoutes, truncatedFields } from '../db/schema.js';
import { integrationHealthWorkflowId } from './integration-health-starter.js';
import { deleteOrderPollSchedule } from './order-poll-schedule.js';
import { deleteAuditSchedule } from './reconciliation-audit-schedule.js';
import { deletePayoutPollSchedule } from './payout-poll-schedule.js';

export interface DeletionReport {
  integrationId: string;
  displayName: string;
  /** Workflow ids terminated: the health workflow and the order syncs still running on its routes. */
  workflowsTerminated: string[];
  tokensDeleted: boolean;
  routesDeleted: number;
  orderRecordsDeleted: number;
  statusChangesDeleted: number;
  notificationsDeleted: number;
  /** Webhook subscriptions removed at the shop; null when there were none to remove or the shop could not be reached. */
  webhooksRemoved: number | null;
  /** The store's reconciliation poll schedule was deleted (false: it had none). */
  pollScheduleDeleted: boolean;
}

/** The sync routes that read from or book into an integration (they go with it). */
export async function routesOfIntegration(db: Database, integrationId: string): Promise<string[]> {
  const routes = await db
    .select({ id: syncRoutes.id })
    .from(syncRoutes)
    .where(or(eq(syncRoutes.sourceIntegrationId, integrationId), eq(syncRoutes.targetIntegrationId, integrationId)));
  return routes.map((r) => r.id);
}

/**
 * Deletes an integration for good: terminates its workflows first (so nothing writes after), then its tokens,
 * routes, order records and history. Says what it deleted. Null when there was no such integration.
 */
export async function deleteIntegration(
  db: Database,
  client: Client,
  integrationId: string,
  reason = 'integration deleted by an operator',
  /** Removes the shop's webhook subscriptions to us while the tokens still exist. */
  removeWebhooks?: (integrationId: string) => Promise<number | null>,
): Promise<DeletionReport | null> {
  const [row] = await db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) return null;

  const routeIds = await routesOfIntegration(db, integrationId);
  const orderRows = routeIds.length ? await db.select({ workflowId: orderSyncs.workflowId }).from(orderSyncs).where(inArray(orderSyncs.routeId, routeIds)) : [];

  // First, so no poll starts while the rest is taken down; a poll in progress is among the workflows below.
  const pollScheduleDeleted = await deleteOrderPollSchedule(client, integrationId);
  // The routes go with the integration, and their daily audits and payout polls with them.
  for (const routeId of routeIds) {
    await deleteAuditSchedule(client, routeId);
    await deletePayoutPollSchedule(client, routeId);
  }

  // Visibility lags a little; the ids we know from our own tables are terminated whatever it says.
  const candidates = new Set<string>([integrationHealthWorkflowId(integrationId), ...orderRows.map((r) => r.workflowId)]);
  for await (const execution of client.workflow.list({ query: `IntegrationIds = "${integrationId}" AND ExecutionStatus = "Running"` })) {
    candidates.add(execution.workflowId);
  }
  const workflowsTerminated: string[] = [];
  for (const workflowId of candidates) {
    try {
      await client.workflow.getHandle(workflowId).terminate(reason);
      workflowsTerminated.push(workflowId);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error; // already finished: nothing to stop
    }
  }

  // After the health workflow stopped (it repairs subscriptions), while the tokens still exist. Best effort: an
  // uninstalled app's subscriptions are gone already, and deleting must not depend on the shop answering.
  const webhooksRemoved = removeWebhooks ? await removeWebhooks(integrationId).catch(() => null) : null;

  return db.transaction(async (tx) => {
    const countOf = async (query: Promise<{ n: number }[]>) => Number((await query)[0]?.n ?? 0);
    const orderRecordsDeleted = routeIds.length ? await countOf(tx.select({ n: count() }).from(orderSyncs).where(inArray(orderSyncs.routeId, routeIds))) : 0;
    const statusChangesDeleted = await countOf(tx.select({ n: count() }).from(integrationStatusChanges).where(eq(integrationStatusChanges.integrationId, integrationId)));
    const notificationsDeleted = await countOf(tx.select({ n: count() }).from(integrationNotifications).where(eq(integrationNotifications.integrationId, integrationId)));
    if (routeIds.length) await tx.delete(truncatedFields).where(inArray(truncatedFields.routeId, routeIds));
    await tx.delete(integrationCheckResults).where(eq(integrationCheckResults.integrationId, integrationId));
    // The rest (routes, their orders and mappings, status history, notifications, OAuth states) cascades.
    await tx.delete(integrations).where(eq(integrations.id, integrationId));
    return {
      integrationId,
      displayName: row.displayName,
      workflowsTerminated,
      tokensDeleted: row.credentials !== null,
      routesDeleted: routeIds.length,
      orderRecordsDeleted,
      statusChangesDeleted,
      notificationsDeleted,
      webhooksRemoved,
      pollScheduleDeleted,
    };
  });
}
