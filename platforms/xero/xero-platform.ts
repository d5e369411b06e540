import type { TokenSet } from 'xero-node';
import type { IntegrationCredentials } from '../../domain/credentials.js';
import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { RequestLimiter } from '../../domain/request-limiter.js';
import type { AccountingPlatform, IntegrationAccount, PlatformConnection } from '../platform.js';
import { CURRENCY_ROUTE_OPTIONS } from '../currency-route-options.js';
import { payoutAccountNames } from '../payout-account-options.js';
import { XERO_PAYOUT_ROUTE_OPTIONS } from './payout-route-options.js';
import { XeroAccountingTarget } from './xero-accounting-target.js';
import { XeroApi } from './xero-api.js';
import { isXeroSaleDocument, xeroSaleDocumentOption, type XeroSaleDocument } from './sale-booking.js';
import { XERO_ENDPOINTS, type XeroEndpoints } from './xero-endpoints.js';
import { createXeroClient } from './xero-sdk-client.js';
import { translateXeroTokenError } from './xero-token-errors.js';
import { readXeroFailure } from './xero-failure.js';
import { translateXeroFailure } from './xero-error-translation.js';

/** Broad scopes (apps created before 2026-03-02); `offline_access` for the refresh token. */
export const XERO_SCOPES = ['offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'] as const;

export interface XeroPlatformConfig {
  clientId: string;
  clientSecret: string;
  /** Xero's hosts by default; the emulator's in tests and the demo. */
  endpoints?: XeroEndpoints;
  /** Revenue account for shipping lines (Xero's default chart: 200 Sales). */
  shippingAccountCode?: string;
  /** Bank account payments (and money received) go to (Xero's default chart: 090). */
  paymentAccountCode?: string;
  /**
   * What a paid sale becomes when its route does not choose (route option `saleDocument`): an invoice and its
   * payment (default), or a receive-money transaction.
   */
  saleDocument?: XeroSaleDocument;
  scopes?: readonly string[];
  defaultRetryAfterMs?: number;
  requestLimiter?: RequestLimiter;
}

function toCredentials(tokens: TokenSet, fallbackScopes: readonly string[], nowMs = Date.now()): IntegrationCredentials {
  if (!tokens.access_token) throw new CredentialsInvalidError('missing', 'Xero answered without an access token. Try connecting again.', 'token response had no access_token');
  const expiresIn = typeof tokens.expires_in === 'number' ? tokens.expires_in : 1800;
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    accessTokenExpiresAt: new Date(nowMs + expiresIn * 1000).toISOString(),
    // Rotating refresh tokens expire after 60 days unused; each refresh starts the 60 days again.
    refreshTokenExpiresAt: tokens.refresh_token ? new Date(nowMs + 60 * 86_400_000).toISOString() : null,
    scopes: typeof tokens.scope === 'string' && tokens.scope !== '' ? tokens.scope.split(' ') : [...fallbackScopes],
  };
}

/**
 * Picks the organisation of a consent: the one the operator chose (`tenantId` passed through the callback by
 * the connect flow), else the most recently connected one (xero-node's order).
 */
function pickTenant(connections: Array<{ id: string; tenantId: string; tenantName?: string | null }>, wanted: string | undefined) {
  if (wanted) return connections.find((connection) => connection.tenantId === wanted) ?? null;
  return connections[0] ?? null;
}

/** The connections made by the consent that issued `accessToken`; all of them when the token does not say. */
function connectionsOfConsent<C extends { authEventId?: string | null }>(connections: C[], accessToken: string | undefined): C[] {
  const eventId = authenticationEventId(accessToken);
  return eventId ? connections.filter((connection) => connection.authEventId === eventId) : connections;
}

function authenticationEventId(accessToken: string | undefined): string | null {
  const payload = accessToken?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { authentication_event_id?: unknown };
    return typeof claims.authentication_event_id === 'string' ? claims.authentication_event_id : null;
  } catch {
    return null;
  }
}

export function createXeroPlatform(config: XeroPlatformConfig): AccountingPlatform {
  const endpoints = config.endpoints ?? XERO_ENDPOINTS;
  const scopes = config.scopes ?? XERO_SCOPES;
  const app = { clientId: config.clientId, clientSecret: config.clientSecret };
  const defaultRetryAfterMs = config.defaultRetryAfterMs ?? 60_000;

  return {
    id: 'xero',
    displayName: 'Xero',
    mark: { letters: 'X', colour: '#0a6f96' },
    role: 'accounting',
    requiredScopes: scopes,
    routeOptions: [xeroSaleDocumentOption(config.saleDocument), ...CURRENCY_ROUTE_OPTIONS, ...XERO_PAYOUT_ROUTE_OPTIONS],
    // "Xero calculates tax on a per line basis, rounding to two decimal places, and then sums" (Rounding in Xero).
    taxRounding: 'per-line',

    authorizeUrl(_account: IntegrationAccount, state: string, redirectUri: string): string {
      if (!config.clientId) {
        throw new CredentialsInvalidError('missing', 'Xero is not set up in this deployment: an operator must set XERO_CLIENT_ID and XERO_CLIENT_SECRET.', 'XERO_CLIENT_ID is empty');
      }
      // What XeroClient.buildConsentUrl does, synchronously: its openIdClient is already ours.
      const client = createXeroClient(app, endpoints, { redirectUri, scopes, state });
      return client.openIdClient.authorizationUrl({ redirect_uri: redirectUri, scope: scopes.join(' '), state });
    },

    async completeAuthorization(callbackQuery: Record<string, string>, redirectUri: string) {
      if (callbackQuery.error) {
        throw new CredentialsInvalidError('missing', `Xero did not grant access (${callbackQuery.error}). Try connecting again.`, `callback error=${callbackQuery.error}`);
      }
      if (!callbackQuery.code) throw new CredentialsInvalidError('missing', 'The Xero callback had no authorization code.', JSON.stringify(Object.keys(callbackQuery)));
      const { tenantId: wantedTenant, ...oauthQuery } = callbackQuery;
      const client = createXeroClient(app, endpoints, { redirectUri, scopes, ...(oauthQuery.state !== undefined ? { state: oauthQuery.state } : {}) });
      let tokens: TokenSet;
      try {
        tokens = await client.apiCallback(`${redirectUri}?${new URLSearchParams(oauthQuery).toString()}`);
      } catch (error) {
        throw translateXeroTokenError(error, defaultRetryAfterMs, 'connect');
      }
      let connections: Array<{ id: string; tenantId: string; tenantName?: string | null; authEventId?: string | null }>;
      try {
        connections = await client.updateTenants(false);
      } catch (raw) {
        throw translateXeroFailure(readXeroFailure(raw), { subject: 'the list of connected organisations', organisation: 'this organisation' }, defaultRetryAfterMs);
      }
      // /connections lists every organisation this person ever connected to the app; this consent's are the
      // ones of its authentication event (the access token's `authentication_event_id`, notes §2).
      const thisConsent = connectionsOfConsent(connections, tokens.access_token);
      connections = thisConsent.length > 0 ? thisConsent : connections;
      const tenant = pickTenant(connections, wantedTenant);
      if (!tenant) {
        throw new CredentialsInvalidError(
          'missing',
          wantedTenant ? 'The Xero organisation you picked is not among those you connected. Try connecting again.' : 'No Xero organisation was connected. Try connecting again and tick an organisation.',
          `connections: ${connections.length}`,
        );
      }
      // The tenant id alone is the account: a renamed organisation, or another person of it reconnecting (a new
      // connection id), is still the same ledger (runtime/integration-health-oauth.ts compares every key).
      // Several organisations and none picked yet: the connect flow lets the operator choose among them.
      const accountChoices =
        !wantedTenant && connections.length > 1
          ? connections.map((connection) => ({ account: { tenantId: connection.tenantId }, label: connection.tenantName || connection.tenantId }))
          : undefined;
      return {
        account: { tenantId: tenant.tenantId },
        credentials: toCredentials(tokens, scopes),
        ...(accountChoices ? { accountChoices } : {}),
      };
    },

    async refreshTokens(current: IntegrationCredentials): Promise<IntegrationCredentials> {
      if (!current.refreshToken) {
        throw new CredentialsInvalidError('missing', 'ledgerbridge holds no Xero refresh token. Reconnect the integration.', 'refreshToken is null');
      }
      const client = createXeroClient(app, endpoints);
      client.setTokenSet({ access_token: current.accessToken, refresh_token: current.refreshToken, token_type: 'Bearer' });
      try {
        return toCredentials(await client.refreshToken(), current.scopes);
      } catch (error) {
        throw translateXeroTokenError(error, defaultRetryAfterMs);
      }
    },

    createTarget(connection: PlatformConnection) {
      const tenantId = connection.account.tenantId;
      if (!tenantId) throw new Error(`Xero integration ${connection.integrationId} has no tenantId`);
      const api = new XeroApi({
        app,
        endpoints,
        tenantId,
        tokens: connection.tokens,
        defaultRetryAfterMs,
        ...(config.requestLimiter ? { limiter: config.requestLimiter } : {}),
      });
      // The route's choice (validated when it was set), else the deployment's.
      const routeChoice = connection.routeOptions?.saleDocument;
      const saleDocument = isXeroSaleDocument(routeChoice) ? routeChoice : config.saleDocument;
      return new XeroAccountingTarget(api, {
        cacheKey: `${connection.integrationId}:${tenantId}`,
        shippingAccountCode: config.shippingAccountCode ?? '200',
        paymentAccountCode: config.paymentAccountCode ?? '090',
        ...(saleDocument ? { saleDocument } : {}),
        payoutAccounts: payoutAccountNames(connection.routeOptions),
      });
    },
  };
}
