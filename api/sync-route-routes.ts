import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { integrations, syncRoutes } from '../db/schema.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';
import { operatorErrorResponses } from './error-response-schema.js';

const SyncRoute = Type.Object({
  id: Type.String(),
  sourceIntegrationId: Type.String(),
  targetIntegrationId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Sync routes: which shop books into which ledger. */
export function syncRouteRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const view = (row: typeof syncRoutes.$inferSelect) => ({ ...row, createdAt: row.createdAt.toISOString() });

    app.get(
      '/routes',
      { schema: { summary: 'List sync routes', tags: ['routes'], response: { 200: Type.Object({ routes: Type.Array(SyncRoute) }), ...operatorErrorResponses } } },
      async () => ({ routes: (await deps.db.select().from(syncRoutes).orderBy(syncRoutes.createdAt)).map(view) }),
    );

    app.post(
      '/routes',
      {
        schema: {
          summary: 'Create a sync route from a commerce integration to an accounting integration',
          tags: ['routes'],
          body: Type.Object(
            { sourceIntegrationId: Type.String({ minLength: 1 }), targetIntegrationId: Type.String({ minLength: 1 }), id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })) },
            { additionalProperties: false },
          ),
          response: { 201: SyncRoute, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { sourceIntegrationId, targetIntegrationId } = request.body;
        const [source] = await deps.db.select().from(integrations).where(eq(integrations.id, sourceIntegrationId));
        const [target] = await deps.db.select().from(integrations).where(eq(integrations.id, targetIntegrationId));
        if (!source || !target) throw new ApiError(400, 'invalid_request', `No integration ${!source ? sourceIntegrationId : targetIntegrationId}.`);
        const [route] = await deps.db
          .insert(syncRoutes)
          .values({ id: request.body.id ?? `route-${randomBytes(5).toString('hex')}`, sourceIntegrationId, targetIntegrationId })
          .returning();
        return reply.code(201).send(view(route!));
      },
    );
  };
}
