/** Seed data and settings for one Xero emulator. Sources of every behaviour: FIDELITY.md. */

export interface XeroSeedTaxRate {
  name: string;
  /** The code lines and accounts carry (`OUTPUT2`, `NONE`, `TAX001`, ...). */
  taxType: string;
  /** Percent, e.g. 20 for 20 %. */
  ratePercent: number;
  status?: 'ACTIVE' | 'DELETED' | 'ARCHIVED' | 'PENDING';
  canApplyToRevenue?: boolean;
}

export interface XeroSeedAccount {
  code: string;
  name: string;
  type: 'BANK' | 'CURRENT' | 'REVENUE' | 'SALES' | 'OTHERINCOME' | 'EXPENSE' | 'CURRLIAB' | 'EQUITY';
  taxType?: string;
  enablePaymentsToAccount?: boolean;
  status?: 'ACTIVE' | 'ARCHIVED';
  /** BANK accounts: the bank account number shown in Xero. */
  bankAccountNumber?: string;
  /** BANK accounts: the account's currency (default the organisation's base currency). */
  currencyCode?: string;
}

export interface XeroSeedItem {
  code: string;
  name: string;
  description?: string;
  /** Sales account and tax type a line gets when it names only the item. */
  salesAccountCode?: string;
  salesTaxType?: string;
  unitPrice?: number;
  isSold?: boolean;
}

export interface XeroSeedContact {
  name: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  contactNumber?: string;
  status?: 'ACTIVE' | 'ARCHIVED';
}

export interface XeroSeedOrganisation {
  /** Goes in `xero-tenant-id`; also the OrganisationID. */
  tenantId: string;
  name: string;
  countryCode?: string;
  baseCurrency?: string;
  /** Currencies added besides the base one, each with the day's rate Xero would use (foreign units per base unit). */
  currencies?: Array<{ code: string; rate?: number }>;
  /** Whether the plan has multicurrency (PUT /Currencies); default true, like the PREMIUM class Organisation shows. */
  multiCurrencyPlan?: boolean;
  /** Organisation.PaysTax: false for an organisation that is not registered for tax. */
  paysTax?: boolean;
  isDemoCompany?: boolean;
  taxRates?: XeroSeedTaxRate[];
  accounts?: XeroSeedAccount[];
  items?: XeroSeedItem[];
  contacts?: XeroSeedContact[];
  /** Variants of what Xero does with money in another currency than its bank account's (unconfirmed; see below). */
  currencyVariants?: Partial<XeroCurrencyVariants>;
}

/**
 * Unconfirmed [U], so both are played (emulators/xero/FIDELITY.md, "Bank transfers", "Spend money"):
 *  - `crossCurrencyTransfers`: a transfer between bank accounts in two currencies is `refused` (default; Linx's
 *    reading of Xero's page) or `converted` (Xero's UI takes one, the second amount entered; through the API, which
 *    takes one Amount, played as converted at the day's rates);
 *  - `bankTransactionCurrency`: a SPEND/RECEIVE naming a CurrencyCode other than its bank account's is `refused`
 *    (default) or booked in the account's currency, the code ignored (`account-currency`): xero-node says "Setting
 *    currency is only supported on overpayments".
 */
export interface XeroCurrencyVariants {
  crossCurrencyTransfers: 'refused' | 'converted';
  bankTransactionCurrency: 'refused' | 'account-currency';
}

export interface XeroRateLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  appPerMinute: number;
}

/**
 * What Xero does with an `Idempotency-Key` it has seen (confirmed: the write is not repeated; unconfirmed:
 * whether errors are replayed too):
 *  - `replay-all`: the first answer is replayed, validation errors included (default, the secondary reading);
 *  - `replay-success`: only successful answers are replayed, an error is processed again;
 *  - `ignore`: the header does nothing.
 */
export type IdempotencyMode = 'replay-all' | 'replay-success' | 'ignore';

/** The same key with a different body: refused with 400 (one secondary note) or answered with the first answer. */
export type IdempotencyKeyReuse = 'reject' | 'replay-first';

export interface XeroEmulatorOptions {
  clientId: string;
  clientSecret: string;
  organisations: XeroSeedOrganisation[];
  /** 0 (default) picks a free port. */
  port?: number;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** How long the previous refresh token keeps working after a rotation (Xero: 30 minutes). */
  refreshTokenGraceSeconds?: number;
  rateLimits?: Partial<XeroRateLimits>;
  idempotencyMode?: IdempotencyMode;
  idempotencyKeyReuse?: IdempotencyKeyReuse;
  /** How long a key is remembered; the secondary source says about 6 minutes. */
  idempotencyWindowSeconds?: number;
  /** Whether `==` on text in `where` ignores case (unconfirmed); default 'case-insensitive'. */
  whereStringMatch?: 'case-insensitive' | 'case-sensitive';
  /** Added to every Accounting API answer while the call counts as in progress, in ms. */
  latencyMs?: number;
  /**
   * How the minute and day are counted: `fixed` windows from the first call (current Xero pages, default) or
   * `rolling` windows (older Xero pages: "60 calls in a rolling 60 second window"). Unconfirmed: both played.
   */
  rateWindows?: 'fixed' | 'rolling';
}

export interface ResolvedXeroSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshTokenGraceSeconds: number;
  rateLimits: XeroRateLimits;
  idempotencyMode: IdempotencyMode;
  idempotencyKeyReuse: IdempotencyKeyReuse;
  idempotencyWindowSeconds: number;
  whereStringMatch: 'case-insensitive' | 'case-sensitive';
  latencyMs: number;
  rateWindows: 'fixed' | 'rolling';
}

export function resolveSettings(options: XeroEmulatorOptions): ResolvedXeroSettings {
  return {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 1800,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 60 * 86_400,
    refreshTokenGraceSeconds: options.refreshTokenGraceSeconds ?? 1800,
    rateLimits: { perMinute: 60, perDay: 5000, concurrent: 5, appPerMinute: 10_000, ...options.rateLimits },
    idempotencyMode: options.idempotencyMode ?? 'replay-all',
    idempotencyKeyReuse: options.idempotencyKeyReuse ?? 'reject',
    idempotencyWindowSeconds: options.idempotencyWindowSeconds ?? 360,
    whereStringMatch: options.whereStringMatch ?? 'case-insensitive',
    latencyMs: options.latencyMs ?? 0,
    rateWindows: options.rateWindows ?? 'fixed',
  };
}
