import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ScheduleNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { integrations, orderPollCursors, syncRoutes } from '../db/schema.js';
import { cancelFullResync, readFullResync, ResyncRunningError, startFullResync } from '../runtime/full-resync-starter.js';
import { orderPollScheduleId } from '../runtime/order-poll-schedule.js';
import { DEFAULT_RESYNC_PER_SECOND } from '../workflows/full-resync.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, conflict, notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'Store integration id' }) });
const tags = ['integrations'];
// Bodies are the TypeScript types of runtime/full-resync-starter.ts (FullResyncView); schemas here guard the errors.
const answers = { 200: Type.Unknown(), 202: Type.Unknown(), 404: ErrorResponse, 409: ErrorResponse, ...operatorErrorResponses };

/**
 * A store's full re-sync (start, progress, cancel) and its reconciliation polling (cursor, last error). The re-sync
 * runs as fullResyncWorkflow; this only starts it and reads it.
 */
export function fullResyncRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const runtime = { client: deps.temporal, taskQueue: deps.taskQueue };
    const storeOf = async (id: string) => {
      const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, id));
      if (!row) throw notFound(`There is no integration ${id}.`);
      if (deps.platforms && deps.platforms.roleOf(row.platform) !== 'commerce') throw new ApiError(400, 'not_a_store', `${row.displayName} is not a store: only a store's history is re-synced.`);
      return row;
    };

    app.post(
      '/integrations/:id/resync',
      {
        schema: {
          summary: "Full re-sync: walk the store's history and start or join every order's sync (never books twice)",
          description:
            'Runs in the background at a bounded rate; read its progress with GET. Orders already booked are counted and left alone; the ' +
            "routes' sync settings apply (start date, entities on or off). 409 while one is running. Running it again right after " +
            'creates no document and says so ("N orders checked, 0 new documents, N already booked").',
          tags,
          params: IdParams,
          body: Type.Object(
            {
              routeId: Type.Optional(Type.String({ minLength: 1, description: 'One route of the store; default: every route reading from it' })),
              from: Type.Optional(Type.String({ format: 'date', description: 'Only orders placed from this day (UTC); default: the routes\' start dates, else the whole history' })),
              perSecond: Type.Optional(Type.Number({ minimum: 0.1, maximum: 50, description: `Syncs started a second at most (default ${DEFAULT_RESYNC_PER_SECOND})` })),
              entities: Type.Optional(
                Type.Array(Type.Union([Type.Literal('orders'), Type.Literal('customers'), Type.Literal('products')]), {
                  minItems: 1,
                  uniqueItems: true,
                  description: 'What to walk, in this order; default: orders',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: answers,
        },
      },
      async (request, reply) => {
        const store = await storeOf(request.params.id);
        const { routeId, from, perSecond, entities } = request.body;
        if (routeId) {
          const [route] = await deps.db.select({ source: syncRoutes.sourceIntegrationId }).from(syncRoutes).where(eq(syncRoutes.id, routeId));
          if (route?.source !== store.id) throw notFound(`${store.displayName} has no route ${routeId}.`);
        } else if ((await deps.db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, store.id))).length === 0) {
          throw new ApiError(400, 'no_routes', `No sync route reads from ${store.displayName}: there is nothing to re-sync into.`);
        }
        try {
          const view = await startFullResync(runtime, {
            integrationId: store.id,
            routeId: routeId ?? null,
            from: from ? new Date(`${from}T00:00:00Z`).toISOString() : null,
            perSecond: perSecond ?? deps.resyncPerSecond ?? DEFAULT_RESYNC_PER_SECOND,
            ...(entities ? { kinds: entities } : {}),
          });
          request.log.info({ integrationId: store.id, routeId, from }, 'full re-sync started');
          return reply.code(202).send(view);
        } catch (error) {
          if (error instanceof ResyncRunningError) throw conflict(error.message);
          throw error;
        }
      },
    );

    app.get(
      '/integrations/:id/resync',
      { schema: { summary: "The store's latest full re-sync: state, done / total, rate, summary", tags, params: IdParams, response: answers } },
      async (request) => {
        const store = await storeOf(request.params.id);
        const view = await readFullResync(deps.temporal, store.id);
        if (!view) throw notFound(`${store.displayName} was never re-synced.`);
        return view;
      },
    );

    app.post(
      '/integrations/:id/resync/cancel',
      { schema: { summary: 'Cancel the running full re-sync (syncs it started go on)', tags, params: IdParams, response: answers } },
      async (request, reply) => {
        const store = await storeOf(request.params.id);
        const cancelled = await cancelFullResync(deps.temporal, store.id);
        return reply.code(202).send({
          cancelled,
          message: cancelled ? 'Cancelling: the re-sync stops after the order in hand. Syncs it started go on.' : `No full re-sync of ${store.displayName} is running.`,
        });
      },
    );

    app.get(
      '/integrations/:id/polling',
      { schema: { summary: "Reconciliation polling of a store: its cursor, last poll and last error, and its schedule", tags, params: IdParams, response: answers } },
      async (request) => {
        const store = await storeOf(request.params.id);
        const [cursor] = await deps.db.select().from(orderPollCursors).where(eq(orderPollCursors.integrationId, store.id));
        return {
          integrationId: store.id,
          handedOverUntil: cursor?.handedOverUntil.toISOString() ?? null,
          ordersHandedOver: cursor?.ordersHandedOver ?? 0,
          lastPolledAt: cursor?.lastPolledAt?.toISOString() ?? null,
          lastError: cursor?.lastError ?? null,
          schedule: await scheduleOf(deps, store.id),
        };
      },
    );
  };
}

/** The poll schedule as Temporal has it; null when it is missing (the next health check creates it). */
async function scheduleOf(deps: ApiDeps, integrationId: string): Promise<{ paused: boolean; everySeconds: number | null; nextRunAt: string | null } | null> {
  try {
    const description = await deps.temporal.schedule.getHandle(orderPollScheduleId(integrationId)).describe();
    const every = description.spec.intervals?.[0]?.every;
    return {
      paused: description.state.paused,
      everySeconds: typeof every === 'number' ? every / 1000 : null,
      nextRunAt: description.info.nextActionTimes[0]?.toISOString() ?? null,
    };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}
