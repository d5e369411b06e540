import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ApiDeps } from './api-deps.js';
import { operatorErrorResponses } from './error-response-schema.js';
import { intakeDepth } from '../db/webhook-intake.js';

/** The order webhooks accepted whose syncs are not started yet: zero in normal running. */
export function intakeRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    plugin.withTypeProvider<TypeBoxTypeProvider>().get(
      '/intake',
      {
        schema: {
          summary: 'Order webhooks still to start',
          description:
            'Order webhooks are answered once recorded; their syncs are started from this intake in batches. A growing intake or a ' +
            'lastError means starts are failing (usually Temporal unreachable); nothing is lost, they are tried again.',
          tags: ['webhooks'],
          response: {
            200: Type.Object({
              queued: Type.Integer(),
              processing: Type.Integer({ description: 'Being started now (or claimed by a process that died, until its lease ends).' }),
              oldestWaitingSeconds: Type.Union([Type.Number(), Type.Null()]),
              retrying: Type.Integer({ description: 'Waiting events whose last start failed.' }),
              lastError: Type.Union([Type.String(), Type.Null()]),
            }),
            ...operatorErrorResponses,
          },
        },
      },
      async () => intakeDepth(deps.db),
    );
  };
}
