import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { eq } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import { escapeHtml } from '../notifications/email-markup.js';
import { InvalidRecipientError, normalizeRecipients, NoRecipientsError } from '../notifications/recipient-list.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { createIntegration } from '../runtime/integration-health-creator.js';
import { beginConnect, completeConnect, OAuthStateError, type OAuthDeps } from '../runtime/integration-health-oauth.js';
import { deleteIntegration } from '../runtime/integration-health-removal.js';
import { integrationHealthWorkflowId, signalIntegrationHealth, startIntegrationHealth, type IntegrationHealthRuntime } from '../runtime/integration-health-starter.js';
import { integrationHealthDetail, listIntegrationHealth } from '../runtime/integration-health-views.js';
import { checkHealthUpdate, type HealthCheckOutcome } from '../workflows/integration-health.js';

export interface IntegrationRoutesDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  health: IntegrationHealthRuntime;
  /** Our app's public origin, e.g. "https://ledgerbridge.example.com": reconnect links and the OAuth redirect URI start with it. */
  publicBaseUrl: string;
  /**
   * Guards the operator routes (the operator token). Not run for connect and the OAuth callback: a browser opens
   * those from an email or from the platform, and the single-use `state` protects the callback.
   */
  requireOperator?: preHandlerAsyncHookHandler;
  /** How long "check now" waits for the four results. */
  checkTimeoutMs?: number;
}

/** Path of the OAuth callback under this plugin's prefix; register it at the platforms with `oauthRedirectUri`. */
export const OAUTH_CALLBACK_PATH = '/integrations/oauth/callback';

export function oauthRedirectUri(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${OAUTH_CALLBACK_PATH}`;
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * Integrations and their health: list with the health column, one integration's checks and history,
 * check now, connect + OAuth callback, pause/resume/delete, alert recipients.
 */
export const integrationRoutes: FastifyPluginAsyncTypebox<IntegrationRoutesDeps> = async (app, deps) => {
  const oauth: OAuthDeps = {
    db: deps.db,
    platforms: deps.platforms,
    credentials: deps.credentials,
    health: deps.health,
    redirectUri: oauthRedirectUri(deps.publicBaseUrl),
  };
  const operator = deps.requireOperator ? { preHandler: deps.requireOperator } : {};
  const exists = async (id: string) => (await deps.db.select({ id: integrations.id }).from(integrations).where(eq(integrations.id, id))).length > 0;
  const notFound = (id: string) => ({ message: `There is no integration ${id}.` });

  app.get('/integrations', { ...operator }, async () => ({ integrations: await listIntegrationHealth(deps.db, deps.publicBaseUrl) }));

  app.post(
    '/integrations',
    {
      ...operator,
      schema: {
        body: Type.Object({
          platform: Type.String({ minLength: 1 }),
          account: Type.Optional(Type.Record(Type.String(), Type.String())),
          notifyEmails: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
        }),
      },
    },
    async (request, reply) => {
      try {
        deps.platforms.get(request.body.platform);
      } catch (error) {
        return reply.code(400).send({ message: (error as Error).message });
      }
      try {
        const created = await createIntegration(deps.db, deps.platforms, deps.health, request.body);
        return reply.code(201).send(created);
      } catch (error) {
        if (error instanceof InvalidRecipientError) return reply.code(400).send({ message: error.message });
        throw error;
      }
    },
  );

  app.get('/integrations/:id', { ...operator, schema: { params: IdParams } }, async (request, reply) => {
    const detail = await integrationHealthDetail(deps.db, request.params.id, deps.publicBaseUrl);
    return detail ?? reply.code(404).send(notFound(request.params.id));
  });

  // "Check health": a Workflow Update, so the answer is the four results of a check that ran just now.
  app.post('/integrations/:id/check', { ...operator, schema: { params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    if (!(await exists(id))) return reply.code(404).send(notFound(id));
    await startIntegrationHealth(deps.health, id);
    const handle = deps.health.client.workflow.getHandle(integrationHealthWorkflowId(id));
    const timeoutMs = deps.checkTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    try {
      const outcome: HealthCheckOutcome | null = await Promise.race([handle.executeUpdate(checkHealthUpdate), timeout]);
      if (!outcome) return reply.code(504).send({ message: `The health check did not answer within ${Math.round(timeoutMs / 1000)} s. Is the worker running?` });
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  });

  // Opened by a browser (often from an email): no operator token, just a redirect with a fresh state.
  app.get('/integrations/:id/connect', { schema: { params: IdParams } }, async (request, reply) => {
    try {
      return reply.redirect(await beginConnect(oauth, request.params.id), 302);
    } catch (error) {
      if (error instanceof OAuthStateError) return reply.code(404).type('text/html').send(page('Cannot connect', error.message));
      throw error;
    }
  });

  app.get(OAUTH_CALLBACK_PATH, async (request, reply) => {
    const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    try {
      const { displayName } = await completeConnect(oauth, query);
      return reply.type('text/html').send(page(`${displayName} is connected`, `${displayName} is connected. We are checking the connection now; waiting orders will resume by themselves.`));
    } catch (error) {
      const message = error instanceof OAuthStateError ? error.message : `Connecting failed: ${(error as Error).message}`;
      request.log.warn({ err: error }, 'OAuth callback failed');
      return reply.code(400).type('text/html').send(page('Connecting failed', message));
    }
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/integrations/:id/${action}`, { ...operator, schema: { params: IdParams } }, async (request, reply) => {
      const { id } = request.params;
      if (!(await exists(id))) return reply.code(404).send(notFound(id));
      await signalIntegrationHealth(deps.health, id, { name: action });
      const message =
        action === 'pause'
          ? 'Pausing: the integration turns Disconnected, syncs wait, nothing is lost.'
          : 'Resuming: the integration is checked now and waiting orders resume once it is Connected.';
      return reply.code(202).send({ accepted: true, message });
    });
  }

  app.delete(
    '/integrations/:id',
    { ...operator, schema: { params: IdParams, querystring: Type.Object({ confirm: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await exists(id))) return reply.code(404).send(notFound(id));
      // Deleting is for good: the caller repeats the integration's id to show it means this one.
      if (request.query.confirm !== id) {
        return reply.code(400).send({ message: `Deleting removes the integration's tokens, routes and order records for good. Repeat its id to confirm: ?confirm=${id}` });
      }
      const report = await deleteIntegration(deps.db, deps.health.client, id);
      return report ?? reply.code(404).send(notFound(id));
    },
  );

  app.put(
    '/integrations/:id/recipients',
    { ...operator, schema: { params: IdParams, body: Type.Object({ notifyEmails: Type.Array(Type.String(), { maxItems: 50 }) }) } },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await exists(id))) return reply.code(404).send(notFound(id));
      let notifyEmails: string[] = [];
      try {
        notifyEmails = request.body.notifyEmails.some((e) => e.trim() !== '') ? normalizeRecipients(request.body.notifyEmails, 'alert recipients') : [];
      } catch (error) {
        if (error instanceof InvalidRecipientError || error instanceof NoRecipientsError) return reply.code(400).send({ message: error.message });
        throw error;
      }
      await deps.db.update(integrations).set({ notifyEmails }).where(eq(integrations.id, id));
      return { notifyEmails };
    },
  );
};

function page(title: string, message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}
