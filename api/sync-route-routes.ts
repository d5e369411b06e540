import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { documentNumberPrefixWait } from '../domain/sync-error-types.js';
import { integrations, syncRoutes } from '../db/schema.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, notFound } from './api-error.js';
import type { BackgroundResumptions } from './background-resumptions.js';
import { operatorErrorResponses } from './error-response-schema.js';

const DocumentNumberPrefix = Type.Union([Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,7}$' }), Type.Null()], {
  description:
    'Put before every document number this route books ("B-" makes order #1001 document "B-1001"). Shops that book into one ' +
    'ledger need different prefixes, as each has its own "#1001". Up to 8 characters: letters, digits, ".", "_", "/", "-".',
});

const SyncRoute = Type.Object({
  id: Type.String(),
  sourceIntegrationId: Type.String(),
  targetIntegrationId: Type.String(),
  documentNumberPrefix: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Sync routes: which shop books into which ledger, and how its documents are numbered. */
export function syncRouteRoutes(deps: ApiDeps, resumptions: BackgroundResumptions): FastifyPluginAsync {
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
            {
              sourceIntegrationId: Type.String({ minLength: 1 }),
              targetIntegrationId: Type.String({ minLength: 1 }),
              id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
              documentNumberPrefix: Type.Optional(DocumentNumberPrefix),
            },
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
          .values({
            id: request.body.id ?? `route-${randomBytes(5).toString('hex')}`,
            sourceIntegrationId,
            targetIntegrationId,
            documentNumberPrefix: request.body.documentNumberPrefix ?? null,
          })
          .returning();
        return reply.code(201).send(view(route!));
      },
    );

    app.patch(
      '/routes/:routeId',
      {
        schema: {
          summary: "Change a sync route's document number prefix",
          description:
            'Orders parked because their document number was taken by another shop\'s order resume by themselves, at the bounded ' +
            'resume rate. Orders booked before keep their documents: a re-run finds them under the number they were booked with.',
          tags: ['routes'],
          params: Type.Object({ routeId: Type.String() }),
          body: Type.Object({ documentNumberPrefix: DocumentNumberPrefix }, { additionalProperties: false }),
          response: {
            200: Type.Object({ route: SyncRoute, resumed: Type.Integer({ description: 'How many parked orders were queued to resume.' }) }),
            ...operatorErrorResponses,
          },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        const [before] = await deps.db.select().from(syncRoutes).where(eq(syncRoutes.id, routeId));
        if (!before) throw notFound(`No sync route ${routeId}.`);
        const [route] = await deps.db
          .update(syncRoutes)
          .set({ documentNumberPrefix: request.body.documentNumberPrefix })
          .where(eq(syncRoutes.id, routeId))
          .returning();
        const changed = before.documentNumberPrefix !== route!.documentNumberPrefix;
        const resumed = changed
          ? await resumptions.enqueue({ routeId, waitingOn: documentNumberPrefixWait(before.documentNumberPrefix) }, 'retry', 'document number prefix changed')
          : 0;
        request.log.info({ routeId, from: before.documentNumberPrefix, to: route!.documentNumberPrefix, resumed }, 'document number prefix changed');
        return { route: view(route!), resumed };
      },
    );
  };
}
