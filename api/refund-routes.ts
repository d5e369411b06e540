import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { and, desc, eq } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { Nullable, OrderParams, RouteParams, SignalSent } from './order-sync-schemas.js';
import { requireSyncRoute } from './sync-route-lookup.js';
import { refundSyncs } from '../db/schema.js';
import { retryParkedRefund } from './refund-actions.js';
import { refundSyncRowView } from './refund-sync-row-view.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';

const statusDescription =
  'pending · waiting_for_sale (the order is not booked yet) · syncing · synced · failed (retries on its own) · waiting (needs a person) · skipped (nothing to book, or a ledger that books no refunds yet: see lastError)';

/** One refund (or a cancellation's reversal, refundId "cancellation") as the database knows it (refund_syncs). */
export const RefundSyncRow = Type.Object({
  routeId: Type.String(),
  orderId: Type.String(),
  refundId: Type.String({ description: 'The shop\'s refund id, or "cancellation" for the reversal of a cancelled order.' }),
  orderName: Nullable(Type.String()),
  workflowId: Type.String(),
  status: Type.String({ description: statusDescription }),
  waitingOn: Nullable(Type.String()),
  lastError: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  refundTotal: Nullable(Type.String({ description: 'What the shop gave back, shop currency.' })),
  refundCurrency: Nullable(
    Type.String({ description: 'ISO 4217 code of refundTotal ("GBP"); null until the refund is read, and on refunds recorded before ledgerbridge kept it.' }),
  ),
  ledgerDocNumber: Nullable(Type.String()),
  ledgerDocumentId: Nullable(Type.String()),
  attempts: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  syncedAt: Nullable(Type.String({ format: 'date-time' })),
});

const RefundParams = Type.Object({ ...OrderParams.properties, refundId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }) });

/** Refunds and cancellations after booking, next to the order syncs: list them, and resume a parked one. */
export function refundRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { db, temporal } = deps;
    const listed = { 200: Type.Object({ refunds: Type.Array(RefundSyncRow) }), 404: ErrorResponse, ...operatorErrorResponses };

    app.get(
      '/routes/:routeId/refunds',
      {
        schema: {
          summary: "List a route's refunds and cancellations",
          description: 'Each refund booked (or to book) as the ledger\'s refund document, most recently updated first.',
          tags: ['orders'],
          params: RouteParams,
          querystring: Type.Object({ status: Type.Optional(Type.String({ description: statusDescription })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })) }),
          response: listed,
        },
      },
      async (request) => {
        const { routeId } = request.params;
        await requireSyncRoute(db, routeId);
        const where = and(eq(refundSyncs.routeId, routeId), request.query.status ? eq(refundSyncs.status, request.query.status) : undefined);
        const rows = await db.select().from(refundSyncs).where(where).orderBy(desc(refundSyncs.updatedAt)).limit(request.query.limit ?? 200);
        return { refunds: rows.map(refundSyncRowView) };
      },
    );

    app.get(
      '/routes/:routeId/orders/:orderId/refunds',
      {
        schema: {
          summary: "An order's refunds and cancellation",
          description: 'Each refund of the order and the reversal of its cancellation, oldest first, with its refund document once booked.',
          tags: ['orders'],
          params: OrderParams,
          response: listed,
        },
      },
      async (request) => {
        const { routeId, orderId } = request.params;
        await requireSyncRoute(db, routeId);
        const rows = await db.select().from(refundSyncs).where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId))).orderBy(refundSyncs.firstSeenAt);
        return { refunds: rows.map(refundSyncRowView) };
      },
    );

    app.post(
      '/routes/:routeId/orders/:orderId/refunds/:refundId/retry',
      {
        schema: {
          summary: 'Try a parked refund again now',
          description: `Sends "${refundRetrySignal.name}" to the refund's parked booking. 409 when it is not waiting.`,
          tags: ['orders'],
          params: RefundParams,
          response: { 202: SignalSent, 404: ErrorResponse, 409: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId, orderId, refundId } = request.params;
        await requireSyncRoute(db, routeId);
        return reply.status(202).send(await retryParkedRefund(temporal, db, routeId, orderId, refundId));
      },
    );
  };
}
