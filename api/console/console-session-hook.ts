import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.js';
import { signInPathReturningTo } from './console-paths.js';
import { findSession, type OperatorSession } from './operator-sessions.js';
import { readCookie } from './cookies.js';

export const SESSION_COOKIE = 'lb_session';
const sessions = new WeakMap<FastifyRequest, OperatorSession>();

/** The signed-in operator of a request that passed the console's session hook. */
export function consoleSessionOf(request: FastifyRequest): OperatorSession {
  const session = sessions.get(request);
  if (!session) throw new Error(`${request.url} is not behind the console's session hook (register the page inside consolePages)`);
  return session;
}

/**
 * Guards every route of `app` (an encapsulated plugin): a session cookie is needed, and every request that
 * changes something carries the session's CSRF token (form field `_csrf` or header `x-csrf-token`).
 * A browser without a session is sent to sign in and brought back to the page it asked for.
 */
export function requireConsoleSession(app: FastifyInstance, db: Database): void {
  app.addHook('onRequest', async (request, reply) => {
    const token = readCookie(request, SESSION_COOKIE);
    const session = token ? await findSession(db, token) : null;
    if (session) {
      sessions.set(request, session);
      return;
    }
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(signInPathReturningTo(request.url), 303);
    return refuse(reply, 401, 'You are signed out (the session ended). Sign in again, then repeat what you did.');
  });
  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const body = request.body as Record<string, unknown> | undefined;
    const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameToken(sent, consoleSessionOf(request).csrfToken)) {
      return refuse(reply, 403, 'This form is out of date or did not come from the console, so nothing was done. Reload the page and try again.');
    }
  });
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(message);
}

export function sameToken(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}
