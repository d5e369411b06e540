import type { SecretBox } from '../../db/credential-store.js';
import type { Database } from '../../db/database.js';
import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { CommercePlatform, PlatformConnection } from '../platform.js';
import { SQUARESPACE_ENDPOINTS, type SquarespaceEndpoints } from './endpoints.js';
import { SquarespaceClient, type SquarespaceClientOptions } from './squarespace-client.js';
import { SquarespaceCommerceSource } from './squarespace-commerce-source.js';
import { requestTokens, SQUARESPACE_SCOPES, squarespaceAuthorizeUrl } from './squarespace-oauth.js';
import { SquarespaceWebhookSubscriptions } from './squarespace-webhooks.js';
import { SubscriptionSecrets } from './subscription-secrets.js';
import { readNotification, squarespaceSignatureMatches, type SquarespaceNotification } from './webhook-verification.js';

export interface SquarespacePlatformConfig {
  /** The OAuth app (Squarespace developer account → OAuth client). Empty in a deployment that offers no Squarespace. */
  clientId: string;
  clientSecret: string;
  /** Production by default; the emulator's with SQUARESPACE_EMULATOR_URL. */
  endpoints?: SquarespaceEndpoints;
  requestTimeoutMs?: number;
  /** How long a 429 waits: Squarespace's cool-down is one minute. */
  coolDownMs?: number;
}

export type SquarespaceWebhookCheck =
  | { kind: 'valid'; integrationId: string; notification: SquarespaceNotification }
  | { kind: 'invalid'; reason: string }
  /** Names a subscription none of our integrations holds the secret of (deleted, or never ours). */
  | { kind: 'unknown_subscription'; subscriptionId: string };

export interface SquarespacePlatform extends CommercePlatform {
  readonly id: 'squarespace';
  /** Checks a notification with the secret of the subscription it names, over the body exactly as received. */
  verifyWebhook(rawBody: string, headers: Record<string, string | string[] | undefined>): Promise<SquarespaceWebhookCheck>;
}

/** "Squarespace site 5f3c3d55": how messages name a site (the connection does not carry the integration's name). */
function siteName(connection: Pick<PlatformConnection, 'account'>): string {
  const id = connection.account.websiteId;
  return id ? `Squarespace site ${id.slice(0, 8)}` : 'Squarespace';
}

/**
 * Squarespace Commerce through OAuth: 30-minute access tokens with rotating refresh tokens, webhook subscriptions
 * we create through the API (their secrets kept sealed), orders read with their transaction documents.
 */
export function createSquarespacePlatform(config: SquarespacePlatformConfig, services: { db?: Database; secrets?: SecretBox } = {}): SquarespacePlatform {
  const endpoints = config.endpoints ?? SQUARESPACE_ENDPOINTS;
  const app = { clientId: config.clientId, clientSecret: config.clientSecret };
  const timeoutMs = config.requestTimeoutMs ?? 30_000;
  const clientOptions: SquarespaceClientOptions = { apiBaseUrl: endpoints.apiBaseUrl, timeoutMs, coolDownMs: config.coolDownMs ?? 60_000 };
  const secrets = (): SubscriptionSecrets => {
    if (!services.db || !services.secrets) throw new Error('Squarespace webhooks need the database and the encryption key (SharedPlatformServices.db, .secrets)');
    return new SubscriptionSecrets(services.db, services.secrets);
  };
  return {
    id: 'squarespace',
    displayName: 'Squarespace',
    role: 'commerce',
    requiredScopes: [...SQUARESPACE_SCOPES],
    authorizeUrl: (_account, state, redirectUri) => squarespaceAuthorizeUrl(endpoints, app, state, redirectUri),
    async completeAuthorization(query, redirectUri) {
      if (query.error || !query.code) {
        throw new CredentialsInvalidError('missing', `Squarespace did not grant access (${query.error ?? 'no code'}). Try connecting again and click Allow.`, `callback error=${query.error ?? '(none)'}`);
      }
      const credentials = await requestTokens(endpoints, app, { grant_type: 'authorization_code', code: query.code, redirect_uri: redirectUri }, timeoutMs);
      // The token belongs to one website: which one is asked of the API.
      const probe = { integrationId: 'connecting', account: {}, tokens: { getAccessToken: async () => credentials.accessToken, refreshAfterRejection: async () => null } };
      const site = await new SquarespaceClient(probe, clientOptions).request<{ id: string }>('GET', '/1.0/authorization/website', { site: 'Squarespace', action: 'reading the connected website' });
      return { account: { websiteId: site.id }, credentials };
    },
    async refreshTokens(current) {
      if (!current.refreshToken) throw new CredentialsInvalidError('invalid_grant', 'Squarespace access cannot be renewed. Reconnect the site in ledgerbridge to resume syncing.', 'no refresh token stored');
      return requestTokens(endpoints, app, { grant_type: 'refresh_token', refresh_token: current.refreshToken }, timeoutMs);
    },
    createSource: (connection) => new SquarespaceCommerceSource(new SquarespaceClient(connection, clientOptions), siteName(connection)),
    createWebhooks: (connection) => new SquarespaceWebhookSubscriptions(new SquarespaceClient(connection, clientOptions), connection, secrets(), siteName(connection)),
    async verifyWebhook(rawBody, headers) {
      const notification = readNotification(rawBody);
      if (!notification) return { kind: 'invalid', reason: 'body is not a Squarespace notification' };
      const known = await secrets().find(notification.subscriptionId);
      if (!known) return { kind: 'unknown_subscription', subscriptionId: notification.subscriptionId };
      const check = squarespaceSignatureMatches(known.secret, rawBody, headers);
      if (!check.valid) return { kind: 'invalid', reason: check.reason };
      return { kind: 'valid', integrationId: known.integrationId, notification };
    },
  };
}
