import type { FastifyInstance } from 'fastify';
import { BackgroundResumptions, DEFAULT_RESUME_RATE_PER_SECOND } from '../background-resumptions.js';
import type { ConsoleDeps } from './console-deps.js';

/**
 * The queue the console's pages resume parked orders through: the API's own (one instance, one rate for a
 * mapping saved here and one saved through the API). A console served without the API (tests of its sign-in)
 * gets one of its own.
 */
export function consoleResumptions(app: FastifyInstance, deps: ConsoleDeps): BackgroundResumptions {
  if (app.bulkResumptions) return app.bulkResumptions;
  const own = new BackgroundResumptions(deps.health.client, deps.db, deps.health.taskQueue, deps.resumeRatePerSecond ?? DEFAULT_RESUME_RATE_PER_SECOND, app.log);
  app.decorate('bulkResumptions', own);
  app.addHook('onClose', async () => own.idle());
  return own;
}
