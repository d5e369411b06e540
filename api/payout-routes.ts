import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WorkflowIdConflictPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { and, desc, eq } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import { conflict, notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { Nullable, RouteParams, SignalSent } from './order-sync-schemas.js';
import { requireSyncRoute } from './sync-route-lookup.js';
import { payoutSyncs } from '../db/schema.js';
import { payoutPollWorkflow } from '../workflows/payout-poll.js';
import { keepPayoutPollSchedule, payoutPollScheduleId } from '../runtime/payout-poll-schedule.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import { startPayoutSync } from '../runtime/payout-sync-starter.js';

const statusDescription =
  'pending · waiting_for_payout (not paid yet) · waiting_for_orders (an order in it is not booked yet) · syncing · synced · failed (retries on its own) · waiting (needs a person: see lastError) · ' +
  'halted (the route stopped posting; deposited once released) · skipped (nothing to book: see lastError)';

/** Statuses of a payout parked in its sync, which a retry signal sends on. */
const PARKED_PAYOUT_STATUSES = ['waiting', 'failed', 'halted', 'waiting_for_orders', 'waiting_for_payout'];

/** One payout as the database knows it (payout_syncs). */
const PayoutSyncRow = Type.Object({
  routeId: Type.String(),
  payoutId: Type.String(),
  workflowId: Type.String(),
  status: Type.String({ description: statusDescription }),
  issuedAt: Nullable(Type.String()),
  net: Nullable(Type.String({ description: 'What reached the bank, in the payout currency.' })),
  currency: Nullable(Type.String()),
  waitingOn: Nullable(Type.String()),
  lastError: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  ledgerDocNumber: Nullable(Type.String()),
  ledgerDocumentId: Nullable(Type.String()),
  attempts: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  syncedAt: Nullable(Type.String({ format: 'date-time' })),
});

const PayoutParams = Type.Object({ ...RouteParams.properties, payoutId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }) });

function view(row: typeof payoutSyncs.$inferSelect) {
  return {
    routeId: row.routeId,
    payoutId: row.payoutId,
    workflowId: row.workflowId,
    status: row.status,
    issuedAt: row.issuedAt,
    net: row.net,
    currency: row.currency,
    waitingOn: row.waitingOn,
    lastError: row.lastErrorCode ? { code: row.lastErrorCode, message: row.lastErrorMessage ?? '' } : null,
    ledgerDocNumber: row.ledgerDocNumber,
    ledgerDocumentId: row.ledgerDocumentId,
    attempts: row.attempts,
    updatedAt: row.updatedAt.toISOString(),
    syncedAt: row.syncedAt?.toISOString() ?? null,
  };
}

/** Payouts through the clearing account: list a route's payouts, look for new ones, resume a parked one. */
export function payoutRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { db, temporal } = deps;

    app.get(
      '/routes/:routeId/payouts',
      {
        schema: {
          summary: "List a route's payouts",
          description: "Each payout booked (or to book) as one deposit from the route's clearing account to its bank account, most recently updated first.",
          tags: ['payouts'],
          params: RouteParams,
          querystring: Type.Object({ status: Type.Optional(Type.String({ description: statusDescription })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })) }),
          response: { 200: Type.Object({ payouts: Type.Array(PayoutSyncRow) }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        await requireSyncRoute(db, routeId);
        const where = and(eq(payoutSyncs.routeId, routeId), request.query.status ? eq(payoutSyncs.status, request.query.status) : undefined);
        const rows = await db.select().from(payoutSyncs).where(where).orderBy(desc(payoutSyncs.updatedAt)).limit(request.query.limit ?? 200);
        return { payouts: rows.map(view) };
      },
    );

    app.post(
      '/routes/:routeId/payouts/poll',
      {
        schema: {
          summary: "Look for the shop's new payouts now",
          description:
            'Starts a poll of the payouts issued since the newest one known (or 30 days; `since` overrides), and a payout sync for each one neither booked nor skipped (re-run a skipped one with `…/payouts/<payout>/sync`). ' +
            'Shopify sends no webhook for payouts: run this on a schedule (e.g. daily) or by hand.',
          tags: ['payouts'],
          params: RouteParams,
          body: Type.Optional(Type.Object({ since: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false })),
          response: { 202: Type.Object({ workflowId: Type.String() }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId } = request.params;
        await requireSyncRoute(db, routeId);
        const workflowId = payoutPollScheduleId(routeId);
        await keepPayoutPollSchedule({ client: temporal, taskQueue: deps.taskQueue }, routeId).catch((error: unknown) =>
          request.log.warn({ err: error, routeId }, 'could not keep the payout poll schedule'),
        );
        await temporal.workflow.start(payoutPollWorkflow, {
          workflowId,
          taskQueue: deps.taskQueue,
          args: [{ routeId, since: request.body?.since ?? null }],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        });
        return reply.status(202).send({ workflowId });
      },
    );

    app.post(
      '/routes/:routeId/payouts/:payoutId/sync',
      {
        schema: {
          summary: 'Book one payout now (replay it)',
          description:
            'Starts the payout\'s sync, or joins the one running: what an audit asks for a paid payout the ledger has no deposit for. ' +
            'A payout already deposited finds its deposit and writes nothing.',
          tags: ['payouts'],
          params: PayoutParams,
          response: { 202: Type.Object({ workflowId: Type.String() }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId, payoutId } = request.params;
        await requireSyncRoute(db, routeId);
        const { workflowId } = await startPayoutSync(temporal, db, deps.taskQueue, { routeId, payoutId });
        request.log.info({ routeId, payoutId, workflowId }, 'payout sync started by an operator');
        return reply.status(202).send({ workflowId });
      },
    );

    app.post(
      '/routes/:routeId/payouts/:payoutId/retry',
      {
        schema: {
          summary: 'Try a parked payout again now',
          description: `Sends "${payoutRetrySignal.name}" to the payout's parked sync (after choosing an account, booking a missing order, or correcting the ledger). 409 when it is not waiting.`,
          tags: ['payouts'],
          params: PayoutParams,
          response: { 202: SignalSent, 404: ErrorResponse, 409: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId, payoutId } = request.params;
        await requireSyncRoute(db, routeId);
        const [row] = await db.select().from(payoutSyncs).where(and(eq(payoutSyncs.routeId, routeId), eq(payoutSyncs.payoutId, payoutId)));
        if (!row) throw notFound(`Payout ${payoutId} is not known on route "${routeId}".`);
        if (!PARKED_PAYOUT_STATUSES.includes(row.status)) throw conflict(`Payout ${payoutId} is not waiting (it is ${row.status}).`);
        try {
          await temporal.workflow.getHandle(row.workflowId).signal(payoutRetrySignal);
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) throw notFound(`The sync of payout ${payoutId} is no longer running.`);
          throw error;
        }
        return reply.status(202).send({ workflowId: row.workflowId, signal: payoutRetrySignal.name });
      },
    );
  };
}
