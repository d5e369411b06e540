import { asc, desc, eq } from 'drizzle-orm';
import { integrationStatusLabel, type IntegrationStatus } from '../domain/integration-status.js';
import type { Database } from '../db/database.js';
import { integrationCheckResults, integrations, integrationStatusChanges } from '../db/schema.js';
import { redactSecrets } from '../security/redact-secrets.js';

/** What a person can do next about an integration, as the health column shows it. */
export interface NextAction {
  action: 'reconnect' | 'check_now' | 'resume' | 'none';
  label: string;
  /** For reconnect: a signed, single-use link a browser opens (it leads to the platform's consent page). */
  url: string | null;
}

export interface IntegrationHealthRow {
  id: string;
  platform: string;
  displayName: string;
  status: IntegrationStatus;
  statusLabel: string;
  colour: 'green' | 'grey' | 'red' | 'amber';
  reason: string | null;
  statusChangedAt: string;
  lastCheckAt: string | null;
  nextAction: NextAction;
  notifyEmails: string[];
}

export interface IntegrationHealthDetail extends IntegrationHealthRow {
  account: Record<string, string>;
  connected: boolean;
  checks: { check: string; ok: boolean; message: string; checkedAt: string }[];
  transitions: { from: string | null; to: string; cause: string; check: string | null; at: string }[];
}

type IntegrationRow = typeof integrations.$inferSelect;

export function nextActionFor(status: IntegrationStatus, reconnectUrl: string): NextAction {
  switch (status) {
    case 'connected':
      return { action: 'none', label: 'Nothing to do', url: null };
    case 'reconnect_required':
      return { action: 'reconnect', label: 'Reconnect', url: reconnectUrl };
    case 'error':
      return { action: 'check_now', label: 'Check now (it also retries on its own)', url: null };
    case 'disconnected':
      return { action: 'resume', label: 'Resume', url: null };
  }
}

/** Makes a signed reconnect link for an integration (security/connect-link.ts). */
export type ReconnectLinkMaker = (integrationId: string, platformId: string) => string;

function rowView(row: IntegrationRow, reconnectLink: ReconnectLinkMaker): IntegrationHealthRow {
  const status = row.status as IntegrationStatus;
  const { label, colour } = integrationStatusLabel[status] ?? { label: row.status, colour: 'red' as const };
  return {
    id: row.id,
    platform: row.platform,
    displayName: row.displayName,
    status,
    statusLabel: label,
    colour,
    reason: row.statusReason === null ? null : redactSecrets(row.statusReason),
    statusChangedAt: row.statusChangedAt.toISOString(),
    lastCheckAt: row.lastCheckAt?.toISOString() ?? null,
    // Signed only where it is offered: every link is a credential until it expires.
    nextAction: nextActionFor(status, status === 'reconnect_required' ? reconnectLink(row.id, row.platform) : ''),
    notifyEmails: row.notifyEmails,
  };
}

/** Every integration with its health column: status, colour, reason, last check, next action. */
export async function listIntegrationHealth(db: Database, reconnectLink: ReconnectLinkMaker): Promise<IntegrationHealthRow[]> {
  const rows = await db.select().from(integrations).orderBy(asc(integrations.platform), asc(integrations.number));
  return rows.map((row) => rowView(row, reconnectLink));
}

/** One integration: its health column, the last results of the four checks and every status transition, newest first. */
export async function integrationHealthDetail(db: Database, integrationId: string, reconnectLink: ReconnectLinkMaker): Promise<IntegrationHealthDetail | null> {
  const [row] = await db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) return null;
  const checkOrder = ['oauth_connected', 'token_fresh', 'scopes_granted', 'test_call', 'webhooks_subscribed', 'polling_scheduled'];
  const checks = (await db.select().from(integrationCheckResults).where(eq(integrationCheckResults.integrationId, integrationId)))
    .sort((a, b) => checkOrder.indexOf(a.check) - checkOrder.indexOf(b.check))
    .map((c) => ({ check: c.check, ok: c.ok, message: redactSecrets(c.message), checkedAt: c.checkedAt.toISOString() }));
  const transitions = (
    await db
      .select()
      .from(integrationStatusChanges)
      .where(eq(integrationStatusChanges.integrationId, integrationId))
      .orderBy(desc(integrationStatusChanges.at), desc(integrationStatusChanges.id))
  ).map((t) => ({ from: t.fromStatus, to: t.toStatus, cause: redactSecrets(t.cause), check: t.check, at: t.at.toISOString() }));
  return { ...rowView(row, reconnectLink), account: row.account, connected: row.credentials !== null, checks, transitions };
}
