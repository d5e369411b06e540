import { count, eq, inArray } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations, orderSyncs } from '../db/schema.js';
import { removeCommerceWebhooks } from '../activities/commerce-webhook-keeper.js';
import { normalizeRecipients } from '../notifications/recipient-list.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { deleteIntegration, routesOfIntegration, type DeletionReport } from '../runtime/integration-health-removal.js';
import { integrationHealthWorkflowId, startIntegrationHealth, type IntegrationHealthRuntime } from '../runtime/integration-health-starter.js';
import { checkHealthUpdate, type HealthCheckOutcome } from '../workflows/integration-health.js';

/**
 * What an operator does to an integration, shared by the API (integration-routes.ts) and the console pages,
 * so both run the same workflow update, signals and deletion.
 */
export class CheckTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The health check did not answer within ${Math.round(timeoutMs / 1000)} s. Is the worker running?`);
  }
}

/** "Check health": a Workflow Update, so the answer is the four results of a check that ran just now. */
export async function checkIntegrationNow(health: IntegrationHealthRuntime, integrationId: string, timeoutMs = 30_000): Promise<HealthCheckOutcome> {
  await startIntegrationHealth(health, integrationId);
  const handle = health.client.workflow.getHandle(integrationHealthWorkflowId(integrationId));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const outcome = await Promise.race([handle.executeUpdate(checkHealthUpdate), timeout]);
    if (!outcome) throw new CheckTimeoutError(timeoutMs);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

/** Sets who receives an integration's alert emails. An empty list is allowed: alerts are then skipped with a logged reason. Throws InvalidRecipientError. */
export async function saveAlertRecipients(db: Database, integrationId: string, addresses: readonly string[]): Promise<string[]> {
  const notifyEmails = addresses.some((e) => e.trim() !== '') ? normalizeRecipients([...addresses], 'alert recipients') : [];
  await db.update(integrations).set({ notifyEmails }).where(eq(integrations.id, integrationId));
  return notifyEmails;
}

/** Deletes an integration for good, removing the shop's webhook subscriptions to us while its tokens still exist. */
export function deleteIntegrationForGood(
  deps: { db: Database; platforms: PlatformRegistry; credentials: CredentialStore; health: IntegrationHealthRuntime },
  integrationId: string,
): Promise<DeletionReport | null> {
  return deleteIntegration(deps.db, deps.health.client, integrationId, undefined, (id) =>
    removeCommerceWebhooks({ db: deps.db, platforms: deps.platforms, credentials: deps.credentials }, id),
  );
}

/** What deleting an integration removes, said before it is done (the console's confirmation). */
export async function whatDeletingRemoves(db: Database, integrationId: string): Promise<{ routes: string[]; orderRecords: number; connected: boolean } | null> {
  const [row] = await db.select({ credentials: integrations.credentials }).from(integrations).where(eq(integrations.id, integrationId));
  if (!row) return null;
  const ids = await routesOfIntegration(db, integrationId);
  const [orders] = ids.length ? await db.select({ n: count() }).from(orderSyncs).where(inArray(orderSyncs.routeId, ids)) : [{ n: 0 }];
  return { routes: ids, orderRecords: Number(orders?.n ?? 0), connected: row.credentials !== null };
}
