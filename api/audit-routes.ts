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
import { activeRouteHalt, type RouteHaltRow } from '../db/route-halts.js';
import { releaseAndResume } from './route-release.js';
import { auditRangeProblem, startReconciliationAudit, type AuditRow } from '../runtime/reconciliation-audit-starter.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC day: the ledger document date of an order is its UTC day).' });

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
          response: { 202: AuditView, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const { from, to } = request.body;
        const problem = auditRangeProblem(from, to);
        if (problem) throw new ApiError(400, 'invalid_request', problem);
        const row = await startReconciliationAudit(
          { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, warn: (message, error) => request.log.warn({ err: error, routeId }, message) },
          routeId,
          { from, to },
        );
        return reply.status(202).send(auditView(row));
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
          response: { 200: Type.Object({ ...AuditView.properties, report: Type.Unknown() }), 404: ErrorResponse, ...operatorErrorResponses },
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
          summary: 'Release the route: posting resumes, its halted orders, refunds and payouts are booked (once each)',
          description: 'Only after the cause is fixed in the ledger (e.g. the duplicate voided). 409 when the route is not halted.',
          tags: ['audits'],
          params: RouteParams,
          response: {
            200: Type.Object({ released: HaltView, queued: Type.Integer({ description: 'Halted orders, refunds and payouts resuming.' }), resumeId: Type.Union([Type.String(), Type.Null()]) }),
            404: ErrorResponse,
            409: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const outcome = await releaseAndResume(deps.db, deps.temporal, resumptions, routeId, API_RELEASER);
        if (!outcome) throw conflict(`Route ${routeId} is not halted: it is posting.`);
        request.log.info({ routeId, haltId: outcome.released.id, queued: outcome.queued }, 'route released');
        return { released: haltView(outcome.released), queued: outcome.queued, resumeId: outcome.resumeId };
      },
    );
  };
}

/** Who released it, for the halt's record (the console records its operator's email instead). */
const API_RELEASER = 'operator API token';
