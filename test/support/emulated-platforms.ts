import { randomUUID } from 'node:crypto';
import { startQboEmulator, type QboEmulatorOptions, type QboSeedCompany, type RunningQboEmulator } from '../../emulators/qbo/emulator.js';
import { startQboEmulatorProcess, type QboEmulatorProcess } from './qbo-emulator-process.js';
import type { RequestIdMode } from '../../emulators/qbo/options.js';
import type { RequestLimiter } from '../../domain/request-limiter.js';
import { startShopifyEmulator, type ShopifyEmulator } from '../../emulators/shopify/index.js';
import { createQboPlatform, qboEndpointsAt } from '../../platforms/qbo/qbo-platform.js';
import type { AccountingPlatform } from '../../platforms/platform.js';
import { createShopifyPlatform, type ShopifyPlatform } from '../../platforms/shopify/index.js';

/** Which test company a test books into: the UK one (VAT on every line) unless it asks for the US one. */
export type TestCompanyKind = 'GB' | 'US';

/** A QuickBooks company with the items and tax codes the tests' orders use. */
export function testCompany(realmId: string, kind: TestCompanyKind = 'GB'): QboSeedCompany {
  return kind === 'US' ? usTestCompany(realmId) : gbTestCompany(realmId);
}

const TEST_ITEMS = [
  { name: 'Red T-shirt', sku: 'TS-RED-M', type: 'NonInventory' as const, unitPrice: 20 },
  { name: 'Product A', sku: 'product-a', type: 'NonInventory' as const, unitPrice: 10 },
  { name: 'Mug', sku: 'MUG-1', type: 'NonInventory' as const, unitPrice: 8 },
  // Custom lines with no SKU (gift wrap, engraving) are mapped to this by title.
  { name: 'Gift wrap', sku: null, type: 'Service' as const, unitPrice: 3 },
];

/**
 * A US company: lines TAX/NON, the sale's rate from one tax code. Multi-currency on, as a US company
 * selling abroad would have it.
 */
function usTestCompany(realmId: string): QboSeedCompany {
  return {
    realmId,
    companyName: 'Test Books Inc',
    country: 'US',
    homeCurrency: 'USD',
    preferences: { customTxnNumbers: true, allowShipping: true, multiCurrencyEnabled: true },
    items: TEST_ITEMS,
    taxCodes: [
      { name: 'NY State Tax', rates: [{ name: 'NY State', ratePercent: 4 }] },
      { name: 'Los Angeles', rates: [{ name: 'CA State', ratePercent: 6 }, { name: 'LA County', ratePercent: 3.5 }] },
      { name: 'Old CA rate', rates: [{ name: 'CA 2019', ratePercent: 7.75 }] },
    ],
  };
}

function gbTestCompany(realmId: string): QboSeedCompany {
  return {
    realmId,
    companyName: 'Test Books Ltd',
    country: 'GB',
    homeCurrency: 'GBP',
    preferences: { customTxnNumbers: true, allowShipping: true, multiCurrencyEnabled: true },
    items: TEST_ITEMS,
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
  qboRateLimits?: { perSecond: number; perMinute: number; maxInFlight?: number };
  /** Keeps the product within the company's limits, as production does (db/shared-request-limiter.ts). */
  qboRequestLimiter?: RequestLimiter;
  /** Shopify's cost bucket; default Shopify Standard (2000 points, 100/s). */
  shopifyBucket?: { maximumAvailable: number; restoreRate: number };
  qboAccessTokenTtlSeconds?: number;
  /** How long the product waits after a 429 without Retry-After (default 1 s; production: Intuit's 60 s). */
  qboDefaultRetryAfterMs?: number;
  /** What the ledger does with a repeated requestid (unconfirmed: the product must be safe under each). */
  qboRequestIdMode?: RequestIdMode;
  /** The company books a used document number again instead of answering 6140. */
  qboDuplicateDocNumbersAllowed?: boolean;
  /** The shops' currency (default GBP, the UK QuickBooks company's and the Xero organisation's home currency). */
  shopCurrency?: string;
  /** The QuickBooks company booked into (default the UK one). */
  qboCompany?: TestCompanyKind;
  /** Default true, as Shopify requires of public apps from 2027-01-01. */
  shopifyExpiringTokens?: boolean;
  /** Orders per page of the "changed since" listing (ShopifyPlatformConfig.updatedOrdersPageSize). */
  shopifyUpdatedOrdersPageSize?: number;
  /** More QuickBooks companies like the first, each with limits of its own (benches spread a backlog over them). */
  extraCompanies?: number;
  /**
   * The QuickBooks emulator runs in a process of its own, as the real ledger is elsewhere (benches at the limits):
   * then `qboProcess` inspects it and `qbo` is not available.
   */
  qboInOwnProcess?: boolean;
}

export interface EmulatedPlatforms {
  shop: string;
  /** Another shop on the same emulator, for tests of two shops booking into one ledger. */
  secondShop: string;
  realmId: string;
  /** The first company's realm, then the extra companies' (options.extraCompanies). */
  realmIds: string[];
  shopify: ShopifyEmulator;
  /** The emulator in this process (throws when it runs in its own: `qboInOwnProcess`). */
  readonly qbo: RunningQboEmulator;
  /** The emulator in its own process, when `qboInOwnProcess`. */
  qboProcess: QboEmulatorProcess | null;
  shopifyPlatform: ShopifyPlatform;
  qboPlatform: AccountingPlatform;
  close(): Promise<void>;
}

/** Two shops and one QuickBooks company on their emulators, and the real platform code pointed at them. */
export async function startEmulatedPlatforms(options: EmulatedPlatformsOptions): Promise<EmulatedPlatforms> {
  const shop = `shop-${randomUUID().slice(0, 8)}.myshopify.com`;
  const secondShop = `shop-${randomUUID().slice(0, 8)}.myshopify.com`;
  const realmId = String(9_130_000_000_000_000 + Math.floor(Math.random() * 1e9));
  const realmIds = [realmId, ...Array.from({ length: options.extraCompanies ?? 0 }, (_, i) => String(BigInt(realmId) + BigInt(i + 1)))];
  const qboOptions: QboEmulatorOptions = {
    ...options.qboApp,
    companies: realmIds.map((id) => ({
      ...testCompany(id, options.qboCompany),
      preferences: {
        ...testCompany(id, options.qboCompany).preferences,
        duplicateDocNumbersAllowed: options.qboDuplicateDocNumbersAllowed ?? false,
      },
    })),
    rateLimits: options.qboRateLimits ?? { perSecond: 1000, perMinute: 100_000 },
    // Throttles as production answers them: XML Fault 3001, no Retry-After (the client waits its default).
    ...(options.qboRequestIdMode ? { requestIdMode: options.qboRequestIdMode } : {}),
    ...(options.qboAccessTokenTtlSeconds ? { accessTokenTtlSeconds: options.qboAccessTokenTtlSeconds } : {}),
  };
  const [shopify, qboHere] = await Promise.all([
    startShopifyEmulator({
      ...options.shopifyApp,
      shops: [
        { domain: shop, name: options.shopName, currencyCode: options.shopCurrency ?? 'GBP' },
        { domain: secondShop, name: `${options.shopName} (second)`, currencyCode: options.shopCurrency ?? 'GBP' },
      ],
      ...(options.shopifyBucket ? { bucket: options.shopifyBucket } : {}),
    }),
    options.qboInOwnProcess ? startQboEmulatorProcess(qboOptions) : startQboEmulator(qboOptions),
  ]);
  const shopifyPlatform = createShopifyPlatform({
    apiKey: options.shopifyApp.apiKey,
    apiSecretKey: options.shopifyApp.apiSecret,
    // Shopify's expiring offline tokens (60 min, rotating refresh tokens): mandatory for public apps from 2027-01-01.
    expiringTokens: options.shopifyExpiringTokens ?? true,
    ...(options.shopifyUpdatedOrdersPageSize ? { updatedOrdersPageSize: options.shopifyUpdatedOrdersPageSize } : {}),
    emulatorShops: { [shop]: shopify.origin, [secondShop]: shopify.origin },
  });
  const qboPlatform = createQboPlatform({
    ...options.qboApp,
    environment: 'sandbox',
    ...qboEndpointsAt(qboHere.urls),
    defaultRetryAfterMs: options.qboDefaultRetryAfterMs ?? 1_000,
    ...(options.qboRequestLimiter ? { requestLimiter: options.qboRequestLimiter } : {}),
  });
  return {
    shop,
    secondShop,
    realmId,
    realmIds,
    shopify,
    get qbo(): RunningQboEmulator {
      if (!('control' in qboHere)) throw new Error('the QuickBooks emulator runs in its own process: inspect it through qboProcess');
      return qboHere;
    },
    qboProcess: 'control' in qboHere ? null : qboHere,
    shopifyPlatform,
    qboPlatform,
    close: async () => {
      await Promise.allSettled([shopify.close(), qboHere.close()]);
    },
  };
}
