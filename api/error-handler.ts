import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * Every error leaves as `{ error: { code, message } }`. Client mistakes say what to fix; our own
 * failures are logged in full and answered with a message that gives nothing internal away.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
    if ('validation' in error && error.validation) {
      return reply.status(400).send({ error: { code: 'invalid_request', message: `The request is not valid: ${error.message}.` } });
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (unsupported media type, body too large, empty JSON body) read well.
      return reply.status(status).send({ error: { code: clientErrorCode(error.code), message: error.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({
      error: { code: 'internal_error', message: `Something went wrong on our side and was logged (request ${request.id}). Please try again.` },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `There is no ${request.method} ${request.url.split('?')[0]} route.` } });
  });
}

function clientErrorCode(fastifyCode: string | undefined): string {
  switch (fastifyCode) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    default:
      return 'invalid_request';
  }
}
