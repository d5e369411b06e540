import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { credentialsContext, pendingSwitchContext, subscriptionSecretContext, type SecretBox } from './credential-store.js';
import type { Database } from './database.js';
import { integrations, pendingAccountSwitches, squarespaceWebhookSubscriptions } from './schema.js';

export interface ResealReport {
  /** Values re-encrypted under the current key (and bound to their row). */
  resealed: number;
  /** Values that already were. */
  alreadyCurrent: number;
  /** Values no key of the ring opens: they stay as they were (say which, never the value). */
  failed: { integrationId: string; field: string; message: string }[];
}

/**
 * Re-encrypts every stored secret under the box's current key, one row at a time under a row lock, while the
 * API and the worker keep running (they read either key). The tokens themselves do not change, so the
 * credentials version is left alone. Run it again at will: current values are skipped.
 */
export async function resealAllCredentials(db: Database, box: SecretBox): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, alreadyCurrent: 0, failed: [] };
  const rows = await db.select({ id: integrations.id }).from(integrations).where(isNotNull(integrations.credentials));
  for (const { id } of rows) {
    await db.transaction(async (tx) => {
      const [row] = await tx.select({ credentials: integrations.credentials }).from(integrations).where(eq(integrations.id, id)).for('update');
      const sealed = row?.credentials;
      if (!sealed) return;
      const next = reseal(box, sealed, credentialsContext(id), report, id, 'credentials');
      if (next) await tx.update(integrations).set({ credentials: next }).where(eq(integrations.id, id));
    });
  }
  const pending = await db.select().from(pendingAccountSwitches).where(isNull(pendingAccountSwitches.usedAt));
  for (const row of pending) {
    const next = reseal(box, row.credentials, pendingSwitchContext(row.integrationId), report, row.integrationId, 'pending account switch');
    if (next) {
      await db
        .update(pendingAccountSwitches)
        .set({ credentials: next })
        .where(and(eq(pendingAccountSwitches.tokenHash, row.tokenHash), eq(pendingAccountSwitches.credentials, row.credentials)));
    }
  }
  // Squarespace shows a subscription's secret once: it is kept sealed beside the credentials.
  const subscriptions = await db.select().from(squarespaceWebhookSubscriptions);
  for (const row of subscriptions) {
    const next = reseal(box, row.secret, subscriptionSecretContext(row.subscriptionId), report, row.integrationId, 'Squarespace webhook secret');
    if (next) {
      await db
        .update(squarespaceWebhookSubscriptions)
        .set({ secret: next })
        .where(and(eq(squarespaceWebhookSubscriptions.subscriptionId, row.subscriptionId), eq(squarespaceWebhookSubscriptions.secret, row.secret)));
    }
  }
  return report;
}

function reseal(box: SecretBox, sealed: string, context: string, report: ResealReport, integrationId: string, field: string): string | null {
  if (box.isCurrent(sealed)) {
    report.alreadyCurrent++;
    return null;
  }
  try {
    const next = box.encrypt(box.decrypt(sealed, context), context);
    report.resealed++;
    return next;
  } catch (error) {
    report.failed.push({ integrationId, field, message: (error as Error).message });
    return null;
  }
}
