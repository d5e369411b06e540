import { registerPlatform } from '../platform-registration.js';
import { createWooCommercePlatform, type WooCommercePlatformConfig } from './woo-platform.js';

/**
 * WooCommerce as this deployment offers it. No app secret: each store grants its own key. WOOCOMMERCE_APP_NAME
 * (default "ledgerbridge") is what the store owner sees on the grant page. Emulated stores need no variable:
 * an integration's store URL can be the emulator's origin.
 */
export const wooCommerceRegistration = registerPlatform({
  id: 'woocommerce',
  displayName: 'WooCommerce',
  role: 'commerce',
  accountLabels: { storeUrl: 'store' },
  // The store's own site serves the grant page.
  accountBeforeConnect: ['storeUrl'],
  configFromEnv: (env): WooCommercePlatformConfig => ({ appName: env.get('WOOCOMMERCE_APP_NAME')?.trim() || 'ledgerbridge' }),
  create: (config: WooCommercePlatformConfig) => createWooCommercePlatform(config),
});
