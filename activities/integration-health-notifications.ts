import { eq } from 'drizzle-orm';
import { activityLog } from './activity-log.js';
import { integrationStatusLabel } from '../domain/integration-status.js';
import type { Database } from '../db/database.js';
import { integrationNotifications, integrations } from '../db/schema.js';
import { composeAllClearEmail } from '../notifications/all-clear-email.js';
import { composeDigestEmail } from '../notifications/digest-email.js';
import { composeIncidentEmail } from '../notifications/incident-email.js';
import type { Mailer } from '../notifications/mail-transport.js';
import type { ComposedEmail, RecordLink } from '../notifications/notices.js';
import type { ConnectLinkSigner } from '../security/connect-link.js';
import { connectPageOf } from '../platforms/installed.js';
import type { AllClearEmailRequest, DigestEmailRequest, EmailOutcome, FailedRecord, IncidentEmailRequest } from './integration-health-types.js';

export interface HealthNotificationDeps {
  db: Database;
  mailer: Mailer;
  /** Where people open our app, e.g. "https://ledgerbridge.example.com"; links in emails start with it. */
  publicBaseUrl: string;
  /** Signs the reconnect links emails carry (single use, expiring): the link is what lets the reader reconnect. */
  connectLinks: ConnectLinkSigner;
  log?: (line: string) => void;
}

/**
 * Links into our app, built in one place so emails and the API agree. The reconnect link is signed, and leads to
 * the platform's own connect page where it has one (QuickBooks Desktop: a new Web Connector login).
 */
export function integrationLinks(publicBaseUrl: string, integrationId: string, connectLinks: ConnectLinkSigner, platformId: string) {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(integrationId);
  return {
    page: `${base}/integrations/${id}`,
    get reconnect() {
      return connectLinks.url(publicBaseUrl, integrationId, undefined, connectPageOf(platformId));
    },
  };
}

export function recordLink(publicBaseUrl: string, record: FailedRecord): RecordLink {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const label = `Order ${record.orderName ?? record.orderId}`;
  return { label, url: `${base}/routes/${encodeURIComponent(record.routeId)}/orders/${encodeURIComponent(record.orderId)}` };
}

/**
 * The health workflow's emails. Each is sent at most once per incident and kind: the row in
 * integration_notifications is written after the send, so an activity retry finds it and stops.
 */
export function createHealthNotifications(deps: HealthNotificationDeps) {
  const log = deps.log ?? ((line: string) => activityLog('warn', line));

  async function sendOnce(
    key: string,
    kind: string,
    integrationId: string,
    incidentId: string,
    compose: (name: string, links: ReturnType<typeof integrationLinks>) => ComposedEmail,
  ): Promise<EmailOutcome> {
    const [already] = await deps.db.select().from(integrationNotifications).where(eq(integrationNotifications.key, key));
    if (already) return { sent: true, to: already.recipients };
    const [row] = await deps.db
      .select({ displayName: integrations.displayName, notifyEmails: integrations.notifyEmails, platform: integrations.platform })
      .from(integrations)
      .where(eq(integrations.id, integrationId));
    if (!row) return { sent: false, reason: `integration ${integrationId} no longer exists` };
    const to = row.notifyEmails.filter((address) => address.trim() !== '');
    if (to.length === 0) {
      const reason = `no alert recipients are configured for ${row.displayName}`;
      log(`ledgerbridge: not sending the ${kind} email of ${row.displayName}: ${reason}`);
      return { sent: false, reason };
    }
    const email = compose(row.displayName, integrationLinks(deps.publicBaseUrl, integrationId, deps.connectLinks, row.platform));
    const sent = await deps.mailer.send({ to, ...email });
    await deps.db
      .insert(integrationNotifications)
      .values({ key, integrationId, incidentId, kind, recipients: to, subject: email.subject, messageId: sent.messageId })
      .onConflictDoNothing();
    return { sent: true, to };
  }

  return {
    async sendIncidentEmail(request: IncidentEmailRequest): Promise<EmailOutcome> {
      return sendOnce(`${request.incidentId}:incident`, 'incident', request.integrationId, request.incidentId, (integrationName, links) =>
        composeIncidentEmail({
          integrationName,
          integrationStatus: integrationStatusLabel[request.status].label,
          message: request.message,
          detail: request.detail,
          record: request.record ? { ...recordLink(deps.publicBaseUrl, request.record), kind: 'order' } : null,
          reconnectUrl: links.reconnect,
          occurredAt: request.occurredAt,
        }),
      );
    },

    async sendDigestEmail(request: DigestEmailRequest): Promise<EmailOutcome> {
      return sendOnce(`${request.incidentId}:digest:${request.sequence}`, 'digest', request.integrationId, request.incidentId, (integrationName, links) =>
        composeDigestEmail({
          integrationName,
          reconnectUrl: links.reconnect,
          records: request.records.map((record) => recordLink(deps.publicBaseUrl, record)),
          totalWaiting: request.totalWaiting,
        }),
      );
    },

    async sendAllClearEmail(request: AllClearEmailRequest): Promise<EmailOutcome> {
      return sendOnce(`${request.incidentId}:all_clear`, 'all_clear', request.integrationId, request.incidentId, (integrationName, links) =>
        composeAllClearEmail({ integrationName, resumedCount: request.resumedCount, integrationUrl: links.page }),
      );
    },
  };
}
