export { createWooCommercePlatform, type WooCommercePlatform, type WooCommercePlatformConfig } from './woo-platform.js';
export { wooCommerceRegistration } from './registration.js';
export { WOOCOMMERCE_WEBHOOK_PATH, WOOCOMMERCE_WEBHOOK_TOPICS, wooWebhookAddress } from './woo-webhooks.js';
export { isWooPing, type WooWebhookVerification } from './webhook-verification.js';
export { normalizeStoreUrl } from './store-keys.js';
export { wooOrderEventKey, wooOrderReferenceOf, wooRecordEventKey, wooRefundIdsOf } from './webhook-order-reference.js';
export { WOOCOMMERCE_ENTITY_TOPICS, wooRecordReferenceOf } from './webhook-record-reference.js';
