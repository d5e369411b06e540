import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * Guards every route of `app` (an encapsulated plugin) with `Authorization: Bearer <token>`.
 * Both sides are hashed first so the comparison takes the same time whatever the length.
 */
export function requireOperatorToken(app: FastifyInstance, operatorToken: string): void {
  if (operatorToken.length === 0) throw new Error('operatorToken must not be empty');
  const expected = digest(operatorToken);
  app.addHook('onRequest', async (request, reply) => {
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
  });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
