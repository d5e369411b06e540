export { startShopifyEmulator, DEFAULT_SHOP_DOMAIN, type ShopifyEmulator, type ShopifyEmulatorOptions } from './server.js';
export { ShopifyEmulatorControl, type ShopOption } from './emulator-control.js';
export { EMULATED_SHOP_HEADER, EMULATED_SHOP_QUERY } from './shop-resolution.js';
export { seedDemoShop } from './demo-data.js';
export type { OrderInput, OrderPatch, LineItemInput, ShippingLineInput, CustomerInput, ProductInput, ShopInput } from './store.js';
export type { EmulatedOrder, EmulatedToken, EmulatedShop, EmulatedCustomer, EmulatedProduct, EmulatedTaxLine } from './model.js';
export type { WebhookDelivery, WebhookEvent, WebhookSubscription, WebhookTopic, RedeliveryOptions } from './webhook-dispatcher.js';
export { adminSchemaVersions, loadAdminSchema, nextVersionAfter, oldestSupportedVersion, servedVersionFor } from './admin-schema.js';
