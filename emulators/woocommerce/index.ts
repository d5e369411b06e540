export { startWooCommerceEmulator, WooCommerceEmulatorControl, type WooCommerceEmulator, type WooCommerceEmulatorOptions, type Unreachable } from './server.js';
export { answerKeyGrant } from './store-owner-approval.js';
export type { WooOrderInput } from './order-builder.js';
export type { WooCustomerInput, WooProductInput } from './site.js';
export { seedDemoWooStore } from './demo-data.js';
export type { WooPaymentsDepositInput, WooPaymentsTransactionInput } from './woopayments.js';
