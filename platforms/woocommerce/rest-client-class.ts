import clientModule from '@woocommerce/woocommerce-rest-api';

/**
 * WooCommerce's official JS client class. The package is CommonJS with `exports.default`: Node hands an ESM
 * importer the exports object (class under `.default`), while bundlers and vitest hand over the class itself.
 */
export const WooCommerceRestApi = ((clientModule as unknown as { default?: unknown }).default ?? clientModule) as typeof clientModule.default;
export type WooCommerceRestApi = InstanceType<typeof WooCommerceRestApi>;
