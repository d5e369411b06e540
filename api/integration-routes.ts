import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
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
import { removeCommerceWebhooks } from '../activities/commerce-webhook-keeper.js';
import { integrationHealthWorkflowId, signalIntegrationHealth, startIntegrationHealth, type IntegrationHealthRuntime } from '../runtime/integration-health-starter.js';
import { integrationHealthDetail, listIntegrationHealth } from '../runtime/integration-health-views.js';
import { checkHealthUpdate, type HealthCheckOutcome } from '../workflows/integration-health.js';
import { ApiError, notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';

export interface IntegrationRoutesDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  health: IntegrationHealthRuntime;
  /** Our app's public origin, e.g. "https://ledgerbridge.example.com": reconnect links and the OAuth redirect URI start with it. */
  publicBaseUrl: string;
  /** How long "check now" waits for the four results (default 30 s). */
  checkTimeoutMs?: number;
}

/** Path of the OAuth callback; register `oauthRedirectUri(publicBaseUrl)` at the platforms. */
export const OAUTH_CALLBACK_PATH = '/integrations/oauth/callback';

export function oauthRedirectUri(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${OAUTH_CALLBACK_PATH}`;
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, description: 'Integration id' }) });
const tags = ['integrations'];

/**
 * Operator routes (register inside the operator-token scope): list with the health column, one integration's
 * checks and transition history, check now, pause/resume/delete, alert recipients.
 */
export function integrationRoutes(deps: IntegrationRoutesDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const requireIntegration = async (id: string) => {
      const [row] = await deps.db.select({ id: integrations.id }).from(integrations).where(eq(integrations.id, id));
      if (!row) throw notFound(`There is no integration ${id}.`);
    };
    // Bodies are documented by their TypeScript types (runtime/integration-health-views.ts); schemas here guard the errors.
    const ok = { 200: Type.Unknown(), 201: Type.Unknown(), 202: Type.Unknown() };
    const errors = { ...ok, 404: ErrorResponse, ...operatorErrorResponses };

    app.get('/integrations', { schema: { summary: 'List integrations with their health', tags, response: { ...ok, ...operatorErrorResponses } } }, async () => ({
      integrations: await listIntegrationHealth(deps.db, deps.publicBaseUrl),
    }));

    app.post(
      '/integrations',
      {
        schema: {
          summary: 'Create an integration ("QuickBooks Online #2") and start its health workflow',
          tags,
          body: Type.Object({
            platform: Type.String({ minLength: 1, description: "Platform id: 'shopify', 'qbo', ..." }),
            account: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Shopify: { shop }' })),
            notifyEmails: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
          }),
          response: { ...ok, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        try {
          deps.platforms.get(request.body.platform);
        } catch (error) {
          throw new ApiError(400, 'invalid_request', (error as Error).message);
        }
        try {
          return reply.code(201).send(await createIntegration(deps.db, deps.platforms, deps.health, request.body));
        } catch (error) {
          if (error instanceof InvalidRecipientError) throw new ApiError(400, 'invalid_request', error.message);
          throw error;
        }
      },
    );

    app.get('/integrations/:id', { schema: { summary: "One integration: health, last checks, status history", tags, params: IdParams, response: errors } }, async (request) => {
      const detail = await integrationHealthDetail(deps.db, request.params.id, deps.publicBaseUrl);
      if (!detail) throw notFound(`There is no integration ${request.params.id}.`);
      return detail;
    });

    // "Check health" is a Workflow Update: the answer is the four results of a check that ran just now.
    app.post('/integrations/:id/check', { schema: { summary: 'Run the four health checks now', tags, params: IdParams, response: errors } }, async (request) => {
      const { id } = request.params;
      await requireIntegration(id);
      await startIntegrationHealth(deps.health, id);
      const handle = deps.health.client.workflow.getHandle(integrationHealthWorkflowId(id));
      const timeoutMs = deps.checkTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
      try {
        const outcome: HealthCheckOutcome | null = await Promise.race([handle.executeUpdate(checkHealthUpdate), timeout]);
        if (!outcome) throw new ApiError(504, 'check_timeout', `The health check did not answer within ${Math.round(timeoutMs / 1000)} s. Is the worker running?`);
        return outcome;
      } finally {
        clearTimeout(timer);
      }
    });

    for (const action of ['pause', 'resume'] as const) {
      const summary = action === 'pause' ? 'Disconnect (pause): syncs wait, nothing is lost' : 'Resume: check again, then resume waiting orders';
      app.post(`/integrations/:id/${action}`, { schema: { summary, tags, params: IdParams, response: errors } }, async (request, reply) => {
        const { id } = request.params;
        await requireIntegration(id);
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
      {
        schema: {
          summary: "Delete an integration, its workflows, tokens and records (needs ?confirm=<id>)",
          tags,
          params: IdParams,
          querystring: Type.Object({ confirm: Type.Optional(Type.String({ description: "The integration's id again" })) }),
          response: errors,
        },
      },
      async (request) => {
        const { id } = request.params;
        await requireIntegration(id);
        // Deleting is for good: the caller repeats the integration's id to show it means this one.
        if (request.query.confirm !== id) {
          throw new ApiError(400, 'confirmation_required', `Deleting removes the integration's workflows, tokens, routes and order records for good. Repeat its id to confirm: ?confirm=${id}`);
        }
        const report = await deleteIntegration(deps.db, deps.health.client, id, undefined, (integrationId) =>
          removeCommerceWebhooks({ db: deps.db, platforms: deps.platforms, credentials: deps.credentials }, integrationId),
        );
        if (!report) throw notFound(`There is no integration ${id}.`);
        return report;
      },
    );

    app.put(
      '/integrations/:id/recipients',
      {
        schema: {
          summary: "Set who receives this integration's alert emails",
          tags,
          params: IdParams,
          body: Type.Object({ notifyEmails: Type.Array(Type.String(), { maxItems: 50 }) }),
          response: errors,
        },
      },
      async (request) => {
        const { id } = request.params;
        await requireIntegration(id);
        let notifyEmails: string[] = [];
        try {
          // An empty list is allowed: alerts are then skipped with a logged reason.
          if (request.body.notifyEmails.some((e) => e.trim() !== '')) notifyEmails = normalizeRecipients(request.body.notifyEmails, 'alert recipients');
        } catch (error) {
          if (error instanceof InvalidRecipientError || error instanceof NoRecipientsError) throw new ApiError(400, 'invalid_request', error.message);
          throw error;
        }
        await deps.db.update(integrations).set({ notifyEmails }).where(eq(integrations.id, id));
        return { notifyEmails };
      },
    );
  };
}

/**
 * Connect and the OAuth callback (register outside the operator scope): a browser opens them, from an email
 * or coming back from the platform. The single-use, expiring `state` is what protects the callback.
 */
export function integrationOAuthRoutes(deps: IntegrationRoutesDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const oauth: OAuthDeps = {
      db: deps.db,
      platforms: deps.platforms,
      credentials: deps.credentials,
      health: deps.health,
      redirectUri: oauthRedirectUri(deps.publicBaseUrl),
      publicBaseUrl: deps.publicBaseUrl,
      log: (message, detail) => plugin.log.warn(detail, message),
    };

    app.get('/integrations/:id/connect', { schema: { summary: "Redirect to the platform's consent page", tags, params: IdParams } }, async (request, reply) => {
      try {
        return reply.redirect(await beginConnect(oauth, request.params.id), 302);
      } catch (error) {
        if (error instanceof OAuthStateError) return reply.code(404).type('text/html').send(page('Cannot connect', error.message));
        throw error;
      }
    });

    app.get(OAUTH_CALLBACK_PATH, { schema: { summary: 'OAuth callback: store the tokens, check the connection', tags } }, async (request, reply) => {
      const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
      try {
        const { displayName } = await completeConnect(oauth, query);
        return reply
          .type('text/html')
          .send(page(`${displayName} is connected`, `${displayName} is connected. We are checking the connection now; waiting orders will resume by themselves.`));
      } catch (error) {
        request.log.warn({ err: error }, 'OAuth callback failed');
        const message = error instanceof OAuthStateError ? error.message : `Connecting failed: ${(error as Error).message}`;
        return reply.code(400).type('text/html').send(page('Connecting failed', message));
      }
    });
  };
}

function page(title: string, message: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}
