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
  /** quantity × unitPrice, as the ledger checks it. */
  amount: string;
  taxCodeId: string | null;
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
  shipping: { amount: string; taxCodeId: string | null } | null;
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
  findCustomer(match: { email: string | null; displayName: string }): Promise<LedgerCustomer | null>;
  createCustomer(input: LedgerCustomerInput, idempotencyKey: string): Promise<LedgerCustomer>;
  /** Items whose SKU is one of these (any case; callers compare exactly). Cheaper than listing every item. */
  findItemsBySku(skus: string[]): Promise<LedgerItem[]>;
  listItems(): Promise<LedgerItem[]>;
  listTaxCodes(): Promise<LedgerTaxCode[]>;
  createSalesReceipt(receipt: LedgerSalesReceipt, idempotencyKey: string): Promise<LedgerDocumentRef>;
  checkConnection(): Promise<ConnectionProbe>;
}
