import type { CommercePlatform, PlatformConnection } from '../platform.js';
import { grantedConnection, keyGrantUrl, readKeyGrant, WOOCOMMERCE_KEY_SCOPE } from './key-grant.js';
import { unpackStoreKeys } from './store-keys.js';
import { WooClient } from './woo-client.js';
import { WooCommerceSource } from './woo-commerce-source.js';
import { WooWebhookSubscriptions } from './woo-webhooks.js';
import { webhookSecretFor } from './webhook-secret.js';
import { verifyWooWebhook, type WooWebhookVerification } from './webhook-verification.js';

export interface WooCommercePlatformConfig {
  /** The name the store owner sees on WooCommerce's grant page and in the key's description. */
  appName: string;
  /** A request waits this long for the store (WordPress hosts can be slow). Default 30 s. */
  requestTimeoutMs?: number;
}

export interface WooCommercePlatform extends CommercePlatform {
  readonly id: 'woocommerce';
  /** Checks a delivery against the secret our webhooks carry for this integration (derived from its keys). */
  verifyWebhook(integrationId: string, accessToken: string, rawBody: string, headers: Record<string, string | string[] | undefined>): WooWebhookVerification;
}

/** "WooCommerce #1", as every message names an integration; while connecting (no name yet) "WooCommerce store shop.example.com". */
function storeName(connection: Pick<PlatformConnection, 'account' | 'displayName'>): string {
  if (connection.displayName) return connection.displayName;
  const url = connection.account.storeUrl;
  return url ? `WooCommerce store ${url.replace(/^https?:\/\//, '')}` : 'WooCommerce';
}

/**
 * WooCommerce (self-hosted WordPress): REST keys instead of OAuth tokens. "Connecting" is WooCommerce's key grant,
 * whose key arrives server-to-server (acceptGrant) before the browser returns; keys never expire, a revoked one
 * is a reconnect.
 */
export function createWooCommercePlatform(config: WooCommercePlatformConfig): WooCommercePlatform {
  const timeoutMs = config.requestTimeoutMs ?? 30_000;
  return {
    id: 'woocommerce',
    displayName: 'WooCommerce',
    mark: { letters: 'W', colour: '#6b3fa0' },
    role: 'commerce',
    requiredScopes: [WOOCOMMERCE_KEY_SCOPE],
    refreshTokens: async () => null,
    authorizeUrl: (account, state, redirectUri, grantUri) => keyGrantUrl(account, state, redirectUri, grantUri, config.appName),
    acceptGrant: (body) => readKeyGrant(body),
    completeAuthorization: async (query, _redirectUri, granted) => {
      const connected = grantedConnection(query, granted);
      // Proves the key reaches the store the grant was asked of (a key of another store would not).
      const token = connected.credentials.accessToken;
      const probe = { integrationId: 'connecting', account: connected.account, tokens: { getAccessToken: async () => token, refreshAfterRejection: async () => null } };
      await new WooCommerceSource(new WooClient(probe, timeoutMs), storeName(probe)).checkConnection();
      return connected;
    },
    createSource: (connection) => new WooCommerceSource(new WooClient(connection, timeoutMs), storeName(connection)),
    createWebhooks: (connection) => new WooWebhookSubscriptions(new WooClient(connection, timeoutMs), connection, storeName(connection)),
    verifyWebhook: (integrationId, accessToken, rawBody, headers) =>
      verifyWooWebhook(webhookSecretFor(unpackStoreKeys(accessToken).consumerSecret, integrationId), rawBody, headers),
  };
}
