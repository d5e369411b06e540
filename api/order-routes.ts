import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { and, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import { notFound } from './api-error.js';
import { findOrderRow, markChangeHandled, resumeParkedOrder } from './order-actions.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { OrderParams, OrderSyncDetail, OrderSyncRow, OrderSyncRowStatus, RouteParams, SignalSent, StartedSync } from './order-sync-schemas.js';
import { orderSyncRowView } from './order-sync-row-view.js';
import { orderSyncWorkflowView } from './order-sync-workflow-view.js';
import { requireSyncRoute } from './sync-route-lookup.js';
import { orderSyncs, truncatedFields } from '../db/schema.js';
import { orderSyncWorkflowId, startOrderSync } from '../runtime/order-sync-starter.js';
import { reconnectedSignal, retrySignal } from '../workflows/order-sync.js';

export function orderRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { db, temporal } = deps;

    const findRow = (routeId: string, orderId: string) => findOrderRow(db, routeId, orderId);

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
        const { before, after } = await markChangeHandled(db, routeId, orderId);
        request.log.info({ routeId, orderId, change: before.changedAfterBooking }, 'change to a booked order marked handled');
        return { order: orderSyncRowView(after) };
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
          const sent = await resumeParkedOrder(temporal, db, routeId, orderId, path === 'reconnected' ? 'reconnected' : 'retry');
          request.log.info({ routeId, orderId, ...sent }, 'parked order resumed by an operator');
          return reply.status(202).send(sent);
        },
      );
    }
  };
}
