import type { LedgerCurrencies } from './booking-currency.js';
import type { ConnectionProbe } from './connection-probe.js';

/**
 * Field lengths the ledger accepts, each its own (the strictest of its documented sources); longer text is
 * truncated and the full text kept in our database.
 */
export interface LedgerLimits {
  /** The document number: longer numbers keep their head and end in a stable hash (domain/document-number.ts). */
  docNumber: number;
  /** The internal note that opens with our marker and carries the customer's note. */
  internalNote: number;
  /** The note printed for the customer. */
  customerMemo: number;
  customerDisplayName: number;
  /** Given and family names of a customer. */
  personName: number;
  email: number;
  lineDescription: number;
  /** An item's name, where the engine creates items (createItem). */
  itemName?: number;
}

export interface LedgerItem {
  id: string;
  name: string;
  sku: string | null;
  active: boolean;
}

/** An item the engine creates for a store's product variant (the ledger picks its own kind and income account). */
export interface LedgerItemInput {
  name: string;
  sku: string;
  /** Decimal string: the store's price, as the item's default sales price. */
  unitPrice: string;
}

export interface LedgerTaxCode {
  id: string;
  name: string;
  /** Sum of the code's sales rates, in percent (20 for 20 %). */
  ratePercent: number;
  active: boolean;
}

/**
 * How a ledger wants tax on a sale, as the ledger's company is set up (each ledger reads it its own way).
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

/**
 * Fields of a linked ledger customer the engine keeps in step with the store, each present only when it is to be
 * written: what is absent stays as the ledger has it (a bookkeeper's edit of a field we do not send survives).
 */
export interface LedgerCustomerChanges {
  displayName?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
}

/** Fields of a linked ledger item the engine keeps in step with the store's variant; absent ones stay as they are. */
export interface LedgerItemChanges {
  name?: string;
  /** Decimal string: the variant's price, as the item's default sales price. */
  unitPrice?: string;
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

/**
 * A paid sale as the engine hands it to a ledger. Each ledger books it as its own kind of document (a sales
 * receipt, an invoice with its payment, a bank transaction...) and keeps `marker` where it can read it back.
 */
export interface LedgerSale {
  /** Our deterministic number for the order's document, within `limits.docNumber`. */
  docNumber: string;
  /** YYYY-MM-DD in the shop's reporting sense. */
  date: string;
  /** ISO 4217; every amount is written in its minor units ("1200" JPY, "1.235" KWD). */
  currency: string;
  /**
   * Units of the ledger's home currency per unit of `currency`, for a sale in a foreign currency whose rate the shop
   * gave (its own two amounts); absent: the home currency, or the ledger's own rate of the day.
   */
  exchangeRate?: string;
  customerId: string;
  taxesIncluded: boolean;
  lines: LedgerSalesLine[];
  /** Order-level discount (sum of line discounts), positive amount; "0.00" when none. */
  discount: string;
  shipping: LedgerShippingLine | null;
  /** The tax code that gives a `per-sale` ledger the sale's rate; null otherwise or when nothing is taxed. */
  saleTaxCodeId?: string | null;
  totalTax: string;
  /** The total the shop charged; the ledger must arrive at the same figure. */
  total: string;
  /**
   * One line naming the order this document is booked for (domain/ledger-document-ownership.ts). The ledger
   * stores it on the document and hands it back as `LedgerDocumentRef.marker`: that is how a document is known as ours.
   */
  marker: string;
  /** Internal note for the bookkeeper: `marker`, then the customer's note; within `limits.internalNote`. */
  internalNote: string;
  /** Note printed for the customer, within `limits.customerMemo`. */
  customerMemo: string | null;
}

/** What identifies the document of an order: our number for it, and the order it is for. */
export interface BookedSaleQuery {
  docNumber: string;
  /** The order's id (null in runs started before it was carried) and display name ("#1001"). */
  order: { id: string | null; name: string };
}

/**
 * Money given back on a booked sale, as the engine hands it to a ledger: the refunded lines, shipping and tax in
 * the sale's own terms (items, tax codes, customer), positive amounts. Each ledger books it as its own refund
 * document (a refund receipt, a credit note allocated to the invoice, a spend-money transaction...), never as an
 * edit of the sale's document. `marker` names the order and the refund.
 */
export interface LedgerRefund extends LedgerSale {
  /** The sale's document in this ledger, which the refund gives money back for. */
  sale: { id: string; docNumber: string };
  /** The shop's refund id ("cancellation" for the reversal of a cancelled order). */
  refundId: string;
}

/** What identifies the document of a refund: our number for it, the order and the refund. */
export interface BookedRefundQuery {
  docNumber: string;
  order: { id: string; name: string };
  refundId: string;
  /** The sale's document, where the ledger finds refunds through it (a credit note allocated to the invoice). */
  sale: { id: string; docNumber: string };
  /**
   * What the shop gave back, in the refund's booking currency: a ledger that finishes a found document (pays out a
   * credit memo) does so only when the document comes to it. Absent from lookups asked before it was passed.
   */
  total?: string;
}

/**
 * One line of a payout's deposit, signed in the deposit's currency: positive lines add to what reaches the bank.
 * `sale` and `refund` lines move an order's money out of (or back into) the account its sale was booked to;
 * `fee`, `chargeback` and `adjustment` lines go to the accounts the route chose for them (each ledger its own way).
 */
export interface LedgerPayoutLine {
  kind: 'sale' | 'refund' | 'fee' | 'chargeback' | 'adjustment';
  amount: string;
  description: string;
  /** `sale` and `refund` lines: the account the order's sale document put its money in (see `saleClearingAccount`). */
  clearingAccountId?: string;
}

/**
 * A payout as the engine hands it to a ledger: one document moving the payout's net from the clearing account(s)
 * to the route's bank account (a QuickBooks deposit, a Xero bank transfer...), never an edit of a sale's document.
 */
export interface LedgerPayout {
  /** The shop's id of the payout, for a ledger's messages to the bookkeeper ("Payout 123 is in GBP…"). */
  payoutId: string;
  /** Our deterministic number for the payout's document, within `limits.docNumber`. */
  docNumber: string;
  /** YYYY-MM-DD: when the payout was issued. */
  date: string;
  currency: string;
  /** What reaches the bank: the sum of `lines`. */
  net: string;
  lines: LedgerPayoutLine[];
  /** One line naming the payout (domain/ledger-document-ownership.ts), kept where the ledger can read it back. */
  marker: string;
  /** Who paid it out (the store's integration, "Shopify #1"): the contact where a ledger names one on money moved (Xero). */
  payee: string;
}

/**
 * The account a booked sale put its money in. `clearable`: a payout's document can take money out of it (QuickBooks:
 * by an account line, not from Undeposited Funds; Xero: it is the route's clearing bank account).
 */
export interface LedgerSaleAccount {
  id: string;
  name: string;
  clearable: boolean;
  /** The sale's total as the ledger holds it now: what it put into the account. */
  saleTotal: string;
}

export interface LedgerDocumentRef {
  id: string;
  docNumber: string;
  total: string;
  /** What the ledger calls this document, for messages: "sales receipt", "invoice". */
  kind?: string;
  /**
   * The text in which the ledger keeps our marker (its first line), e.g. the document's internal note; null or
   * absent when the document has none (entered by hand). The engine reads whose document it is from it.
   */
  marker?: string | null;
  /**
   * Other documents the ledger holds under the same number, where it allows duplicate numbers (QuickBooks with
   * "warn if duplicate" off): the engine reads their markers, and two for one order stop the route (a hard stop).
   */
  sameNumber?: { id: string; docNumber: string; marker: string | null }[];
}

/** A date range of the ledger's documents, both days included (YYYY-MM-DD, the document's own date). */
export interface LedgerDateRange {
  from: string;
  to: string;
}

/** One sale (or payout) document as a listing by date shows it: what a reconciliation audit compares with the shop's. */
export interface LedgerSaleListing {
  id: string;
  docNumber: string;
  /** YYYY-MM-DD, the document's date. */
  date: string;
  /** As the ledger computed it, in the document's currency. */
  total: string;
  /** The document's currency; null where the ledger leaves it implicit (the home currency). */
  currency: string | null;
  /** What the ledger calls it ("sales receipt"). */
  kind: string;
  /** The text our marker opens (as LedgerDocumentRef.marker); null on a document without one. */
  marker: string | null;
}

/** A found document as a listing shows it, with the date and currency the listing read. */
export function saleListing(document: LedgerDocumentRef, kind: string, date: string, currency: string | null): LedgerSaleListing {
  return { id: document.id, docNumber: document.docNumber, total: document.total, kind, marker: document.marker ?? null, date, currency };
}

/**
 * A ledger the engine books into. Each ledger decides which document a sale becomes and how it marks it as
 * ours. Implementations translate platform errors into the errors of `platform-errors.ts`; they never retry on
 * their own beyond one token refresh.
 */
export interface AccountingTarget {
  readonly limits: LedgerLimits;
  /** What the ledger calls the documents it books, for messages before one exists: "sales receipt". */
  readonly documentKind: string;
  /**
   * The document that holds the order's number (or, where the ledger can tell, the document marked for the order),
   * with its marker: the caller decides from the marker whether it is this order's, another's, or nobody's we know.
   */
  findBookedSale(query: BookedSaleQuery): Promise<LedgerDocumentRef | null>;
  /**
   * Books the sale once. Must look the number up before every write (or spend a fresh "absent" answer of
   * `findBookedSale` just before) and return what it finds instead of writing; must send `idempotencyKey` (the
   * same on every retry of the same booking) where the ledger takes one; must return the document that holds the
   * number when the ledger refuses the write as a duplicate.
   */
  bookSale(sale: LedgerSale, idempotencyKey: string): Promise<LedgerDocumentRef>;
  /**
   * Every sale document dated within the range (the kind `bookSale` makes), all pages read, ours and others'.
   * Optional: a ledger without it cannot be audited, and the audit says so.
   */
  listSalesBetween?(range: LedgerDateRange): Promise<LedgerSaleListing[]>;
  /** What the ledger calls its refund documents, for messages: "refund receipt", "credit note". */
  readonly refundDocumentKind?: string;
  /**
   * The refund document holding the refund's number, with its marker (the caller reads whose it is). Absent on a
   * ledger that cannot book refunds yet: the engine then leaves the refund to a person and says so.
   */
  findBookedRefund?(query: BookedRefundQuery): Promise<LedgerDocumentRef | null>;
  /**
   * Books the refund once, under the same rules as `bookSale`: a lookup of its number before every write (or a
   * fresh "absent" answer just before), `idempotencyKey` sent where the ledger takes one, the existing document
   * returned on a duplicate refusal, and the total as the ledger computed it (compared with the shop's refund).
   */
  bookRefund?(refund: LedgerRefund, idempotencyKey: string): Promise<LedgerDocumentRef>;
  /** What the ledger calls a payout's document, for messages: "deposit", "bank transfer". */
  readonly payoutDocumentKind?: string;
  /**
   * The account the booked sale's money went into (the route's clearing account when it was booked), or null when
   * the ledger no longer has the document. Absent, with `findBookedPayout` and `bookPayout`, on a ledger that
   * cannot book payouts yet: the engine then leaves payouts to a person and says so.
   */
  saleClearingAccount?(sale: { id: string; docNumber: string }): Promise<LedgerSaleAccount | null>;
  /**
   * The payout's document holding this number, with its marker (the caller reads whose it is). `payout`: its date and
   * marker, for a ledger whose deposits carry no number (QuickBooks Desktop looks for the marker around the date).
   */
  findBookedPayout?(docNumber: string, payout: { date: string; marker: string }): Promise<LedgerDocumentRef | null>;
  /**
   * Books the payout's document once, under the same rules as `bookSale` (lookup before every write, the idempotency
   * key where the ledger takes one, the existing document on a duplicate refusal). Refuses with a LedgerRejectedError
   * saying which setting to choose when the route has no bank (or fee) account for payouts.
   */
  bookPayout?(payout: LedgerPayout, idempotencyKey: string): Promise<LedgerDocumentRef>;
  /**
   * Every payout document (the kind `bookPayout` makes) dated within the range, all pages read, ours and others'.
   * Optional: without it the audit does not compare payouts, and its report says so.
   */
  listPayoutsBetween?(range: LedgerDateRange): Promise<LedgerSaleListing[]>;
  /**
   * A customer a sale can go to. `currency` (the sale's): ledgers whose customers have one currency (QuickBooks
   * multicurrency) answer only a customer in it; absent in callers that predate it.
   */
  findCustomer(match: { email: string | null; displayName: string; currency?: string }): Promise<LedgerCustomer | null>;
  /** Such ledgers may name a customer in a foreign currency with it ("Chloé Dubois (EUR)"): the answer has the name used.
   * Throws DisplayNameTakenError when the ledger keeps the name for another contact (the caller tries the next name). */
  createCustomer(input: LedgerCustomerInput, idempotencyKey: string): Promise<LedgerCustomer>;
  /**
   * Writes the changed fields to the linked customer (its id as `createCustomer` or `findCustomer` gave it), once:
   * a field the ledger already holds with that value is not sent again, so a retry after a lost answer writes nothing.
   * Throws DisplayNameTakenError when another contact has the new name. Optional: a ledger without it leaves edits
   * to the bookkeeper, and the sync says so.
   */
  updateCustomer?(id: string, changes: LedgerCustomerChanges): Promise<LedgerCustomer>;
  /** The same for a linked item (its id as `LedgerItem.id`); DisplayNameTakenError when another item has the name. */
  updateItem?(id: string, changes: LedgerItemChanges): Promise<LedgerItem>;
  /** Items whose SKU is one of these (any case; callers compare exactly). Cheaper than listing every item. */
  findItemsBySku(skus: string[]): Promise<LedgerItem[]>;
  listItems(): Promise<LedgerItem[]>;
  /**
   * Creates an item for a store's variant. Throws DisplayNameTakenError when another item has the name (the caller
   * tries the next name). Optional: a ledger without it only matches existing items by SKU.
   */
  createItem?(input: LedgerItemInput, idempotencyKey: string): Promise<LedgerItem>;
  listTaxCodes(): Promise<LedgerTaxCode[]>;
  /** How the company wants tax on a sale; cached per integration by implementations. */
  taxSetup(): Promise<LedgerTaxSetup>;
  checkConnection(): Promise<ConnectionProbe>;
  /**
   * The ledger's home currency and whether it books others, with where that is turned on. Absent on ledgers that
   * book every sale as given (the sync then chooses nothing). `fresh`: read the ledger again rather than a cached
   * answer (before an order is refused: the bookkeeper may have just turned multicurrency on).
   */
  currencies?(options?: { fresh?: boolean }): Promise<LedgerCurrencies>;
}
