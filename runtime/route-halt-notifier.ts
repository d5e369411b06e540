import { eq, inArray } from 'drizzle-orm';
import { activityLog } from '../activities/activity-log.js';
import type { RouteHaltSink } from '../activities/route-breaker.js';
import type { Database } from '../db/database.js';
import type { RouteHaltRow } from '../db/route-halts.js';
import { integrationNotifications, integrations, syncRoutes } from '../db/schema.js';
import type { Mailer } from '../notifications/mail-transport.js';
import { composeRouteHaltEmail } from '../notifications/route-halt-email.js';

export interface RouteHaltNotifierDeps {
  db: Database;
  mailer: Mailer;
  publicBaseUrl: string;
  log?: (line: string, error?: unknown) => void;
}

/**
 * Emails the route's alert recipients (its ledger's and its shop's) once per halt: the row in
 * integration_notifications, written after the send, stops a second one whoever trips the same halt again.
 * A mail failure is thrown, so the tripping activity retries it; the halt itself is already on.
 */
export function createRouteHaltNotifier(deps: RouteHaltNotifierDeps): RouteHaltSink {
  const log = deps.log ?? ((line: string) => activityLog('warn', line));
  return {
    async routeHalted(halt: RouteHaltRow) {
      const key = `route-halt:${halt.id}`;
      const [already] = await deps.db.select({ key: integrationNotifications.key }).from(integrationNotifications).where(eq(integrationNotifications.key, key));
      if (already) return;
      const [route] = await deps.db.select().from(syncRoutes).where(eq(syncRoutes.id, halt.routeId));
      if (!route) return;
      const rows = await deps.db.select().from(integrations).where(inArray(integrations.id, [route.sourceIntegrationId, route.targetIntegrationId]));
      const ledger = rows.find((row) => row.id === route.targetIntegrationId);
      const shop = rows.find((row) => row.id === route.sourceIntegrationId);
      if (!ledger || !shop) return;
      const to = [...new Set([...ledger.notifyEmails, ...shop.notifyEmails].filter((address) => address.trim() !== ''))];
      if (to.length === 0) {
        log(`ledgerbridge: route ${halt.routeId} halted, but no alert recipients are configured for ${ledger.displayName} or ${shop.displayName}`);
        return;
      }
      const base = deps.publicBaseUrl.replace(/\/+$/, '');
      const email = composeRouteHaltEmail({
        routeLabel: `${shop.displayName} → ${ledger.displayName}`,
        cause: halt.reason === 'duplicate_document' ? `a duplicate document in ${ledger.displayName}` : `the clearing account drifted in ${ledger.displayName}`,
        message: halt.message,
        checks: checksFor(halt, ledger.displayName),
        routeUrl: `${base}/console/routes/${encodeURIComponent(halt.routeId)}/audits`,
      });
      const sent = await deps.mailer.send({ to, ...email });
      await deps.db
        .insert(integrationNotifications)
        .values({ key, integrationId: ledger.id, incidentId: `route-halt:${halt.routeId}`, kind: 'route_halt', recipients: to, subject: email.subject, messageId: sent.messageId })
        .onConflictDoNothing();
    },
  };
}

function checksFor(halt: RouteHaltRow, ledgerName: string): string[] {
  if (halt.reason === 'clearing_drift') {
    return [`The clearing account's balance in ${ledgerName} against the payouts it should net to zero.`, 'Payouts parked with a difference, and the orders they name.'];
  }
  return [
    `In ${ledgerName}, the documents named above: void the duplicate, keep the first.`,
    'Whether another tool or a person also posts these orders into the ledger (a second connector, an import).',
    "Run an audit of the route's recent days (POST /routes/<route>/audits) to see whether other orders were doubled.",
  ];
}
