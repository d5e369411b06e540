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
            'Answers 202 at once with how many parked orders were queued and a resume id; they are signalled by a workflow at the ' +
            'bounded rate (resumeRatePerSecond), which survives API restarts; GET /replays/:resumeId reports its progress. ' +
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
            202: Type.Object({
              queued: Type.Integer({ description: 'Parked orders queued to resume.' }),
              resumeId: Type.Union([Type.String(), Type.Null()], { description: 'For GET /replays/:resumeId; null when nothing was parked.' }),
            }),
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
        const { queued, resumeId } = await resumptions.replay(routeId, waitingFor, 'replay requested');
        request.log.info({ routeId, waitingFor, queued, resumeId }, 'replay queued');
        return reply.status(202).send({ queued, resumeId });
      },
    );

    app.get(
      '/replays/:resumeId',
      {
        schema: {
          summary: 'Progress of a replay',
          tags: ['orders'],
          params: Type.Object({ resumeId: Type.String({ maxLength: 200 }) }),
          response: {
            200: Type.Object({
              total: Type.Integer({ description: 'Parked orders the replay covers.' }),
              done: Type.Integer({ description: 'Signalled so far.' }),
              failed: Type.Integer({ description: 'Could not be signalled (their sync had ended).' }),
              finished: Type.Boolean(),
            }),
            404: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const progress = await resumptions.progress(request.params.resumeId);
        if (!progress) return reply.status(404).send({ error: { code: 'not_found', message: `There is no replay ${request.params.resumeId}.` } });
        return progress;
      },
    );
  };
}
