import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import type { IntegrationAccount } from '../platforms/platform.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { normalizeRecipients } from '../notifications/recipient-list.js';
import { startIntegrationHealth, type IntegrationHealthRuntime } from './integration-health-starter.js';
import { keepOrderPollSchedule } from './order-poll-schedule.js';

export interface NewIntegration {
  platform: string;
  /** Known up front for some platforms (a shop); others learn it at the OAuth callback (a ledger's company). */
  account?: IntegrationAccount;
  notifyEmails?: string[];
}

export interface CreatedIntegration {
  id: string;
  displayName: string;
  number: number;
  healthWorkflowId: string;
}

/**
 * Creates an integration numbered per platform ("<platform display name> #1", "#2"...) and starts its health
 * workflow; a store also gets its reconciliation poll schedule (it polls nothing until the store is connected). Two creations at once may pick the same number: the unique constraint refuses one, which retries.
 */
export async function createIntegration(
  db: Database,
  platforms: PlatformRegistry,
  runtime: IntegrationHealthRuntime,
  input: NewIntegration,
): Promise<CreatedIntegration> {
  const platform = platforms.get(input.platform);
  const notifyEmails = input.notifyEmails?.length ? normalizeRecipients(input.notifyEmails, 'alert recipients') : [];
  for (let attempt = 0; ; attempt++) {
    const [{ next } = { next: 1 }] = await db
      .select({ next: sql<number>`coalesce(max(${integrations.number}), 0) + 1` })
      .from(integrations)
      .where(eq(integrations.platform, platform.id));
    const number = Number(next);
    const id = `${platform.id}-${randomBytes(6).toString('hex')}`;
    const displayName = `${platform.displayName} #${number}`;
    try {
      await db.insert(integrations).values({ id, platform: platform.id, number, displayName, account: input.account ?? {}, notifyEmails });
    } catch (error) {
      if (attempt < 5 && isUniqueViolation(error)) continue;
      throw error;
    }
    // Before the health workflow, whose first check would otherwise find it missing and "repair" it.
    if (platform.role === 'commerce') await keepOrderPollSchedule(runtime, id, false);
    const { workflowId } = await startIntegrationHealth(runtime, id);
    return { id, displayName, number, healthWorkflowId: workflowId };
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return code === '23505';
}
