import type { FastifyReply, FastifyRequest } from 'fastify';
import { consolePathFor } from './console-paths.js';

/**
 * Content negotiation for the operator API's GET routes: a browser (it asks for text/html and sends no bearer
 * token) opening one, as a link in an alert email does, is sent to the console page of the same path, and
 * from there through sign-in and back. API clients (a token, or JSON accepted) get JSON as before.
 */
export async function sendBrowsersToConsole(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method !== 'GET' || request.headers.authorization !== undefined) return;
  if (!/\btext\/html\b/i.test(request.headers.accept ?? '')) return;
  await reply.redirect(consolePathFor(request.url), 303);
}
