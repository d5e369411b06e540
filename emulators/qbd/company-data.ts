/** The lists and transactions of one emulated QuickBooks Desktop company file. */

export interface QbdCustomer {
  listId: string;
  timeCreated: string;
  editSequence: string;
  name: string;
  isActive: boolean;
  companyName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  salesTaxCodeName?: string;
  itemSalesTaxName?: string;
  /** ISO code of the customer's currency, fixed when it is added; absent: the home currency. */
  currencyCode?: string;
}

/** An entry of the company's currency list (CurrencyRet). */
export interface QbdCurrency {
  listId: string;
  timeCreated: string;
  editSequence: string;
  /** As QuickBooks names it ("Euro"); the product never relies on the name, only on `CurrencyCode` and `ListID`. */
  name: string;
  isActive: boolean;
  /** ISO 4217 code. */
  code: string;
  /** Home units per one unit of this currency, as the company last downloaded or typed it. */
  exchangeRate?: string;
}

export type QbdItemType = 'Service' | 'NonInventory' | 'Inventory' | 'SalesTax';

export interface QbdItem {
  listId: string;
  timeCreated: string;
  editSequence: string;
  type: QbdItemType;
  name: string;
  isActive: boolean;
  description?: string;
  /** Sales price, or the tax rate in percent for a SalesTax item. */
  price: string;
  salesTaxCodeName?: string;
  manufacturerPartNumber?: string;
}

export interface QbdSalesTaxCode {
  listId: string;
  timeCreated: string;
  editSequence: string;
  name: string;
  isActive: boolean;
  isTaxable: boolean;
  desc?: string;
}

export interface QbdSalesReceiptLine {
  txnLineId: string;
  itemListId: string;
  itemName: string;
  desc?: string;
  quantity?: string;
  rate?: string;
  amount: string;
  salesTaxCodeName?: string;
}

export interface QbdSalesReceipt {
  txnId: string;
  timeCreated: string;
  editSequence: string;
  txnNumber: number;
  customer?: { listId: string; fullName: string };
  txnDate: string;
  refNumber?: string;
  memo?: string;
  /** Sales receipts: the account the money went to (Undeposited Funds unless the request named one). */
  depositTo?: QbdAccountRef;
  itemSalesTax?: { listId: string; fullName: string; ratePercent: string };
  customerSalesTaxCodeName?: string;
  isTaxIncluded?: boolean;
  subtotal: string;
  salesTaxTotal: string;
  totalAmount: string;
  /** With multicurrency on: the customer's currency, its rate (home units per unit) and the total in the home currency. */
  currency?: { listId: string; fullName: string; exchangeRate: string; totalInHome: string };
  lines: QbdSalesReceiptLine[];
}

/** A credit memo: a sales transaction whose total is credit the customer holds until refunded or applied. */
export interface QbdCreditMemo extends QbdSalesReceipt {
  creditRemaining: string;
}

/** A refund of credit memos' credit (ARRefundCreditCard), paid out of an account (Undeposited Funds by default). */
export interface QbdArRefund {
  txnId: string;
  timeCreated: string;
  editSequence: string;
  txnNumber: number;
  customer: { listId: string; fullName: string };
  txnDate: string;
  refNumber?: string;
  memo?: string;
  /** The account the refund was paid out of (Undeposited Funds unless the request named one). */
  refundFrom?: QbdAccountRef;
  totalAmount: string;
  applied: Array<{ txnId: string; txnDate: string; refNumber?: string; creditRemaining: string; refundAmount: string }>;
}

/** The account sales receipts are deposited to when they name none [S]; every company has it. */
export const UNDEPOSITED_FUNDS = 'Undeposited Funds';
export const UNDEPOSITED_FUNDS_ID = '80000008-1700000000';

/** qbXML AccountType values the emulator's accounts take (a subset of the schema's enumeration). */
export type QbdAccountType = 'Bank' | 'OtherCurrentAsset' | 'Expense' | 'Income' | 'OtherExpense' | 'CostOfGoodsSold';

export interface QbdAccount {
  listId: string;
  timeCreated: string;
  editSequence: string;
  name: string;
  accountType: QbdAccountType;
  isActive: boolean;
  /** With Multiple Currencies on: the account's currency (ISO code); absent, the home currency. Only bank accounts here. */
  currencyCode?: string;
}

export interface QbdAccountRef {
  listId: string;
  fullName: string;
}

/** One line of a deposit: money from an account (with a name, optionally) into the deposit's account. */
export interface QbdDepositLine {
  txnLineId: string;
  entity?: { listId: string; fullName: string };
  account: QbdAccountRef;
  memo?: string;
  amount: string;
}

/** A deposit (DepositAdd): its lines less the cash back reach `depositTo`. */
export interface QbdDeposit {
  txnId: string;
  timeCreated: string;
  editSequence: string;
  txnNumber: number;
  txnDate: string;
  depositTo: QbdAccountRef;
  memo?: string;
  cashBack?: { txnLineId: string; account: QbdAccountRef; memo?: string; amount: string };
  depositTotal: string;
  /** With multicurrency on: the deposit's currency, its rate (home units per unit) and its total in the home currency. */
  currency?: { listId: string; fullName: string; code: string; exchangeRate: string; totalInHome: string };
  lines: QbdDepositLine[];
}

export interface QbdCompanySeed {
  companyName: string;
  /** The company file's path as QuickBooks (and the Web Connector) name it. */
  companyFilePath: string;
  country?: 'US' | 'CA' | 'UK';
  customers?: { name: string; email?: string; isActive?: boolean }[];
  items?: { name: string; type?: QbdItemType; price?: string; description?: string; isActive?: boolean; salesTaxCodeName?: string }[];
  /** Vendors, employees and other names: they share one name list with customers (a customer cannot take their names). */
  otherNames?: string[];
  /** The chart of accounts beside Undeposited Funds (which every company has). */
  /**
   * `currency` (ISO code; absent: the home currency) is kept only for a Bank account: QuickBooks Desktop gives a
   * currency to bank, credit card, A/R and A/P accounts, the others are in the home currency [S]. It shows while
   * Multiple Currencies is on.
   */
  accounts?: { name: string; type: QbdAccountType; isActive?: boolean; currency?: string }[];
  /** Extra sales tax codes beside the US defaults `Tax` and `Non`. */
  salesTaxCodes?: { name: string; isTaxable: boolean; desc?: string }[];
  /** Edit → Preferences → Multiple Currencies (default off); the emulator's `company.currencies.multiCurrencyOn` turns it on later. */
  multiCurrencyOn?: boolean;
  /** The home currency's ISO code (default by country: USD, CAD, GBP). */
  homeCurrency?: string;
  /** Rates of currencies in the list (home units per unit): the list itself holds the world's currencies. */
  exchangeRates?: Record<string, string>;
}

export function money(value: number): string {
  return (Math.round(value * 100) / 100).toFixed(2);
}
