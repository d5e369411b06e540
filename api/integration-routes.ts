import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import { InvalidRecipientError, NoRecipientsError } from '../notifications/recipient-list.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { connectPageOf, describeAccountsBeforeConnect, describeInstalledPlatforms } from '../platforms/installed.js';
import { createIntegration } from '../runtime/integration-health-creator.js';
import { spendConnectLink } from '../runtime/connect-link-uses.js';
import { beginConnect, chooseAccount, completeConnect, confirmAccountSwitch, describeAccount, OAuthStateError, type ConnectOutcome, type OAuthDeps } from '../runtime/integration-health-oauth.js';
import { CONNECT_PAGE, connectPath, type ConnectLinkClaims, type ConnectLinkSigner } from '../security/connect-link.js';
import { signalIntegrationHealth, type IntegrationHealthRuntime } from '../runtime/integration-health-starter.js';
import { integrationHealthDetail, listIntegrationHealth } from '../runtime/integration-health-views.js';
import { CheckTimeoutError, checkIntegrationNow, deleteIntegrationForGood, saveAlertRecipients } from './integration-actions.js';
import { ApiError, notFound } from './api-error.js';
import { connectGrantRoutes } from './connect-grant-routes.js';
import { choicePage, formPage, messagePage } from './connect-pages.js';
import { checkConnectLink, parseFormBodies, sendPage, sendRefusal } from './connect-link-guard.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { operatorTokenCheck } from './operator-auth.js';
import { consolePathFor } from './console/console-paths.js';

export interface IntegrationRoutesDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  health: IntegrationHealthRuntime;
  /** Our app's public origin, e.g. "https://ledgerbridge.example.com": reconnect links and the OAuth redirect URI start with it. */
  publicBaseUrl: string;
  /** The operator's bearer token: with it, connect redirects at once (API clients, scripts). */
  operatorToken: string;
  /** Signs and checks the single-use, expiring connect links that emails and operators hand to a browser. */
  connectLinks: ConnectLinkSigner;
  /** How long "check now" waits for the four results (default 30 s). */
  checkTimeoutMs?: number;
}

/** Path of the OAuth callback; register `oauthRedirectUri(publicBaseUrl)` at the platforms. */
export const OAUTH_CALLBACK_PATH = '/integrations/oauth/callback';
/** Where the operator picks one of several accounts (Xero organisations) a consent granted. */
export const ACCOUNT_CHOICE_PATH = '/integrations/oauth/choose';
/** Where the operator confirms "switch to company X" after a reconnect brought another account back. */
export const ACCOUNT_SWITCH_PATH = '/integrations/oauth/switch';

export function oauthRedirectUri(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${OAUTH_CALLBACK_PATH}`;
}

/** What the connect flow needs, for every place that starts it (the connect routes, the console's Reconnect button). */
export function oauthDepsFor(deps: IntegrationRoutesDeps, log: OAuthDeps['log']): OAuthDeps {
  return {
    db: deps.db,
    platforms: deps.platforms,
    credentials: deps.credentials,
    health: deps.health,
    redirectUri: oauthRedirectUri(deps.publicBaseUrl),
    publicBaseUrl: deps.publicBaseUrl,
    log,
  };
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
    const reconnectLink = (id: string, platformId: string) => deps.connectLinks.url(deps.publicBaseUrl, id, undefined, connectPageOf(platformId));

    app.post(
      '/integrations/:id/connect-link',
      { schema: { summary: 'A signed, single-use, expiring link that lets a browser (re)connect this integration', tags, params: IdParams, response: errors } },
      async (request, reply) => {
        const [row] = await deps.db.select({ platform: integrations.platform }).from(integrations).where(eq(integrations.id, request.params.id));
        if (!row) throw notFound(`There is no integration ${request.params.id}.`);
        const { token, claims } = deps.connectLinks.sign(request.params.id);
        const url = `${connectPath(deps.publicBaseUrl, request.params.id, connectPageOf(row.platform))}?link=${token}`;
        return reply.code(201).send({ url, expiresAt: new Date(claims.expiresAt).toISOString() });
      },
    );

    app.get('/integrations', { schema: { summary: 'List integrations with their health', tags, response: { ...ok, ...operatorErrorResponses } } }, async () => ({
      integrations: await listIntegrationHealth(deps.db, reconnectLink),
    }));

    app.post(
      '/integrations',
      {
        schema: {
          summary: 'Create an integration, numbered per platform ("<platform> #2"), and start its health workflow',
          tags,
          body: Type.Object({
            platform: Type.String({ minLength: 1, description: `Platform id: ${describeInstalledPlatforms()}` }),
            account: Type.Optional(Type.Record(Type.String(), Type.String(), { description: `Account known before connecting: ${describeAccountsBeforeConnect()}` })),
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
      const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
      if (!detail) throw notFound(`There is no integration ${request.params.id}.`);
      return detail;
    });

    // "Check health" is a Workflow Update: the answer is the four results of a check that ran just now.
    app.post('/integrations/:id/check', { schema: { summary: 'Run the four health checks now', tags, params: IdParams, response: errors } }, async (request) => {
      const { id } = request.params;
      await requireIntegration(id);
      try {
        return await checkIntegrationNow(deps.health, id, deps.checkTimeoutMs);
      } catch (error) {
        if (error instanceof CheckTimeoutError) throw new ApiError(504, 'check_timeout', error.message);
        throw error;
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
        const report = await deleteIntegrationForGood(deps, id);
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
        try {
          return { notifyEmails: await saveAlertRecipients(deps.db, id, request.body.notifyEmails) };
        } catch (error) {
          if (error instanceof InvalidRecipientError || error instanceof NoRecipientsError) throw new ApiError(400, 'invalid_request', error.message);
          throw error;
        }
      },
    );
  };
}


/**
 * Connect, the OAuth callback and the account-switch confirmation (register outside the operator scope: a
 * browser opens them from an email or coming back from the platform). Connect needs the operator token or a
 * signed, single-use, expiring link; the single-use, expiring `state` then protects the callback.
 */
export function integrationOAuthRoutes(deps: IntegrationRoutesDeps): FastifyPluginAsync {
  return async (plugin) => {
    // The two forms below post urlencoded fields; nothing else here takes a body.
    parseFormBodies(plugin);
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    await plugin.register(connectGrantRoutes(deps));
    const operatorToken = operatorTokenCheck(deps.operatorToken);
    const oauth = oauthDepsFor(deps, (message, detail) => plugin.log.warn(detail, message));
    const html = sendPage;
    const refuse = sendRefusal;
    /** What the browser sees once the platform answered: connected, pick an account, or confirm a switch. */
    const outcomePage = (reply: FastifyReply, outcome: ConnectOutcome) => {
      if (outcome.kind === 'connected') {
        const { displayName } = outcome;
        return html(
          reply,
          200,
          messagePage(`${displayName} is connected`, `${displayName} is connected. We are checking the connection now; waiting orders will resume by themselves.`, {
            href: consolePathFor(`/integrations/${encodeURIComponent(outcome.integrationId)}`),
            label: `Open ${displayName} in the console`,
          }),
        );
      }
      if (outcome.kind === 'choice-required') {
        return html(
          reply,
          200,
          choicePage(
            `${outcome.displayName}: which organisation?`,
            `You approved access for ${outcome.choices.length} organisations. Pick the one ${outcome.displayName} books orders into; nothing is connected until you do.`,
            ACCOUNT_CHOICE_PATH,
            { token: outcome.choiceToken },
            outcome.choices.map((choice) => choice.label),
          ),
        );
      }
      const current = describeAccount(outcome.current);
      const proposed = describeAccount(outcome.proposed);
      return html(
        reply,
        409,
        formPage(
          `${outcome.displayName}: another account came back`,
          `${outcome.displayName} books into ${current}, but you approved access for ${proposed}. Nothing was changed. ` +
            `If ${outcome.displayName} should book into ${proposed} from now on, confirm the switch below: the integration is then paused, ` +
            `so no order is booked into ${proposed} until you have checked its mappings and resumed it. Otherwise close this page.`,
          ACCOUNT_SWITCH_PATH,
          { token: outcome.confirmToken },
          `Switch to ${proposed}`,
        ),
      );
    };
    const integrationOf = async (id: string) => (await deps.db.select().from(integrations).where(eq(integrations.id, id)))[0];

    /** The link's claims when it may still be used; otherwise the refusal, said on the page. */
    const usableLink = async (reply: FastifyReply, id: string, link: string | undefined): Promise<ConnectLinkClaims | null> => {
      const checked = await checkConnectLink(deps.db, deps.connectLinks, id, link);
      if (checked.ok) return checked.claims;
      await refuse(reply, checked.reason);
      return null;
    };

    const LinkQuery = Type.Object({ link: Type.Optional(Type.String({ maxLength: 2000, description: 'A signed connect link token' })) });

    app.get(
      '/integrations/:id/connect',
      { schema: { summary: "With the operator token: redirect to the platform's consent page. With a signed link: a page to continue there", tags, params: IdParams, querystring: LinkQuery } },
      async (request, reply) => {
        const { id } = request.params;
        const operator = operatorToken(request);
        if (operator === 'invalid') return refuse(reply, 'bad-token');
        if (operator === 'absent' && (await usableLink(reply, id, request.query.link)) === null) return reply;
        const row = await integrationOf(id);
        if (!row) return html(reply, 404, messagePage('Cannot connect', `There is no integration ${id}.`));
        // A platform without OAuth connects on its own page; a link made before it had one still leads there, unspent.
        const ownPage = connectPageOf(row.platform);
        if (ownPage !== CONNECT_PAGE) {
          const query = request.query.link ? `?link=${encodeURIComponent(request.query.link)}` : '';
          return reply.redirect(`${connectPath('', id, ownPage)}${query}`, 303);
        }
        if (operator === 'valid') return reply.redirect(await beginConnect(oauth, id), 302);
        // A page with a button, not a redirect: mail scanners that open links must not spend this one.
        const platformName = deps.platforms.get(row.platform).displayName;
        return html(
          reply,
          200,
          formPage(
            `Connect ${row.displayName}`,
            `You will be sent to ${platformName} to sign in and approve access for ${row.displayName}. This link works once.`,
            `/integrations/${encodeURIComponent(id)}/connect`,
            { link: request.query.link! },
            `Continue to ${platformName}`,
          ),
        );
      },
    );

    app.post(
      '/integrations/:id/connect',
      {
        schema: {
          summary: "Spend a signed connect link and go to the platform's consent page",
          tags,
          params: IdParams,
          body: Type.Object({ link: Type.Optional(Type.String({ maxLength: 2000 })) }),
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const claims = await usableLink(reply, id, request.body.link);
        if (!claims) return reply;
        const row = await integrationOf(id);
        if (!row) return html(reply, 404, messagePage('Cannot connect', `There is no integration ${id}.`));
        const ownPage = connectPageOf(row.platform);
        if (ownPage !== CONNECT_PAGE) return reply.redirect(`${connectPath('', id, ownPage)}?link=${encodeURIComponent(request.body.link!)}`, 303);
        if (!(await spendConnectLink(deps.db, claims))) return refuse(reply, 'spent');
        return reply.redirect(await beginConnect(oauth, id), 303);
      },
    );

    app.get(OAUTH_CALLBACK_PATH, { schema: { summary: 'OAuth callback: store the tokens, check the connection', tags } }, async (request, reply) => {
      const query = Object.fromEntries(Object.entries(request.query as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
      try {
        return await outcomePage(reply, await completeConnect(oauth, query));
      } catch (error) {
        // The log has the whole story; the browser gets our own sentence only, never the code, a token or the platform's answer.
        request.log.warn({ err: error }, 'OAuth callback failed');
        const message =
          error instanceof OAuthStateError
            ? error.message
            : `Connecting failed: the platform did not accept the authorization. Nothing was changed. Start again from "Connect" (reference ${request.id}).`;
        return html(reply, 400, messagePage('Connecting failed', message));
      }
    });

    app.post(
      ACCOUNT_CHOICE_PATH,
      {
        schema: {
          summary: 'Pick the account (Xero organisation) the integration books into, among those the consent granted',
          tags,
          body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })), index: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }),
        },
      },
      async (request, reply) => {
        try {
          if (!request.body.token || request.body.index === undefined) throw new OAuthStateError('This choice has no token. Start again from "Connect".');
          return await outcomePage(reply, await chooseAccount(oauth, request.body.token, Number(request.body.index)));
        } catch (error) {
          request.log.warn({ err: error }, 'account choice failed');
          const message = error instanceof OAuthStateError ? error.message : `Connecting failed on our side and was logged (reference ${request.id}). Nothing was changed.`;
          return html(reply, 400, messagePage('Connecting failed', message));
        }
      },
    );

    app.post(
      ACCOUNT_SWITCH_PATH,
      { schema: { summary: 'Confirm a switch to the account a reconnect brought back (pauses the integration)', tags, body: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) } },
      async (request, reply) => {
        try {
          if (!request.body.token) throw new OAuthStateError('This confirmation has no token. Start again from "Connect".');
          const switched = await confirmAccountSwitch(oauth, request.body.token);
          const account = describeAccount(switched.account);
          return html(
            reply,
            200,
            messagePage(
              `${switched.displayName} now books into ${account}`,
              `${switched.displayName} was switched from ${describeAccount(switched.previous)} to ${account} and is paused: orders wait, nothing is lost. ` +
                (switched.mappingsCleared > 0
                  ? `The ${switched.mappingsCleared} item and tax mapping${switched.mappingsCleared === 1 ? '' : 's'} of its routes named ${describeAccount(switched.previous)}'s items and tax codes and were removed: ` +
                    `orders will ask for mappings in ${account}. Resume the integration when ready.`
                  : `Check its routes' item and tax mappings against ${account}, then resume the integration.`),
            ),
          );
        } catch (error) {
          request.log.warn({ err: error }, 'account switch failed');
          const message = error instanceof OAuthStateError ? error.message : `The switch failed on our side and was logged (reference ${request.id}). Nothing was changed.`;
          return html(reply, 400, messagePage('Switch not made', message));
        }
      },
    );
  };
}
