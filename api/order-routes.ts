import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import { conflict, notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { OrderParams, OrderSyncDetail, OrderSyncRow, OrderSyncRowStatus, RouteParams, SignalSent, StartedSync } from './order-sync-schemas.js';
import { orderSyncRowView } from './order-sync-row-view.js';
import { orderSyncWorkflowView } from './order-sync-workflow-view.js';
import { requireSyncRoute } from './sync-route-lookup.js';
import { orderSyncs, truncatedFields } from '../db/schema.js';
import { orderSyncWorkflowId, startOrderSync } from '../runtime/order-sync-starter.js';
import { reconnectedSignal, retrySignal } from '../workflows/order-sync.js';

/** Statuses of an order whose workflow is parked and listens for a resume signal. */
const PARKED = new Set(['waiting', 'failed']);

export function orderRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { db, temporal } = deps;

    const findRow = async (routeId: string, orderId: string) =>
      (await db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId))))[0];

    app.get(
      '/routes/:routeId/orders',
      {
        schema: {
          summary: "List a route's orders",
          description: 'Most recently updated first.',
          tags: ['orders'],
          params: RouteParams,
          querystring: Type.Object({
            status: Type.Optional(OrderSyncRowStatus),
            changedAfterBooking: Type.Optional(Type.Boolean({ description: 'Only booked orders the shop changed or cancelled since.' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          }),
          response: { 200: Type.Object({ orders: Type.Array(OrderSyncRow) }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        const { status, changedAfterBooking, limit, offset } = request.query;
        await requireSyncRoute(db, routeId);
        const where = and(
          eq(orderSyncs.routeId, routeId),
          status ? eq(orderSyncs.status, status) : undefined,
          changedAfterBooking === undefined ? undefined : changedAfterBooking ? isNotNull(orderSyncs.changedAfterBooking) : isNull(orderSyncs.changedAfterBooking),
        );
        const rows = await db.select().from(orderSyncs).where(where).orderBy(desc(orderSyncs.updatedAt), orderSyncs.orderId).limit(limit ?? 200).offset(offset ?? 0);
        return { orders: rows.map(orderSyncRowView) };
      },
    );

    app.get(
      '/routes/:routeId/orders/:orderId',
      {
        schema: {
          summary: "One order's sync",
          description: 'The stored row, the live workflow status (with SKU suggestions) when it runs, and full texts of truncated fields.',
          tags: ['orders'],
          params: OrderParams,
          response: { 200: OrderSyncDetail, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId, orderId } = request.params;
        await requireSyncRoute(db, routeId);
        const row = await findRow(routeId, orderId);
        const workflow = await orderSyncWorkflowView(temporal, row?.workflowId ?? orderSyncWorkflowId(routeId, orderId));
        if (!row && !workflow) throw notFound(`Order ${orderId} has never been synced on route "${routeId}".`);
        const truncated = await db
          .select()
          .from(truncatedFields)
          .where(and(eq(truncatedFields.routeId, routeId), eq(truncatedFields.orderId, orderId)))
          .orderBy(truncatedFields.field);
        return {
          order: row ? orderSyncRowView(row) : null,
          workflow,
          truncatedFields: truncated.map((t) => ({ field: t.field, fullText: t.fullText, limit: t.limit, recordedAt: t.recordedAt.toISOString() })),
        };
      },
    );

    app.post(
      '/routes/:routeId/orders/:orderId/sync',
      {
        schema: {
          summary: 'Sync an order now',
          description: 'Starts the sync, or joins the one already running. A finished order runs again and finds its ledger document: nothing is booked twice.',
          tags: ['orders'],
          params: OrderParams,
          response: { 202: StartedSync, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { routeId, orderId } = request.params;
        await requireSyncRoute(db, routeId);
        const row = await findRow(routeId, orderId);
        const started = await startOrderSync(temporal, db, deps.taskQueue, { routeId, orderId, orderName: row?.orderName ?? null });
        request.log.info({ routeId, orderId, ...started }, 'order sync started by an operator');
        return reply.status(202).send(started);
      },
    );

    app.post(
      '/routes/:routeId/orders/:orderId/change-handled',
      {
        schema: {
          summary: 'Mark a change to a booked order as handled in the ledger',
          description: 'Clears the order\'s changedAfterBooking once a person has adjusted the ledger. 409 when nothing is outstanding.',
          tags: ['orders'],
          params: OrderParams,
          response: { 200: Type.Object({ order: OrderSyncRow }), 404: ErrorResponse, 409: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const { routeId, orderId } = request.params;
        await requireSyncRoute(db, routeId);
        const row = await findRow(routeId, orderId);
        if (!row) throw notFound(`Order ${orderId} has never been synced on route "${routeId}".`);
        if (!row.changedAfterBooking) throw conflict(`Order ${row.orderName ?? orderId} has no change outstanding since it was booked.`);
        const [updated] = await db
          .update(orderSyncs)
          .set({ changedAfterBooking: null, updatedAt: new Date() })
          .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)))
          .returning();
        request.log.info({ routeId, orderId, change: row.changedAfterBooking }, 'change to a booked order marked handled');
        return { order: orderSyncRowView(updated!) };
      },
    );

    for (const [path, signal, name] of [
      ['reconnected', reconnectedSignal, 'Credentials fixed'],
      ['retry', retrySignal, 'Try again now'],
    ] as const) {
      app.post(
        `/routes/:routeId/orders/:orderId/${path}`,
        {
          schema: {
            summary: `${name}: resume a parked order`,
            description: `Sends "${signal.name}" to the order's parked sync, which repeats the step it stopped at. 409 when the order is not waiting.`,
            tags: ['orders'],
            params: OrderParams,
            response: { 202: SignalSent, 404: ErrorResponse, 409: ErrorResponse, ...operatorErrorResponses },
          },
        },
        async (request, reply) => {
          const { routeId, orderId } = request.params;
          await requireSyncRoute(db, routeId);
          const row = await findRow(routeId, orderId);
          if (!row) throw notFound(`Order ${orderId} has never been synced on route "${routeId}".`);
          const label = row.orderName ?? orderId;
          if (!PARKED.has(row.status)) throw conflict(`Order ${label} is not waiting (it is ${row.status}); there is nothing to resume.`);
          try {
            await temporal.workflow.getHandle(row.workflowId).signal(signal);
          } catch (error) {
            if (error instanceof WorkflowNotFoundError) {
              throw notFound(`The sync of order ${label} is no longer running; start a new one with POST /routes/${routeId}/orders/${orderId}/sync.`);
            }
            throw error;
          }
          request.log.info({ routeId, orderId, workflowId: row.workflowId, signal: signal.name }, 'parked order resumed by an operator');
          return reply.status(202).send({ workflowId: row.workflowId, signal: signal.name });
        },
      );
    }
  };
}
