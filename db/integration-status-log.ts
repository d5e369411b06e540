import { eq } from 'drizzle-orm';
import type { IntegrationStatus } from '../domain/integration-status.js';
import type { Database } from './database.js';
import { integrations, integrationStatusChanges } from './schema.js';

/**
 * Sets an integration's status and, when it changed, appends the transition with its cause and
 * the check that caused it. Returns whether the status changed.
 */
export async function recordIntegrationStatus(
  db: Database,
  integrationId: string,
  change: { status: IntegrationStatus; reason: string | null; cause: string; check: string | null },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ status: integrations.status }).from(integrations).where(eq(integrations.id, integrationId)).for('update');
    if (!row) return false;
    const now = new Date();
    if (row.status === change.status) {
      await tx.update(integrations).set({ statusReason: change.reason }).where(eq(integrations.id, integrationId));
      return false;
    }
    await tx.update(integrations).set({ status: change.status, statusReason: change.reason, statusChangedAt: now }).where(eq(integrations.id, integrationId));
    await tx.insert(integrationStatusChanges).values({
      integrationId,
      fromStatus: row.status,
      toStatus: change.status,
      cause: change.cause,
      check: change.check,
      at: now,
    });
    return true;
  });
}
