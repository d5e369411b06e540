import type { Shopify } from '@shopify/shopify-api';
import type { CommercePlatform } from '../platform.js';
import { routeShopsToEmulator } from './emulator-routing.js';
import { createShopifyApi } from './shopify-api-instance.js';
import { SHOPIFY_PAYOUT_SCOPE, ShopifyCommerceSource } from './shopify-commerce-source.js';
import { ShopifyWebhookSubscriptions } from './shopify-webhook-subscriptions.js';
import { buildAuthorizeUrl, exchangeCallback, refreshCredentials } from './shopify-oauth.js';
import { verifyShopifyWebhook, type ShopifyWebhookVerification } from './webhook-verification.js';

export const SHOPIFY_REQUIRED_SCOPES = ['read_orders', 'read_products', 'read_customers'] as const;

export interface ShopifyPlatformConfig {
  /** Client id and client secret of the ledgerbridge app. */
  apiKey: string;
  apiSecretKey: string;
  /** Scopes requested at install; default SHOPIFY_REQUIRED_SCOPES and the payouts' (a payout sync without it parks asking to reconnect). */
  scopes?: string[];
  /** Host of our app (the SDK requires one). */
  appHost?: string;
  /** Ask for expiring offline tokens (60 min + rotating refresh token), mandatory for new public apps. Default true. */
  expiringTokens?: boolean;
  /**
   * Emulated shops: shop host (`demo.myshopify.com`, or `*.emulator.test`) → emulator origin
   * (`http://127.0.0.1:4101`). Leave unset in production: no routing hook is installed then.
   */
  emulatorShops?: Record<string, string>;
  lineItemPageSize?: number;
  /** Orders per page when polling for changed orders (default 100; tests page with fewer). */
  updatedOrdersPageSize?: number;
}

export interface ShopifyPlatform extends CommercePlatform {
  readonly id: 'shopify';
  /** The configured SDK object (for webhook validation and tests). */
  readonly shopify: Shopify;
  verifyWebhook(request: Parameters<typeof verifyShopifyWebhook>[1]): Promise<ShopifyWebhookVerification>;
}

export function createShopifyPlatform(config: ShopifyPlatformConfig): ShopifyPlatform {
  // Before any SDK client exists: clients capture the transport when they are built.
  if (config.emulatorShops && Object.keys(config.emulatorShops).length > 0) routeShopsToEmulator(config.emulatorShops);
  const shopify = createShopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecretKey,
    scopes: config.scopes ?? [...SHOPIFY_REQUIRED_SCOPES, SHOPIFY_PAYOUT_SCOPE],
    ...(config.appHost ? { appHost: config.appHost } : {}),
  });
  const expiringTokens = config.expiringTokens ?? true;

  return {
    id: 'shopify',
    displayName: 'Shopify',
    mark: { letters: 'S', colour: '#3d6b23' },
    role: 'commerce',
    requiredScopes: SHOPIFY_REQUIRED_SCOPES,
    shopify,
    authorizeUrl: (account, state, redirectUri) => buildAuthorizeUrl(shopify, account.shop ?? '', state, redirectUri),
    completeAuthorization: async (callbackQuery) => {
      const { shop, credentials } = await exchangeCallback(shopify, callbackQuery, { expiringTokens });
      return { account: { shop }, credentials };
    },
    refreshTokens: (current, account) => refreshCredentials(shopify, account.shop ?? '', current),
    createSource: (connection) =>
      new ShopifyCommerceSource(shopify, connection, {
        ...(config.lineItemPageSize ? { lineItemPageSize: config.lineItemPageSize } : {}),
        ...(config.updatedOrdersPageSize ? { updatedOrdersPageSize: config.updatedOrdersPageSize } : {}),
      }),
    createWebhooks: (connection) => new ShopifyWebhookSubscriptions(shopify, connection),
    verifyWebhook: (request) => verifyShopifyWebhook(shopify, request),
  };
}
