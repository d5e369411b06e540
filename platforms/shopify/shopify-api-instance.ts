import '@shopify/shopify-api/adapters/node';
import { LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import { SHOPIFY_API_VERSION } from './shopify-api-version.js';

export interface ShopifyAppConfig {
  /** Client id and client secret from the Partner Dashboard. */
  apiKey: string;
  apiSecretKey: string;
  scopes: string[];
  /** Host of our app, e.g. `ledgerbridge.example.com` (the SDK needs one; only OAuth helpers use it). */
  appHost?: string;
}

/** The SDK object, configured for a non-embedded app that only talks to the Admin API. */
export function createShopifyApi(config: ShopifyAppConfig): Shopify {
  return shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecretKey,
    scopes: config.scopes,
    hostName: config.appHost ?? 'ledgerbridge.local',
    apiVersion: SHOPIFY_API_VERSION,
    isEmbeddedApp: false,
    userAgentPrefix: 'ledgerbridge',
    logger: { level: LogSeverity.Error },
  });
}
