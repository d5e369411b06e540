import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { commonErrorResponses } from './error-response-schema.js';

/** Liveness for load balancers: the process answers. Public, touches nothing. */
export const healthRoutes: FastifyPluginAsync = async (plugin) => {
  plugin.withTypeProvider<TypeBoxTypeProvider>().get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        tags: ['meta'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }), ...commonErrorResponses },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
};

/** The OpenAPI document of every route. Public: it holds no secrets. */
export const openApiRoutes: FastifyPluginAsync = async (plugin) => {
  plugin.withTypeProvider<TypeBoxTypeProvider>().get(
    '/openapi.json',
    {
      schema: {
        summary: 'OpenAPI document',
        tags: ['meta'],
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'OpenAPI 3 document' }), ...commonErrorResponses },
      },
    },
    async () => plugin.swagger() as unknown as Record<string, unknown>,
  );
};
