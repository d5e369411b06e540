import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import { and, eq, gt } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations, qbwcRequests } from '../db/schema.js';
import { ledgerRefusalWait } from '../domain/sync-error-types.js';
import { PgQbwcWorkQueue } from '../platforms/qbd/pg-qbwc-work-queue.js';
import { PgQbwcSessions } from '../platforms/qbd/pg-qbwc-sessions.js';
import { QBWC_NOT_CONNECTED_CODE } from '../platforms/qbd/qbd-errors.js';
import { QBWC_PATH, type QbdPlatformConfig } from '../platforms/qbd/qbd-platform.js';
import { registerQbwcRoutes } from '../platforms/qbd/qbwc-endpoint.js';
import { QbwcContacts } from '../platforms/qbd/qbwc-contacts.js';
import { generateQbwcPassword } from '../platforms/qbd/qbwc-password.js';
import { qwcFile, stableGuid } from '../platforms/qbd/qwc-file.js';
import { countParkedOrders, resumeParkedOrders } from '../runtime/parked-order-resumer.js';
import { countAllParkedOtherSyncs, resumeAllParkedOtherSyncs } from '../runtime/parked-other-syncs.js';
import { ApiError, notFound } from './api-error.js';

export interface QbdRouteDeps {
  db: Database;
  credentials: CredentialStore;
  config: QbdPlatformConfig;
  /** Resumes orders parked until the Web Connector came; null in processes without Temporal (tests of the endpoint). */
  temporal: Client | null;
  resumePerSecond: number;
  /**
   * A Web Connector logged in while the integration reads Reconnect required or Error (its first visit, or back after
   * trouble): check its health now rather than at the next scheduled check, so it does not read "Reconnect required" for minutes.
   */
  onVisitWhileNotConnected?: (integrationId: string) => Promise<void>;
  log?: FastifyBaseLogger;
}

/** One app GUID: keys our data in every company file (the .qwc's OwnerID). */
const OWNER_ID = stableGuid('ledgerbridge', 'owner');

/**
 * The Web Connector's SOAP endpoint (no operator token: QBWC authenticates with the integration's login). Each
 * visit is recorded for health; a successful login resumes the integration's orders parked on
 * `ledger:qbwc-not-connected`, whose calls were withdrawn when the Web Connector did not come.
 */
export function qbwcEndpointRoutes(deps: QbdRouteDeps): FastifyPluginAsync {
  return async (app) => {
    const queue = new PgQbwcWorkQueue(deps.db);
    const contacts = new QbwcContacts(deps.db, deps.credentials);
    const lingerMs = deps.config.sessionLingerMs ?? 30_000;
    // Orders, refunds and payouts parked on the Web Connector's absence.
    const parkedOnVisit = { waitingOn: ledgerRefusalWait(QBWC_NOT_CONNECTED_CODE), includeRefundSyncs: true, includePayoutSyncs: true };
    await registerQbwcRoutes(app, {
      lingerMs,
      // Orders parked on the Web Connector resume at this visit (refunds and payouts too), and syncs that asked lately go on: open QuickBooks for them.
      expectsWork: async (integrationId) => {
        if ((await countParkedOrders(deps.db, { integrationId, ...parkedOnVisit })) > 0) return true;
        if ((await countAllParkedOtherSyncs(deps.db, { integrationId, ...parkedOnVisit })) > 0) return true;
        const since = new Date(Date.now() - lingerMs);
        const recent = await deps.db
          .select({ id: qbwcRequests.id })
          .from(qbwcRequests)
          .where(and(eq(qbwcRequests.integrationId, integrationId), gt(qbwcRequests.createdAt, since)))
          .limit(1);
        return recent.length > 0;
      },
      path: new URL(deps.config.webConnectorUrl).pathname || QBWC_PATH,
      accounts: contacts,
      queue,
      // In the database: any API process serves any call of a Web Connector visit (no sticky routing for /qbwc).
      sessions: new PgQbwcSessions(deps.db),
      onDelivery: (delivery) => queue.recordDelivery(delivery),
      onSessionEvent: (event) => {
        void (async () => {
          await contacts.record(event);
          if (event.kind === 'authenticated' && deps.temporal) {
            await resumeParkedOrders(deps.temporal, deps.db, { integrationId: event.integrationId, ...parkedOnVisit }, 'mappingSaved', deps.resumePerSecond);
            await resumeAllParkedOtherSyncs(deps.temporal, deps.db, { integrationId: event.integrationId, ...parkedOnVisit }, deps.resumePerSecond);
            // A login accepted is QuickBooks Desktop's reconnect: orders, refunds and payouts that waited on its refused
            // password go on (not when an operator paused it; those wait on the same id until it is resumed).
            const [row] = await deps.db.select({ status: integrations.status }).from(integrations).where(eq(integrations.id, event.integrationId));
            if (row && row.status !== 'disconnected') {
              const reconnect = { integrationId: event.integrationId, waitingOn: event.integrationId, waitingFor: 'reconnect' as const, includeRefundSyncs: true, includePayoutSyncs: true };
              await resumeParkedOrders(deps.temporal, deps.db, reconnect, 'reconnected', deps.resumePerSecond);
              await resumeAllParkedOtherSyncs(deps.temporal, deps.db, reconnect, deps.resumePerSecond);
            }
          }
          if (event.kind === 'authenticated' && deps.onVisitWhileNotConnected) {
            const [row] = await deps.db.select({ status: integrations.status }).from(integrations).where(eq(integrations.id, event.integrationId));
            // Not when an operator paused it (Disconnected): a visit must not undo that.
            if (row && (row.status === 'reconnect_required' || row.status === 'error')) await deps.onVisitWhileNotConnected(event.integrationId);
          }
        })().catch((error: unknown) => deps.log?.warn({ err: error }, 'recording a Web Connector visit failed'));
      },
    });
  };
}

/** Operator routes: hand out an integration's Web Connector login (the password once) and its .qwc file. */
export function qbdOperatorRoutes(deps: QbdRouteDeps): FastifyPluginAsync {
  return async (app) => {
    const qbdIntegration = async (id: string) => {
      const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, id));
      if (!row) throw notFound(`There is no integration ${id}.`);
      if (row.platform !== 'qbd') throw new ApiError(409, 'not_quickbooks_desktop', `${row.displayName} is not a QuickBooks Desktop integration.`);
      return row;
    };

    app.post<{ Params: { id: string } }>(
      '/integrations/:id/qbd/web-connector',
      { schema: { summary: 'QuickBooks Desktop: create (or replace) the Web Connector login; the password is shown only in this answer', tags: ['integrations'] } },
      async (request) => {
        const login = await createWebConnectorLogin(deps, await qbdIntegration(request.params.id));
        return {
          userName: login.userName,
          password: login.password,
          qwcUrl: `/integrations/${encodeURIComponent(request.params.id)}/qbd/qwc`,
          message: `Download the .qwc file, add it in the QuickBooks Web Connector ("Add an application"), and enter this password. It is not shown again.`,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/integrations/:id/qbd/qwc',
      { schema: { summary: "QuickBooks Desktop: the integration's .qwc file for the Web Connector", tags: ['integrations'] } },
      async (request, reply) => {
        const row = await qbdIntegration(request.params.id);
        const contact = await new QbwcContacts(deps.db, deps.credentials).get(row.id);
        if (!contact) throw new ApiError(409, 'no_web_connector_login', `${row.displayName} has no Web Connector login yet: create it first (POST /integrations/${row.id}/qbd/web-connector).`);
        const file = qwcFileOf(deps.config, row, contact.userName);
        return reply
          .header('content-type', 'application/xml; charset=utf-8')
          .header('content-disposition', `attachment; filename="${qwcFileName(row)}"`)
          .send(file);
      },
    );
  };
}

type IntegrationRow = typeof integrations.$inferSelect;

/** A new Web Connector login for the integration: a new user name and password; the old password stops working. */
export async function createWebConnectorLogin(deps: Pick<QbdRouteDeps, 'db' | 'credentials'>, row: IntegrationRow): Promise<{ userName: string; password: string }> {
  const userName = `ledgerbridge-${row.number}-${randomBytes(4).toString('hex')}`;
  const password = generateQbwcPassword();
  await new QbwcContacts(deps.db, deps.credentials).create(row.id, userName, password);
  return { userName, password };
}

/** The integration's .qwc file for the Web Connector, with its login's user name. */
export function qwcFileOf(config: QbdPlatformConfig, row: IntegrationRow, userName: string): string {
  const url = new URL(config.webConnectorUrl);
  return qwcFile({
    appName: `ledgerbridge (${row.displayName})`,
    appDescription: 'Books your online store orders into QuickBooks Desktop.',
    appUrl: config.webConnectorUrl,
    appSupport: `${url.origin}/`,
    userName,
    ownerId: OWNER_ID,
    fileId: stableGuid('ledgerbridge-file', row.id),
    runEveryNMinutes: config.pollMinutes,
  });
}

/** What the .qwc download is called on the person's computer. */
export function qwcFileName(row: IntegrationRow): string {
  return `ledgerbridge-qbd-${row.number}.qwc`;
}
