import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * A hook (onRequest or preHandler) that lets a request through only with `Authorization: Bearer <token>`.
 * Both sides are hashed first so the comparison takes the same time whatever the length.
 */
export function operatorTokenHook(operatorToken: string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  if (operatorToken.length === 0) throw new Error('operatorToken must not be empty');
  const expected = digest(operatorToken);
  return async (request, reply) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError(
        401,
        'unauthorized',
        match ? 'The operator token is not valid.' : 'This route needs the operator token: send "Authorization: Bearer <token>".',
      );
    }
  };
}

/** Guards every route of `app` (an encapsulated plugin) with the operator token. */
export function requireOperatorToken(app: FastifyInstance, operatorToken: string): void {
  app.addHook('onRequest', operatorTokenHook(operatorToken));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
