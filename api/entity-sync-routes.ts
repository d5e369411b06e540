import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import { integrations } from '../db/schema.js';
import { isSyncEntity, SYNC_ENTITIES } from '../domain/commerce-entities.js';
import { entityStatusesOf, retryEntity } from '../runtime/entity-sync-status.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';

const tags = ['integrations'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'Integration id' }) });
const EntityParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'Integration id' }),
  entity: Type.String({ description: `One of ${SYNC_ENTITIES.join(', ')}` }),
});

/** Per-entity status of an integration's routes, and "retry this entity" (operator routes). */
export function entitySyncRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const requireIntegration = async (id: string) => {
      const [row] = await deps.db.select({ id: integrations.id }).from(integrations).where(eq(integrations.id, id));
      if (!row) throw notFound(`There is no integration ${id}.`);
    };

    app.get(
      '/integrations/:id/entities',
      {
        schema: {
          summary: 'Customers, Orders and Products of the integration\'s routes: Pending / Syncing / Synced / Waiting / Failed counts and the last error',
          tags,
          params: IdParams,
          response: { 200: Type.Unknown(), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        await requireIntegration(request.params.id);
        return { integrationId: request.params.id, entities: await entityStatusesOf(deps.db, request.params.id) };
      },
    );

    app.post(
      '/integrations/:id/entities/:entity/retry',
      {
        schema: {
          summary: 'Retry one entity: every failed or waiting record goes again now; synced ones are left alone',
          tags,
          params: EntityParams,
          response: { 202: Type.Unknown(), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { id, entity } = request.params;
        if (!isSyncEntity(entity)) throw new ApiError(400, 'invalid_request', `Unknown entity "${entity}": one of ${SYNC_ENTITIES.join(', ')}.`);
        await requireIntegration(id);
        return reply.code(202).send({ entity, ...(await retryEntity(deps.temporal, deps.db, deps.taskQueue, id, entity)) });
      },
    );
  };
}
