import type { TaxInclusiveLineReading } from './sales-tax-rules.js';

/** Seed data and settings for one QuickBooks Online emulator. */

export interface QboCompanyPreferences {
  /** SalesFormsPrefs.CustomTxnNumbers: the supplied DocNumber is used. */
  customTxnNumbers: boolean;
  /** SalesFormsPrefs.AllowShipping: `SHIPPING_ITEM_ID` is a valid ItemRef. */
  allowShipping: boolean;
  multiCurrencyEnabled: boolean;
  /** TaxPrefs.UsingSalesTax: false ⇒ the receipt carries no tax at all. */
  usingSalesTax: boolean;
  /** TaxPrefs.PartnerTaxEnabled (US automated sales tax): QuickBooks works the rate out, ignoring TxnTaxCodeRef. */
  partnerTaxEnabled: boolean;
  /** Emulator knob: the rate automated sales tax comes to for this company's sales, in percent. */
  automatedSalesTaxPercent: number;
  /** Non-US default "amounts are" setting, shown in Preferences (TaxPrefs.TaxInclusive [U] field name). */
  taxInclusiveDefault: boolean;
}

export interface QboSeedItem {
  id?: string;
  name: string;
  sku?: string | null;
  type?: 'Inventory' | 'Service' | 'NonInventory';
  active?: boolean;
  unitPrice?: number;
}

export interface QboSeedTaxRate {
  id?: string;
  name: string;
  /** Percent, e.g. 20 for 20 %. */
  ratePercent: number;
}

export interface QboSeedTaxCode {
  id?: string;
  name: string;
  active?: boolean;
  /** Sales rates of the code; an empty list is a zero-rated/exempt code. */
  rates: QboSeedTaxRate[];
}

export interface QboSeedCustomer {
  id?: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  active?: boolean;
}

export interface QboSeedCompany {
  realmId: string;
  companyName: string;
  country?: string;
  homeCurrency?: string;
  preferences?: Partial<QboCompanyPreferences>;
  items?: QboSeedItem[];
  taxCodes?: QboSeedTaxCode[];
  customers?: QboSeedCustomer[];
}

export interface QboRateLimits {
  perSecond: number;
  perMinute: number;
}

/** How 401 bodies are shaped: the lower-case `fault` envelope seen in the wild, or the documented `Fault`. */
export type AuthFaultEnvelope = 'fault' | 'Fault';

export interface QboEmulatorOptions {
  clientId: string;
  clientSecret: string;
  companies: QboSeedCompany[];
  /** 0 (default) picks a free port. */
  port?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** How long a rotated-away refresh token keeps working (real QBO: 24 h). */
  refreshTokenGraceSeconds?: number;
  rateLimits?: Partial<QboRateLimits>;
  /** Retry-After sent with 429s forced through the control API; null sends none. */
  throttleRetryAfterSeconds?: number | null;
  authFaultEnvelope?: AuthFaultEnvelope;
  taxInclusiveLineReading?: TaxInclusiveLineReading;
}

export interface ResolvedQboSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshTokenGraceSeconds: number;
  rateLimits: QboRateLimits;
  throttleRetryAfterSeconds: number | null;
  throttleBodyFormat: 'json' | 'xml';
  authFaultEnvelope: AuthFaultEnvelope;
  /** How tax-inclusive line amounts are read; unconfirmed, so tests play each variant. */
  taxInclusiveLineReading: TaxInclusiveLineReading;
}

export const DEFAULT_PREFERENCES: QboCompanyPreferences = {
  customTxnNumbers: true,
  allowShipping: true,
  multiCurrencyEnabled: false,
  usingSalesTax: true,
  partnerTaxEnabled: false,
  automatedSalesTaxPercent: 8.25,
  taxInclusiveDefault: false,
};

export function resolveSettings(options: QboEmulatorOptions): ResolvedQboSettings {
  return {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 8_726_400,
    refreshTokenGraceSeconds: options.refreshTokenGraceSeconds ?? 86_400,
    rateLimits: { perSecond: 10, perMinute: 500, ...options.rateLimits },
    throttleRetryAfterSeconds: options.throttleRetryAfterSeconds === undefined ? 60 : options.throttleRetryAfterSeconds,
    throttleBodyFormat: 'json',
    authFaultEnvelope: options.authFaultEnvelope ?? 'fault',
    taxInclusiveLineReading: options.taxInclusiveLineReading ?? 'net-amount',
  };
}
