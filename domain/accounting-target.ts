import type { ConnectionProbe } from './connection-probe.js';

/** Field lengths the ledger accepts; longer text is truncated and the full text kept in our database. */
export interface LedgerLimits {
  docNumber: number;
  privateNote: number;
  customerMemo: number;
  customerDisplayName: number;
  personName: number;
  email: number;
  lineDescription: number;
}

export interface LedgerItem {
  id: string;
  name: string;
  sku: string | null;
  active: boolean;
}

export interface LedgerTaxCode {
  id: string;
  name: string;
  /** Sum of the code's sales rates, in percent (20 for 20 %). */
  ratePercent: number;
  active: boolean;
}

/**
 * How a ledger wants tax on a sale, read from the company (QuickBooks: CompanyInfo.Country and Preferences.TaxPrefs).
 * - `per-line`: every line, shipping included, carries a tax code, zero-rated and exempt ones too (VAT/GST countries);
 * - `per-sale`: lines are marked taxable or not, and one tax code gives the sale its rate (US sales tax);
 * - `ledger-computed`: lines are marked taxable or not, and the ledger works the rate out itself (US automated sales tax);
 * - `off`: the company keeps no sales tax.
 */
export interface LedgerTaxSetup {
  mode: 'per-line' | 'per-sale' | 'ledger-computed' | 'off';
  /** ISO country of the company ("US", "GB", "CA", "AU"). */
  country: string;
}

export interface LedgerCustomerInput {
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  currency: string;
}

export interface LedgerCustomer {
  id: string;
  displayName: string;
  email: string | null;
}

export interface LedgerSalesLine {
  itemId: string;
  description: string;
  quantity: number;
  unitPrice: string;
  /** quantity × unitPrice, as the ledger checks it (before the line's discount). */
  amount: string;
  /** The line's tax code (`per-line` ledgers); null when the ledger wants none on lines. */
  taxCodeId: string | null;
  /** Whether the shop charged tax on the line (`per-sale` and `ledger-computed` ledgers mark lines so). */
  taxable?: boolean;
  /** Discount the shop allocated to the line (all units); absent in runs mapped before it was carried. */
  discount?: string;
  /** Tax the shop charged on the line, after its discount: what a tax-inclusive price holds. */
  tax?: string;
}

export interface LedgerShippingLine {
  amount: string;
  taxCodeId: string | null;
  taxable?: boolean;
  tax?: string;
}

/** A paid sale, booked as a sales receipt (QuickBooks Online) or its equivalent. */
export interface LedgerSalesReceipt {
  docNumber: string;
  /** YYYY-MM-DD in the shop's reporting sense. */
  txnDate: string;
  currency: string;
  customerId: string;
  taxesIncluded: boolean;
  lines: LedgerSalesLine[];
  /** Order-level discount (sum of line discounts), positive amount; "0.00" when none. */
  discount: string;
  shipping: LedgerShippingLine | null;
  /** The tax code that gives a `per-sale` ledger the sale's rate; null otherwise or when nothing is taxed. */
  txnTaxCodeId?: string | null;
  totalTax: string;
  /** The total the shop charged; the ledger must arrive at the same figure. */
  total: string;
  /** Internal note (who/what/where from), within `limits.privateNote`. */
  privateNote: string;
  /** Note printed for the customer, within `limits.customerMemo`. */
  customerMemo: string | null;
}

export interface LedgerDocumentRef {
  id: string;
  docNumber: string;
  total: string;
  /** The document's internal note (QBO PrivateNote), which names the order we booked it for. */
  internalNote?: string | null;
}

/**
 * A ledger the engine books into. Implementations translate platform errors into the
 * errors of `platform-errors.ts`; they never retry on their own beyond one token refresh.
 */
export interface AccountingTarget {
  readonly limits: LedgerLimits;
  findSalesReceipt(docNumber: string): Promise<LedgerDocumentRef | null>;
  /**
   * A customer a sale can go to. `currency` (the sale's): ledgers whose customers have one currency (QuickBooks
   * multicurrency) answer only a customer in it; absent in callers that predate it.
   */
  findCustomer(match: { email: string | null; displayName: string; currency?: string }): Promise<LedgerCustomer | null>;
  /** Such ledgers may name a customer in a foreign currency with it ("Chloé Dubois (EUR)"): the answer has the name used. */
  createCustomer(input: LedgerCustomerInput, idempotencyKey: string): Promise<LedgerCustomer>;
  /** Items whose SKU is one of these (any case; callers compare exactly). Cheaper than listing every item. */
  findItemsBySku(skus: string[]): Promise<LedgerItem[]>;
  listItems(): Promise<LedgerItem[]>;
  listTaxCodes(): Promise<LedgerTaxCode[]>;
  /** How the company wants tax on a sale; cached per integration by implementations. */
  taxSetup(): Promise<LedgerTaxSetup>;
  createSalesReceipt(receipt: LedgerSalesReceipt, idempotencyKey: string): Promise<LedgerDocumentRef>;
  checkConnection(): Promise<ConnectionProbe>;
}
