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

/**
 * What a request that may also come from a browser says about the operator token: none sent, the right one,
 * or a wrong one. For routes (connect) that accept other proof too.
 */
export function operatorTokenCheck(operatorToken: string): (request: FastifyRequest) => 'absent' | 'valid' | 'invalid' {
  if (operatorToken.length === 0) throw new Error('operatorToken must not be empty');
  const expected = digest(operatorToken);
  return (request) => {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') return 'absent';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match && timingSafeEqual(digest(match[1]!), expected) ? 'valid' : 'invalid';
  };
}

/** Guards every route of `app` (an encapsulated plugin) with the operator token. */
export function requireOperatorToken(app: FastifyInstance, operatorToken: string): void {
  app.addHook('onRequest', operatorTokenHook(operatorToken));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
