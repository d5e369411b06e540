import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { syncRoutes } from '../db/schema.js';
import { ENTITY_KINDS, routeSyncSettingsOf, storedEntities, type EntityKind, type RouteSyncSettings } from '../domain/route-sync-settings.js';
import type { ApiDeps } from './api-deps.js';
import { notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';

const APPLIES =
  'A change applies to what the store sends from now on; orders booked or skipped before keep their state until you run a full re-sync of the store (POST /integrations/:id/resync).';

const Settings = Type.Object({
  routeId: Type.String(),
  entities: Type.Object(Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, Type.Boolean()])), { description: 'Each entity kind, on or off' }),
  ordersFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()], { description: "Orders placed before this day (UTC) are skipped (\"before the route's start date\"); null = every order" }),
  note: Type.String(),
});

export interface RouteSyncSettingsChange {
  entities?: Partial<Record<EntityKind, boolean>>;
  /** "YYYY-MM-DD" (UTC), or null for every order. */
  ordersFrom?: string | null;
}

/** The route's settings, or null when there is no such route. */
export async function readRouteSyncSettings(db: Database, routeId: string): Promise<RouteSyncSettings | null> {
  const [row] = await db.select({ syncEntities: syncRoutes.syncEntities, ordersFrom: syncRoutes.ordersFrom }).from(syncRoutes).where(eq(syncRoutes.id, routeId));
  return row ? routeSyncSettingsOf(row) : null;
}

/** Saves what `change` names and keeps the rest; the API's and the console's. Null when there is no such route. */
export async function saveRouteSyncSettings(db: Database, routeId: string, change: RouteSyncSettingsChange): Promise<RouteSyncSettings | null> {
  const [before] = await db.select({ syncEntities: syncRoutes.syncEntities }).from(syncRoutes).where(eq(syncRoutes.id, routeId));
  if (!before) return null;
  const [row] = await db
    .update(syncRoutes)
    .set({
      ...(change.entities ? { syncEntities: storedEntities(change.entities, before.syncEntities) } : {}),
      ...(change.ordersFrom !== undefined ? { ordersFrom: change.ordersFrom ? new Date(`${change.ordersFrom}T00:00:00Z`) : null } : {}),
    })
    .where(eq(syncRoutes.id, routeId))
    .returning({ syncEntities: syncRoutes.syncEntities, ordersFrom: syncRoutes.ordersFrom });
  return routeSyncSettingsOf(row!);
}

function view(routeId: string, settings: RouteSyncSettings) {
  return { routeId, entities: settings.entities, ordersFrom: settings.ordersFrom?.slice(0, 10) ?? null, note: APPLIES };
}

/** GET/PUT /routes/:routeId/sync-settings: entities on or off, and the day from which orders are booked. */
export function routeSyncSettingsRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const params = Type.Object({ routeId: Type.String() });

    app.get(
      '/routes/:routeId/sync-settings',
      { schema: { summary: "A route's sync settings: entities on or off, the day from which orders are booked", tags: ['routes'], params, response: { 200: Settings, 404: ErrorResponse, ...operatorErrorResponses } } },
      async (request) => {
        const settings = await readRouteSyncSettings(deps.db, request.params.routeId);
        if (!settings) throw notFound(`No sync route ${request.params.routeId}.`);
        return view(request.params.routeId, settings);
      },
    );

    app.put(
      '/routes/:routeId/sync-settings',
      {
        schema: {
          summary: "Change a route's sync settings",
          description: `Sets what the body names and leaves the rest. ${APPLIES}`,
          tags: ['routes'],
          params,
          body: Type.Object(
            {
              entities: Type.Optional(Type.Object(Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, Type.Optional(Type.Boolean())])), { additionalProperties: false })),
              // Null first: the validator coerces, and would turn a null into "" for a string tried first.
              ordersFrom: Type.Optional(Type.Union([Type.Null(), Type.String({ format: 'date' })])),
            },
            { additionalProperties: false },
          ),
          response: { 200: Settings, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const settings = await saveRouteSyncSettings(deps.db, request.params.routeId, request.body as RouteSyncSettingsChange);
        if (!settings) throw notFound(`No sync route ${request.params.routeId}.`);
        request.log.info({ routeId: request.params.routeId, settings }, 'route sync settings changed');
        return view(request.params.routeId, settings);
      },
    );
  };
}
