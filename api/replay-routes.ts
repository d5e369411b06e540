import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiDeps } from './api-deps.js';
import type { BackgroundResumptions } from './background-resumptions.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { RouteParams } from './order-sync-schemas.js';
import { requireSyncRoute } from './sync-route-lookup.js';

export function replayRoutes(deps: ApiDeps, resumptions: BackgroundResumptions): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/routes/:routeId/replay',
      {
        schema: {
          summary: "Resume a route's parked orders",
          description:
            'Answers 202 at once with how many parked orders were queued; they are signalled in the background at the bounded rate ' +
            '(resumeRatePerSecond) and the outcome is logged. A backlog of thousands would outlast any request timeout otherwise. ' +
            'The body may be omitted.',
          tags: ['orders'],
          params: RouteParams,
          body: Type.Object(
            {
              waitingFor: Type.Optional(
                Type.Union([Type.Literal('reconnect'), Type.Literal('fix'), Type.Literal('retry')], {
                  description: 'Only orders waiting for this; all parked orders when absent.',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: {
            202: Type.Object({ queued: Type.Integer({ description: 'Parked orders queued to resume.' }) }),
            404: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
        // "POST .../replay" with no body means "everything".
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) => {
        const { routeId } = request.params;
        await requireSyncRoute(deps.db, routeId);
        const { waitingFor } = request.body;
        const queued = await resumptions.enqueue({ routeId, ...(waitingFor ? { waitingFor } : {}) }, waitingFor === 'reconnect' ? 'reconnected' : 'retry', 'replay requested');
        request.log.info({ routeId, waitingFor, queued }, 'replay queued');
        return reply.status(202).send({ queued });
      },
    );
  };
}
