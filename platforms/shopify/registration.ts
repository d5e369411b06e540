import { registerPlatform } from '../platform-registration.js';
import { createShopifyPlatform, type ShopifyPlatformConfig } from './shopify-platform.js';

/**
 * Shopify as this deployment offers it: SHOPIFY_API_KEY, SHOPIFY_API_SECRET, and for staging
 * SHOPIFY_EMULATOR_SHOPS=demo.myshopify.com=http://127.0.0.1:4101[,other=…] (shops served by the emulator).
 */
export const shopifyRegistration = registerPlatform({
  id: 'shopify',
  displayName: 'Shopify',
  role: 'commerce',
  accountLabels: { shop: 'shop' },
  // The shop's own host is where its OAuth consent page is.
  accountBeforeConnect: ['shop'],
  configFromEnv: (env): ShopifyPlatformConfig => ({ apiKey: env.required('SHOPIFY_API_KEY'), apiSecretKey: env.required('SHOPIFY_API_SECRET') }),
  emulatorFromEnv(env, config: ShopifyPlatformConfig): ShopifyPlatformConfig {
    const shops = env.get('SHOPIFY_EMULATOR_SHOPS')?.trim();
    if (!shops) return config;
    const emulatorShops = Object.fromEntries(
      shops.split(',').map((pair) => {
        const [shop, origin] = pair.split('=').map((part) => part.trim());
        if (!shop || !origin) return env.fail(`SHOPIFY_EMULATOR_SHOPS must read shop=origin[,shop=origin], got ${JSON.stringify(pair)}`);
        return [shop, env.origin('SHOPIFY_EMULATOR_SHOPS', origin)];
      }),
    );
    return { ...config, emulatorShops };
  },
  create: (config: ShopifyPlatformConfig) => createShopifyPlatform(config),
});
