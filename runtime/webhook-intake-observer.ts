import type { FastifyInstance } from 'fastify';
import { webhookIntakeSeconds } from '../observability/metrics.js';

/** Times every webhook answer (/webhooks/<platform>), the number Shopify holds us to (5 s). */
export function observeWebhookIntake(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const match = /^\/webhooks\/([a-z0-9-]+)/.exec(request.url);
    if (!match) return;
    webhookIntakeSeconds.observe({ platform: match[1]!, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}
