export { startSquarespaceEmulator, SquarespaceEmulatorControl, type SquarespaceEmulator, type SquarespaceEmulatorOptions } from './server.js';
export { OAUTH_PATHS } from './oauth-routes.js';
export { squarespaceSignature, type DeliveryRecord } from './webhook-deliverer.js';
export type { SquarespaceOrderInput } from './order-builder.js';
export type { SquarespaceProductInput, SquarespaceProfileInput } from './catalog-builder.js';
export { seedDemoSite } from './demo-data.js';
