import type { IntegrationCredentials } from '../../domain/credentials.js';
import { CredentialsInvalidError, PlatformUnavailableError } from '../../domain/platform-errors.js';
import type { SquarespaceEndpoints } from './endpoints.js';
import { SQUARESPACE_USER_AGENT } from './squarespace-client.js';

/** What ledgerbridge asks of a site: read orders (and so order webhooks), transactions (taxes), products. */
export const SQUARESPACE_SCOPES = ['website.orders.read', 'website.transactions.read', 'website.products.read'] as const;

export interface SquarespaceApp {
  clientId: string;
  clientSecret: string;
}

/** Squarespace's token answer: expiries are epoch seconds with fractions, as strings [S]. */
interface TokenAnswer {
  access_token?: string;
  access_token_expires_at?: string | number;
  refresh_token?: string;
  refresh_token_expires_at?: string | number;
  error?: string;
  error_description?: string;
}

const isoFromEpoch = (value: string | number | undefined): string | null => {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
};

function requireApp(app: SquarespaceApp): void {
  if (!app.clientId || !app.clientSecret) {
    throw new CredentialsInvalidError('missing', 'Squarespace is not set up in this deployment: an operator must set SQUARESPACE_CLIENT_ID and SQUARESPACE_CLIENT_SECRET.', 'SQUARESPACE_CLIENT_ID or SQUARESPACE_CLIENT_SECRET is empty');
  }
}

/** The consent page: comma-separated scopes, `access_type=offline` for a refresh token, our single-use state [C/S]. */
export function squarespaceAuthorizeUrl(endpoints: SquarespaceEndpoints, app: SquarespaceApp, state: string, redirectUri: string): string {
  requireApp(app);
  const url = new URL(endpoints.authorizeUrl);
  url.search = new URLSearchParams({ client_id: app.clientId, redirect_uri: redirectUri, scope: SQUARESPACE_SCOPES.join(','), state, access_type: 'offline' }).toString();
  return url.toString();
}

/** Trades a code or a refresh token at the token endpoint (Basic client auth, JSON body, User-Agent required). */
export async function requestTokens(endpoints: SquarespaceEndpoints, app: SquarespaceApp, body: Record<string, string>, timeoutMs: number): Promise<IntegrationCredentials> {
  requireApp(app);
  let response: Response;
  try {
    response = await fetch(endpoints.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
        'content-type': 'application/json',
        'user-agent': SQUARESPACE_USER_AGENT,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new PlatformUnavailableError(null, 'Squarespace could not be reached to renew access; ledgerbridge will retry automatically.', `token endpoint: ${(error as Error).message}`);
  }
  const text = await response.text();
  let answer: TokenAnswer = {};
  try {
    answer = JSON.parse(text) as TokenAnswer;
  } catch {
    // not JSON
  }
  const detail = `token endpoint (${body.grant_type}): HTTP ${response.status} ${text.slice(0, 200)}`;
  if (response.status >= 500 || response.status === 429) {
    throw new PlatformUnavailableError(response.status, 'Squarespace did not answer a renewal of access properly; ledgerbridge will retry automatically.', detail);
  }
  if (!response.ok || !answer.access_token) {
    // A refused code or refresh token (used, expired, revoked): only the merchant can grant access again.
    throw new CredentialsInvalidError('invalid_grant', 'Squarespace no longer accepts ledgerbridge\'s access (it was disconnected, or the extension uninstalled). Reconnect the site in ledgerbridge to resume syncing.', detail);
  }
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? null,
    accessTokenExpiresAt: isoFromEpoch(answer.access_token_expires_at),
    refreshTokenExpiresAt: isoFromEpoch(answer.refresh_token_expires_at),
    // Squarespace cannot say which scopes a token holds [U]: the ones asked for are the ones consented to.
    scopes: [...SQUARESPACE_SCOPES],
  };
}
