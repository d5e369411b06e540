export { createShopifyPlatform, SHOPIFY_REQUIRED_SCOPES, type ShopifyPlatform, type ShopifyPlatformConfig } from './shopify-platform.js';
export { ShopifyCommerceSource, type ShopifyCommerceSourceOptions } from './shopify-commerce-source.js';
export { routeShopsToEmulator, unrouteShops, browserUrlFor, EMULATED_SHOP_HEADER } from './emulator-routing.js';
export { verifyShopifyWebhook, type ShopifyWebhookVerification } from './webhook-verification.js';
export { SHOPIFY_API_VERSION } from './shopify-api-version.js';
export { SHOPIFY_GRAPHQL_DOCUMENTS } from './graphql-documents.js';
export { SHOPIFY_WEBHOOK_PATH, SHOPIFY_WEBHOOK_TOPICS, shopifyWebhookAddress } from './shopify-webhook-subscriptions.js';
