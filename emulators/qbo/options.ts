import type { QboFieldLengthVariant } from './field-lengths.js';
import type { TaxInclusiveLineReading } from './sales-tax-rules.js';
import type { TotalTaxOverride } from './tax-override-rules.js';

/** Seed data and settings for one QuickBooks Online emulator. */

export interface QboCompanyPreferences {
  /** SalesFormsPrefs.CustomTxnNumbers: the supplied DocNumber is used. */
  customTxnNumbers: boolean;
  /** SalesFormsPrefs.AllowShipping: `SHIPPING_ITEM_ID` is a valid ItemRef. */
  allowShipping: boolean;
  multiCurrencyEnabled: boolean;
  /** TaxPrefs.UsingSalesTax: false ⇒ the receipt carries no tax at all. */
  usingSalesTax: boolean;
  /**
   * Advanced → "Warn if duplicate … number is used" switched off: QBO then books a second document under a
   * number already used instead of answering 6140 (a per-company preference; off by default, i.e. 6140).
   */
  duplicateDocNumbersAllowed: boolean;
  /** TaxPrefs.PartnerTaxEnabled (US automated sales tax): QuickBooks works the rate out, ignoring TxnTaxCodeRef. */
  partnerTaxEnabled: boolean;
  /** Emulator knob: the rate automated sales tax comes to for this company's sales, in percent. */
  automatedSalesTaxPercent: number;
  /** Non-US default "amounts are" setting, shown in Preferences (TaxPrefs.TaxInclusive [U] field name). */
  taxInclusiveDefault: boolean;
  /**
   * Emulator variant, unconfirmed [U]: a foreign currency never added to the company's list is added on first use
   * (as the QuickBooks UI does when a customer gets a new currency) or refused like an inactive one.
   */
  unlistedCurrencies: 'added' | 'refused';
  /**
   * Emulator variant, unconfirmed [U]: a deposit in a foreign currency into a bank account in the home currency is
   * taken at the rate (`converted`: the account receives TotalAmt × ExchangeRate, as QuickBooks' wording "the currency
   * of the account must be either in home currency or the transaction currency" allows) or refused (`refused`: the
   * deposit form takes the currency of the account chosen).
   */
  foreignDepositToHomeAccount: 'converted' | 'refused';
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
  /** The customer's currency (a multicurrency company's customer in a foreign one); default the home currency. */
  currency?: string;
}

/** An account of the chart: a clearing account (Other Current Asset), a fee account (Expense)… (see QboCompany.addAccount). */
export interface QboSeedAccount {
  name: string;
  type: 'Bank' | 'Other Current Asset' | 'Expense' | 'Other Expense' | 'Income';
  subType?: string;
  active?: boolean;
  /** A bank account's currency in a multicurrency company; default the home currency. */
  currency?: string;
}

/** A currency in a multicurrency company's list (CompanyCurrency), with the rates QuickBooks downloaded for it. */
export interface QboSeedCurrency {
  code: string;
  active?: boolean;
  /** ExchangeRate entities into the home currency: home units per one unit of `code`. */
  rates?: Array<{ asOfDate: string; rate: number }>;
}

export interface QboSeedCompany {
  realmId: string;
  companyName: string;
  country?: string;
  homeCurrency?: string;
  /**
   * Foreign currencies in the company's list; the currency of each seeded foreign-currency customer is added too
   * (a customer can only have been created in a listed currency).
   */
  currencies?: QboSeedCurrency[];
  preferences?: Partial<QboCompanyPreferences>;
  items?: QboSeedItem[];
  taxCodes?: QboSeedTaxCode[];
  customers?: QboSeedCustomer[];
  /** Accounts the chart has besides Undeposited Funds, Checking and the income and cost accounts every company starts with. */
  accounts?: QboSeedAccount[];
  /** Display names of vendors and employees: customer names must not collide with them either (6240). */
  otherNames?: { vendors?: string[]; employees?: string[] };
}

export interface QboRateLimits {
  perSecond: number;
  perMinute: number;
  /** Requests of one company being processed at once; the next one is throttled (Intuit: 10). */
  maxInFlight: number;
}

/**
 * What QBO does with a `requestid` it has seen before for the company; Intuit documents that it "returns
 * the response of the original request", but not whether that includes faults, nor for how long.
 *  - `replay-all`: any original answer is replayed, faults included (the documented reading; default);
 *  - `replay-success`: only successful answers are replayed, a fault is processed again;
 *  - `ignore`: requestid does nothing, every request is processed.
 */
export type RequestIdMode = 'replay-all' | 'replay-success' | 'ignore';

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
  /** Retry-After sent with 429s; null (default, as production does) sends none. */
  throttleRetryAfterSeconds?: number | null;
  /** Throttle bodies: XML (default, as production answers even JSON requests) or the JSON Fault envelope. */
  throttleBodyFormat?: 'json' | 'xml';
  requestIdMode?: RequestIdMode;
  /** Added to every Accounting API answer while the request counts as in flight, in ms. */
  latencyMs?: number;
  authFaultEnvelope?: AuthFaultEnvelope;
  /** Which of Intuit's disagreeing length sources to enforce (see field-lengths.ts); default 'api-reference'. */
  fieldLengths?: QboFieldLengthVariant;
  /** Whether `=`, `IN` and `LIKE` on strings in queries are case sensitive (unconfirmed); default 'case-insensitive'. */
  queryStringMatch?: 'case-insensitive' | 'case-sensitive';
  taxInclusiveLineReading?: TaxInclusiveLineReading;
  /** What a client's TxnTaxDetail.TotalTax does; default 'honoured' (see tax-override-rules.ts). */
  totalTaxOverride?: TotalTaxOverride;
}

export interface ResolvedQboSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshTokenGraceSeconds: number;
  rateLimits: QboRateLimits;
  throttleRetryAfterSeconds: number | null;
  throttleBodyFormat: 'json' | 'xml';
  authFaultEnvelope: AuthFaultEnvelope;
  requestIdMode: RequestIdMode;
  latencyMs: number;
  /** How tax-inclusive line amounts are read; unconfirmed, so tests play each variant. */
  taxInclusiveLineReading: TaxInclusiveLineReading;
  /** What a client's TotalTax does; partly unconfirmed, so tests play each variant. */
  totalTaxOverride: TotalTaxOverride;
}

export const DEFAULT_PREFERENCES: QboCompanyPreferences = {
  customTxnNumbers: true,
  allowShipping: true,
  multiCurrencyEnabled: false,
  usingSalesTax: true,
  duplicateDocNumbersAllowed: false,
  partnerTaxEnabled: false,
  automatedSalesTaxPercent: 8.25,
  taxInclusiveDefault: false,
  unlistedCurrencies: 'added',
  foreignDepositToHomeAccount: 'converted',
};

export function resolveSettings(options: QboEmulatorOptions): ResolvedQboSettings {
  return {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 8_726_400,
    refreshTokenGraceSeconds: options.refreshTokenGraceSeconds ?? 86_400,
    rateLimits: { perSecond: 10, perMinute: 500, maxInFlight: 10, ...options.rateLimits },
    throttleRetryAfterSeconds: options.throttleRetryAfterSeconds ?? null,
    throttleBodyFormat: options.throttleBodyFormat ?? 'xml',
    authFaultEnvelope: options.authFaultEnvelope ?? 'fault',
    requestIdMode: options.requestIdMode ?? 'replay-all',
    latencyMs: options.latencyMs ?? 0,
    taxInclusiveLineReading: options.taxInclusiveLineReading ?? 'net-amount',
    totalTaxOverride: options.totalTaxOverride ?? 'honoured',
  };
}
