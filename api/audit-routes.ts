import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, desc, eq } from 'drizzle-orm';
import { Type } from 'typebox';
import type { ApiDeps } from './api-deps.js';
import { ApiError, conflict, notFound } from './api-error.js';
import type { BackgroundResumptions } from './background-resumptions.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { RouteParams } from './order-sync-schemas.js';
import { requireSyncRoute } from './sync-route-lookup.js';
import { reconciliationAudits } from '../db/schema.js';
import { activeRouteHalt, releaseRoute, type RouteHaltRow } from '../db/route-halts.js';
import { ROUTE_RELEASE_WAIT } from '../domain/sync-error-types.js';
import { keepAuditSchedule } from '../runtime/reconciliation-audit-schedule.js';
import { RECONCILIATION_AUDIT_ID_PREFIX, reconciliationAuditWorkflow } from '../workflows/reconciliation-audit.js';
import { RouteIdKey } from '../workflows/search-attributes.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC day: the ledger document date of an order is its UTC day).' });
/** An audit reads every page of both sides: a year at most per audit. */
const MAX_DAYS = 366;

const AuditView = Type.Object({
  auditId: Type.String(),
  routeId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  trigger: Type.String({ description: 'on_demand | daily' }),
  status: Type.String({ description: 'running | done | failed' }),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Union([Type.Record(Type.String(), Type.Integer()), Type.Null()]),
});

const HaltView = Type.Object({
  haltId: Type.String(),
  reason: Type.String({ description: 'duplicate_document | clearing_drift' }),
  message: Type.String(),
  detail: Type.Unknown(),
  haltedAt: Type.String(),
  releasedAt: Type.Union([Type.String(), Type.Null()]),
  releasedBy: Type.Union([Type.String(), Type.Null()]),
});

type AuditRow = typeof reconciliationAudits.$inferSelect;

function auditView(row: AuditRow) {
  return {
    auditId: row.id,
    routeId: row.routeId,
    from: row.dateFrom,
    to: row.dateTo,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
    summary: row.summary ?? null,
  };
}

export function haltView(halt: RouteHaltRow) {
  return {
    haltId: halt.id,
    reason: halt.reason,
    message: halt.message,
    detail: halt.detail,
    haltedAt: halt.haltedAt.toISOString(),
    releasedAt: halt.releasedAt?.toISOString() ?? null,
    releasedBy: halt.releasedBy,
  };
}

/** Reconciliation audits (on demand; the daily one is a schedule per route) and the route's hard stop. */
export function auditRoutes(deps: ApiDeps, resumptions: BackgroundResumptions): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const AuditParams = Type.Object({ routeId: Type.String({ minLength: 1, maxLength: 200 }), auditId: Type.String({ minLength: 1, maxLength: 200 }) });

    app.post(
      '/routes/:routeId/audits',
      {
        schema: {
          summary: 'Audit a route: compare the shop and the ledger over a date range',
          description:
            'Answers 202 with the audit id; a durable workflow lists the shop\'s orders and the ledger\'s documents of the range and stores the ' +
            'report (GET /routes/:routeId/audits/:auditId): orders missing in the ledger, documents with no order, duplicates, amount ' +
            'mismatches, each with its fix. A duplicate stops the route (POST /routes/:routeId/release resumes it).',
          tags: ['audits'],
          params: RouteParams,
          body: Type.Object({ from: Day, to: Day }, { additionalProperties: false }),
          response: { 202: AuditView, 400: ErrorResponse, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const { from, to } = request.body;
        const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
        if (!Number.isFinite(days) || days < 1) throw new ApiError(400, 'invalid_request', `"from" (${from}) must be a day on or before "to" (${to}).`);
        if (days > MAX_DAYS) throw new ApiError(400, 'invalid_request', `An audit covers at most ${MAX_DAYS} days; ${from} to ${to} is ${days}. Audit it in parts.`);
        const auditId = `a-${randomBytes(6).toString('hex')}`;
        const workflowId = `${RECONCILIATION_AUDIT_ID_PREFIX}${routeId}/${auditId}`;
        const [row] = await deps.db
          .insert(reconciliationAudits)
          .values({ id: auditId, routeId, dateFrom: from, dateTo: to, trigger: 'on_demand', workflowId, status: 'running' })
          .returning();
        await deps.temporal.workflow.start(reconciliationAuditWorkflow, {
          workflowId,
          taskQueue: deps.taskQueue,
          args: [{ routeId, from, to, trigger: 'on_demand' }],
          typedSearchAttributes: [{ key: RouteIdKey, value: routeId }],
        });
        // Routes created before audits existed get their daily audit here.
        await keepAuditSchedule({ client: deps.temporal, taskQueue: deps.taskQueue }, routeId).catch((error: unknown) =>
          request.log.warn({ err: error, routeId }, 'could not keep the daily audit schedule'),
        );
        return reply.status(202).send(auditView(row!));
      },
    );

    app.get(
      '/routes/:routeId/audits',
      {
        schema: {
          summary: "A route's audits, newest first (without their reports)",
          tags: ['audits'],
          params: RouteParams,
          response: { 200: Type.Object({ audits: Type.Array(AuditView) }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const rows = await deps.db.select().from(reconciliationAudits).where(eq(reconciliationAudits.routeId, routeId)).orderBy(desc(reconciliationAudits.startedAt)).limit(100);
        return { audits: rows.map(auditView) };
      },
    );

    app.get(
      '/routes/:routeId/audits/:auditId',
      {
        schema: {
          summary: 'One audit with its report',
          description: 'The report (once done): `lines` (kind, order, documents, message, fix), `fixes` (grouped, e.g. "Replay these 3 orders: …"), `summary`, `payouts`.',
          tags: ['audits'],
          params: AuditParams,
          response: { 200: Type.Intersect([AuditView, Type.Object({ report: Type.Unknown() })]), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId, auditId } = request.params;
        const [row] = await deps.db.select().from(reconciliationAudits).where(and(eq(reconciliationAudits.routeId, routeId), eq(reconciliationAudits.id, auditId)));
        if (!row) throw notFound(`Route ${routeId} has no audit ${auditId}.`);
        return { ...auditView(row), report: row.report ?? null };
      },
    );

    app.get(
      '/routes/:routeId/halt',
      {
        schema: {
          summary: "The route's hard stop, if it is on",
          tags: ['audits'],
          params: RouteParams,
          response: { 200: Type.Object({ halted: Type.Boolean(), halt: Type.Union([HaltView, Type.Null()]) }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const halt = await activeRouteHalt(deps.db, routeId);
        return { halted: halt !== null, halt: halt ? haltView(halt) : null };
      },
    );

    app.post(
      '/routes/:routeId/release',
      {
        schema: {
          summary: 'Release the route: posting resumes, its halted orders are booked (once each)',
          description: 'Only after the cause is fixed in the ledger (e.g. the duplicate voided). 409 when the route is not halted.',
          tags: ['audits'],
          params: RouteParams,
          response: {
            200: Type.Object({ released: HaltView, queued: Type.Integer({ description: 'Halted orders resuming.' }), resumeId: Type.Union([Type.String(), Type.Null()]) }),
            404: ErrorResponse,
            409: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const released = await releaseRoute(deps.db, routeId, releasedByOf(request));
        if (!released) throw conflict(`Route ${routeId} is not halted: it is posting.`);
        const { queued, resumeId } = await resumptions.start({ routeId, waitingOn: ROUTE_RELEASE_WAIT }, 'retry', 'route released');
        request.log.info({ routeId, haltId: released.id, queued }, 'route released');
        return { released: haltView(released), queued, resumeId };
      },
    );
  };
}

/** Who released it, for the halt's record: the console's operator, else the API token. */
function releasedByOf(request: { operator?: { email?: string } } & object): string {
  const operator = (request as { operator?: { email?: string } }).operator;
  return operator?.email ?? 'operator API token';
}
