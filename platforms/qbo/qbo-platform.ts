import { payoutAccountNames, QBO_PAYOUT_ROUTE_OPTIONS } from './payout-route-options.js';
import type { IntegrationCredentials } from '../../domain/credentials.js';
import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { AccountingPlatform, IntegrationAccount, LedgerDocumentKind, PlatformConnection } from '../platform.js';
import { CURRENCY_ROUTE_OPTIONS } from '../currency-route-options.js';
import { QboAccountingTarget } from './qbo-accounting-target.js';
import { QboClient } from './qbo-client.js';
import { QBO_ACCOUNTING_SCOPE } from './qbo-error-translation.js';
import { createOAuthClient, type QboOAuthUrls } from './qbo-oauth-client.js';
import { translateTokenError } from './token-errors.js';
import type { RequestLimiter } from '../../domain/request-limiter.js';

export interface QboPlatformConfig {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox' | 'production';
  /** Defaults to Intuit's host for the environment; the emulator's origin in tests. */
  apiBaseUrl?: string;
  /** Emulator OAuth endpoints (applied process-wide through intuit-oauth's setAuthorizeURLs). */
  oauthUrls?: QboOAuthUrls;
  minorVersion?: number;
  /** Wait used when a 429 carries no Retry-After. */
  defaultRetryAfterMs?: number;
  /** Shared by every process, so that together they stay within each company's limits (QBO_REQUEST_LIMITS). */
  requestLimiter?: RequestLimiter;
}

/**
 * The config fragment that points the platform at other hosts than Intuit's (the emulator), from the
 * absolute URLs such a host publishes.
 */
export function qboEndpointsAt(urls: {
  apiBaseUrl: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  revokeEndpoint: string;
  userInfoEndpoint: string;
}): Pick<QboPlatformConfig, 'apiBaseUrl' | 'oauthUrls'> {
  return {
    apiBaseUrl: urls.apiBaseUrl,
    oauthUrls: { authorize: urls.authorizeEndpoint, token: urls.tokenEndpoint, revoke: urls.revokeEndpoint, userInfo: urls.userInfoEndpoint },
  };
}

const API_BASES = {
  production: 'https://quickbooks.api.intuit.com',
  sandbox: 'https://sandbox-quickbooks.api.intuit.com',
} as const;

interface TokenJson {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  x_refresh_token_expires_in?: number;
}

/** QBO's token response carries no scope; the grant holds what we asked for. */
function toCredentials(json: TokenJson, scopes: string[], nowMs = Date.now()): IntegrationCredentials {
  return {
    accessToken: json.access_token,
    refreshToken: json.refresh_token ?? null,
    accessTokenExpiresAt: new Date(nowMs + (json.expires_in ?? 3600) * 1000).toISOString(),
    refreshTokenExpiresAt: json.x_refresh_token_expires_in ? new Date(nowMs + json.x_refresh_token_expires_in * 1000).toISOString() : null,
    scopes,
  };
}

export function createQboPlatform(config: QboPlatformConfig): AccountingPlatform {
  const requiredScopes = [QBO_ACCOUNTING_SCOPE] as const;
  const apiBaseUrl = config.apiBaseUrl ?? API_BASES[config.environment];
  const defaultRetryAfterMs = config.defaultRetryAfterMs ?? 60_000;

  return {
    id: 'qbo',
    displayName: 'QuickBooks Online',
    mark: { letters: 'QB', colour: '#1d7a12' },
    role: 'accounting',
    requiredScopes,
    // How currencies are booked (README › Currencies), and the accounts a route's sales and payouts go through.
    routeOptions: [...CURRENCY_ROUTE_OPTIONS, ...QBO_PAYOUT_ROUTE_OPTIONS],
    // A rate's tax on the sum of its lines' nets, rounded once (emulators/qbo/FIDELITY-tax.md T8, [U]).
    taxRounding: 'once-per-rate',

    // QuickBooks Online's own page of a sales receipt or a refund receipt (the company is the one the person is signed in to).
    // [U] the addresses QuickBooks' web app shows for them (no Intuit doc found). The emulator has no web app: no link then.
    documentUrl(_account: IntegrationAccount, document: { id: string; kind?: LedgerDocumentKind }): string | null {
      if (config.apiBaseUrl) return null;
      const app = config.environment === 'sandbox' ? 'https://app.sandbox.qbo.intuit.com' : 'https://app.qbo.intuit.com';
      return `${app}/app/${document.kind === 'refund' ? 'refundreceipt' : 'salesreceipt'}?txnId=${encodeURIComponent(document.id)}`;
    },

    authorizeUrl(_account: IntegrationAccount, state: string, redirectUri: string): string {
      // The person picks the company on Intuit's consent page; the realmId comes back on the callback.
      return createOAuthClient(config, redirectUri).authorizeUri({ scope: [...requiredScopes], state });
    },

    async completeAuthorization(callbackQuery: Record<string, string>, redirectUri: string) {
      if (callbackQuery.error) {
        throw new CredentialsInvalidError(
          'missing',
          `QuickBooks Online did not grant access (${callbackQuery.error}). Try connecting again.`,
          `callback error=${callbackQuery.error}`,
        );
      }
      if (!callbackQuery.code || !callbackQuery.realmId) {
        throw new CredentialsInvalidError('missing', 'The QuickBooks Online callback had no authorization code or company.', JSON.stringify(callbackQuery));
      }
      const client = createOAuthClient(config, redirectUri);
      const callbackUrl = `${redirectUri}?${new URLSearchParams(callbackQuery).toString()}`;
      let json: TokenJson;
      try {
        json = (await client.createToken(callbackUrl)).getJson() as TokenJson;
      } catch (error) {
        throw translateTokenError(error, defaultRetryAfterMs);
      }
      const realmId = client.getToken().realmId || callbackQuery.realmId;
      return { account: { realmId }, credentials: toCredentials(json, [...requiredScopes]) };
    },

    async refreshTokens(current: IntegrationCredentials): Promise<IntegrationCredentials> {
      if (!current.refreshToken) {
        throw new CredentialsInvalidError('missing', 'ledgerbridge holds no QuickBooks Online refresh token. Reconnect the integration.', 'refreshToken is null');
      }
      let json: TokenJson;
      try {
        json = (await createOAuthClient(config).refreshUsingToken(current.refreshToken)).getJson() as TokenJson;
      } catch (error) {
        throw translateTokenError(error, defaultRetryAfterMs);
      }
      return toCredentials(json, current.scopes);
    },

    createTarget(connection: PlatformConnection) {
      const realmId = connection.account.realmId;
      if (!realmId) throw new Error(`QuickBooks Online integration ${connection.integrationId} has no realmId`);
      const client = new QboClient({
        apiBaseUrl,
        realmId,
        tokens: connection.tokens,
        minorVersion: config.minorVersion,
        defaultRetryAfterMs,
        ...(config.requestLimiter ? { limiter: config.requestLimiter } : {}),
      });
      return new QboAccountingTarget(client, { cacheKey: `${connection.integrationId}:${realmId}`, accounts: payoutAccountNames(connection.routeOptions) });
    },
  };
}
