import { randomUUID } from 'node:crypto';
import { startQboEmulator, type QboSeedCompany, type RunningQboEmulator } from '../../emulators/qbo/emulator.js';
import { startShopifyEmulator, type ShopifyEmulator } from '../../emulators/shopify/index.js';
import { createQboPlatform, qboEndpointsAt } from '../../platforms/qbo/qbo-platform.js';
import type { AccountingPlatform } from '../../platforms/platform.js';
import { createShopifyPlatform, type ShopifyPlatform } from '../../platforms/shopify/index.js';

/** A QuickBooks company with the items and tax codes the tests' orders use. */
export function testCompany(realmId: string): QboSeedCompany {
  return {
    realmId,
    companyName: 'Test Books Ltd',
    country: 'GB',
    homeCurrency: 'GBP',
    preferences: { customTxnNumbers: true, allowShipping: true },
    items: [
      { name: 'Red T-shirt', sku: 'TS-RED-M', type: 'NonInventory', unitPrice: 20 },
      { name: 'Product A', sku: 'product-a', type: 'NonInventory', unitPrice: 10 },
      { name: 'Mug', sku: 'MUG-1', type: 'NonInventory', unitPrice: 8 },
    ],
    taxCodes: [
      { name: 'VAT', rates: [{ name: 'VAT 20%', ratePercent: 20 }] },
      { name: 'Zero rated', rates: [] },
      { name: 'CA Sales Tax', rates: [{ name: 'CA State', ratePercent: 7.25 }] },
    ],
  };
}

export interface EmulatedPlatformsOptions {
  shopifyApp: { apiKey: string; apiSecret: string };
  qboApp: { clientId: string; clientSecret: string };
  shopName: string;
  /** QuickBooks limits; default well above what one test sends (tests that want 429s force them). */
  qboRateLimits?: { perSecond: number; perMinute: number };
  /** Shopify's cost bucket; default Shopify Standard (2000 points, 100/s). */
  shopifyBucket?: { maximumAvailable: number; restoreRate: number };
  qboAccessTokenTtlSeconds?: number;
  /** Default true, as Shopify requires of public apps from 2027-01-01. */
  shopifyExpiringTokens?: boolean;
}

export interface EmulatedPlatforms {
  shop: string;
  /** Another shop on the same emulator, for tests of two shops booking into one ledger. */
  secondShop: string;
  realmId: string;
  shopify: ShopifyEmulator;
  qbo: RunningQboEmulator;
  shopifyPlatform: ShopifyPlatform;
  qboPlatform: AccountingPlatform;
  close(): Promise<void>;
}

/** Two shops and one QuickBooks company on their emulators, and the real platform code pointed at them. */
export async function startEmulatedPlatforms(options: EmulatedPlatformsOptions): Promise<EmulatedPlatforms> {
  const shop = `shop-${randomUUID().slice(0, 8)}.myshopify.com`;
  const secondShop = `shop-${randomUUID().slice(0, 8)}.myshopify.com`;
  const realmId = String(9_130_000_000_000_000 + Math.floor(Math.random() * 1e9));
  const [shopify, qbo] = await Promise.all([
    startShopifyEmulator({
      ...options.shopifyApp,
      shops: [
        { domain: shop, name: options.shopName, currencyCode: 'GBP' },
        { domain: secondShop, name: `${options.shopName} (second)`, currencyCode: 'GBP' },
      ],
      ...(options.shopifyBucket ? { bucket: options.shopifyBucket } : {}),
    }),
    startQboEmulator({
      ...options.qboApp,
      companies: [testCompany(realmId)],
      rateLimits: options.qboRateLimits ?? { perSecond: 1000, perMinute: 100_000 },
      throttleRetryAfterSeconds: 1,
      ...(options.qboAccessTokenTtlSeconds ? { accessTokenTtlSeconds: options.qboAccessTokenTtlSeconds } : {}),
    }),
  ]);
  const shopifyPlatform = createShopifyPlatform({
    apiKey: options.shopifyApp.apiKey,
    apiSecretKey: options.shopifyApp.apiSecret,
    // Shopify's expiring offline tokens (60 min, rotating refresh tokens): mandatory for public apps from 2027-01-01.
    expiringTokens: options.shopifyExpiringTokens ?? true,
    emulatorShops: { [shop]: shopify.origin, [secondShop]: shopify.origin },
  });
  const limits = options.qboRateLimits;
  const qboPlatform = createQboPlatform({
    ...options.qboApp,
    environment: 'sandbox',
    ...qboEndpointsAt(qbo.urls),
    defaultRetryAfterMs: 1_000,
    // Paced like production, just under the emulator's limits (the bench sets QuickBooks' real ones).
    requestRate: limits ? { perSecond: limits.perSecond - 2, perMinute: limits.perMinute - 50 } : { perSecond: 1000, perMinute: 100_000 },
  });
  return {
    shop,
    secondShop,
    realmId,
    shopify,
    qbo,
    shopifyPlatform,
    qboPlatform,
    close: async () => {
      await Promise.allSettled([shopify.close(), qbo.close()]);
    },
  };
}
