import {
  saleListing,
  type AccountingTarget,
  type BookedRefundQuery,
  type BookedSaleQuery,
  type LedgerCustomer,
  type LedgerCustomerChanges,
  type LedgerCustomerInput,
  type LedgerDateRange,
  type LedgerDocumentRef,
  type LedgerItem,
  type LedgerItemChanges,
  type LedgerLimits,
  type LedgerPayout,
  type LedgerRefund,
  type LedgerSale,
  type LedgerSaleAccount,
  type LedgerSaleListing,
  type LedgerTaxCode,
  type LedgerTaxSetup,
} from '../../domain/accounting-target.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { DisplayNameTakenError, LedgerRejectedError, LedgerSettingMissingError, PlatformUnavailableError } from '../../domain/platform-errors.js';
import { payoutAccountNames, type PayoutAccountNames } from '../payout-account-options.js';
import { DEPOSIT, QbdPayoutDeposits, UNDEPOSITED_FUNDS } from './qbd-payout-deposits.js';
import type { QbxmlResponse } from './qbxml-envelope.js';
import type { QbdRequestChannel } from './qbd-request-channel.js';
import { childNamed, childText, leaf, type XmlElement, type XmlNode } from './xml-tree.js';
import { sameAmount, toMinor } from '../../domain/money.js';
import { qbxmlAmount } from './qbxml-amount.js';
import { salesTaxRoundingLine, type SalesTaxRoundingLine } from './sales-tax-rounding-line.js';
import { modifyCustomer, modifyItem } from './qbd-list-updates.js';
import type { LedgerCurrencies } from '../../domain/booking-currency.js';
import { displayNameInCurrency } from '../../domain/customer-currency-name.js';
import { cachedQbdCurrencies, customerCurrencyOf, forgetQbdCurrencies, QBD_CURRENCY_REQUESTS, qbdCurrenciesOf, qbdHomeCurrencyUnknown, type QbdCompanyCurrencies } from './qbd-currencies.js';

/**
 * QuickBooks Desktop as a ledger, in qbXML 16.0 through the Web Connector (../shared/platforms/quickbooks-desktop.md):
 * a sale becomes a `SalesReceiptAdd` numbered with our RefNumber (≤ 11) and marked in `Memo`. QuickBooks Desktop
 * takes no idempotency key (§11): every booking asks `SalesReceiptQuery` by RefNumber first, in its own round trip,
 * so a receipt whose answer was lost is found, never added twice.
 *
 * Items have no SKU field: the SKU is the item's Name (§7, [S]). Sales tax is US-style: lines `Tax`/`Non`, one
 * `ItemSalesTax` giving the sale its rate.
 */

/** Limits from Intuit's qbXML 16.0 schema (emulators/qbd/schema-facts.json; emulators/qbd/FIDELITY.md). */
export const QBD_LIMITS: LedgerLimits = {
  docNumber: 11,
  internalNote: 4095,
  customerMemo: 4095,
  customerDisplayName: 41,
  personName: 25,
  email: 1023,
  lineDescription: 4095,
};

/** The item a sale's shipping is booked to: QuickBooks Desktop has no shipping field on a sales receipt line set. */
export const QBD_SHIPPING_ITEM = 'Shipping';

const NON_SALES_ITEMS = new Set(['ItemSalesTaxRet', 'ItemSalesTaxGroupRet', 'ItemSubtotalRet', 'ItemDiscountRet', 'ItemPaymentRet', 'ItemGroupRet']);

export interface QbdTargetOptions {
  channel: QbdRequestChannel;
  /** "QuickBooks Desktop #1". */
  name: string;
  /** What the company's settings are kept under between calls (the integration's id). */
  cacheKey: string;
  /** Throws what health must show (no contact for hours, refused password, company file not open). */
  checkContact(): Promise<ConnectionProbe>;
  /** The route's accounts by name (route options): a chosen clearing account takes its sales, payouts go to its bank account. */
  accounts?: PayoutAccountNames;
}
/** Our marker's line ends so (domain/ledger-document-ownership.ts): a credit memo with it is ours to finish. */
const BOOKED_BY_US = /, booked by ledgerbridge\./;

export class QbdAccountingTarget implements AccountingTarget {
  readonly limits = QBD_LIMITS;
  readonly documentKind = 'sales receipt';
  readonly refundDocumentKind = 'credit memo';
  readonly payoutDocumentKind = DEPOSIT;
  private readonly accounts: PayoutAccountNames;
  private readonly deposits: QbdPayoutDeposits;

  constructor(private readonly options: QbdTargetOptions) {
    this.accounts = options.accounts ?? payoutAccountNames(undefined);
    this.deposits = new QbdPayoutDeposits((request, action) => this.one(request, action), options.name, this.accounts, (fresh) => this.companyCurrencies(fresh));
  }

  saleClearingAccount(sale: { id: string; docNumber: string }): Promise<LedgerSaleAccount | null> {
    return this.deposits.saleAccount(sale.id);
  }

  findBookedPayout(docNumber: string, payout: { date: string; marker: string }): Promise<LedgerDocumentRef | null> {
    return this.deposits.find(docNumber, payout);
  }

  /** One deposit into the route's bank account, found by its Memo before it is added; see QbdPayoutDeposits. */
  bookPayout(payout: LedgerPayout, _idempotencyKey: string): Promise<LedgerDocumentRef> {
    return this.deposits.book(payout);
  }

  /** Deposits by TxnDate (QbdPayoutDeposits.listBetween): what a reconciliation audit compares with the shop's payouts. */
  listPayoutsBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    return this.deposits.listBetween(range);
  }

  /** One request in its own round trip, answered with whatever status it got. */
  private async answer(request: XmlNode, action: string): Promise<QbxmlResponse> {
    const [response] = await this.options.channel.send([request]);
    if (!response) throw new PlatformUnavailableError(null, `${this.options.name} gave no answer to ${action}.`, 'empty qbXML response set');
    return response;
  }

  private async one(request: XmlNode, action: string): Promise<QbxmlResponse> {
    const response = await this.answer(request, action);
    // 1: nothing matched; 500: some of the explicitly named records are not there (FIDELITY.md §3). Both are "none".
    if (response.statusCode === 0 || response.statusCode === 1 || response.statusCode === 500) return response;
    throw this.refusal(response, action);
  }

  private refusal(response: QbxmlResponse, action: string): Error {
    const detail = `${response.request} status ${response.statusCode} (${response.statusSeverity}): ${response.statusMessage}`;
    // Record or list locked by another user, or saved by one again since we read it (3200 after a retry): worth trying again (§9).
    if ([1010, 3170, 3175, 3176, 3200].includes(response.statusCode)) {
      return new PlatformUnavailableError(null, `${this.options.name} was busy ${action}; it is tried again.`, detail);
    }
    return new LedgerRejectedError(`qbd-${response.statusCode}`, `${this.options.name} refused ${action}: ${response.statusMessage}`, detail);
  }

  async findBookedSale(query: BookedSaleQuery): Promise<LedgerDocumentRef | null> {
    const response = await this.one(
      { name: 'SalesReceiptQueryRq', children: [leaf('RefNumberCaseSensitive', query.docNumber)] },
      `the search for sales receipt ${query.docNumber}`,
    );
    const ret = response.rets.find((r) => r.local === 'SalesReceiptRet');
    return ret ? receiptRef(ret) : null;
  }

  /**
   * Every sales receipt dated in the range: `SalesReceiptQuery` with `TxnDateRangeFilter` (both days included, §8),
   * in one request and without an iterator: iterators live only within one QuickBooks session [S], and each of our
   * calls is its own Web Connector round trip.
   */
  async listSalesBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    const response = await this.one(
      { name: 'SalesReceiptQueryRq', children: [{ name: 'TxnDateRangeFilter', children: [leaf('FromTxnDate', range.from), leaf('ToTxnDate', range.to)] }] },
      `the listing of sales receipts from ${range.from} to ${range.to}`,
    );
    return response.rets
      .filter((ret) => ret.local === 'SalesReceiptRet')
      // The company's home currency: QuickBooks Desktop names currencies ("US Dollar"), not by ISO code.
      .map((ret) => saleListing(receiptRef(ret), this.documentKind, childText(ret, 'TxnDate') ?? '', null));
  }

  async bookSale(sale: LedgerSale, _idempotencyKey: string): Promise<LedgerDocumentRef> {
    // No idempotency key in qbXML: the number is looked up right before every add (a lost answer's receipt is found).
    const existing = await this.findBookedSale({ docNumber: sale.docNumber, order: { id: null, name: sale.docNumber } });
    if (existing) return existing;
    const shippingItem = sale.shipping && Number(sale.shipping.amount) !== 0 ? await this.shippingItemId() : null;
    // The route's clearing account, when it chose one (else QuickBooks' Undeposited Funds, as before).
    const clearing = this.accounts.clearingAccount === '' ? null : this.accounts.clearingAccount;
    const response = await this.one({ name: 'SalesReceiptAddRq', children: [salesTransactionAdd('SalesReceipt', sale, shippingItem, clearing)] }, `sales receipt ${sale.docNumber}`).catch((error: unknown) => {
      if (clearing && error instanceof LedgerRejectedError && error.code === 'qbd-3140' && error.detail.includes(`Account "${clearing}"`)) {
        throw new LedgerSettingMissingError(
          'clearingAccount',
          `${this.options.name} has no active account named "${clearing}" (chosen for this route's sales, its clearing account): create it in QuickBooks or choose another account for the route (clearingAccount), then retry.`,
          error.detail,
        );
      }
      throw error;
    });
    const ret = response.rets.find((r) => r.local === 'SalesReceiptRet');
    if (!ret) throw new PlatformUnavailableError(null, `${this.options.name} answered the booking of ${sale.docNumber} without the receipt.`, response.statusMessage);
    return receiptRef(ret);
  }

  /** The company's home currency, whether Multiple Currencies is on, and its currency list, read at most once an hour. */
  async currencies(options: { fresh?: boolean } = {}): Promise<LedgerCurrencies> {
    const company = await this.companyCurrencies(options.fresh);
    const unknown = qbdHomeCurrencyUnknown(company, this.options.name);
    if (unknown) {
      // Read again next time: the bookkeeper may turn multiple currencies on, which names the home currency.
      forgetQbdCurrencies(this.options.cacheKey);
      throw new LedgerRejectedError('currency', unknown.message, unknown.detail);
    }
    const { list: _list, country: _country, ...currencies } = company;
    return currencies;
  }

  private companyCurrencies(fresh = false): Promise<QbdCompanyCurrencies> {
    return cachedQbdCurrencies(this.options.cacheKey, async () => qbdCurrenciesOf(await this.options.channel.send(QBD_CURRENCY_REQUESTS)), fresh);
  }

  async findBookedRefund(query: BookedRefundQuery): Promise<LedgerDocumentRef | null> {
    const memo = await this.findCreditMemo(query.docNumber);
    if (!memo) return null;
    // A memo whose total is not the refund's waits for the bookkeeper (the refund parks on it): nothing is paid out yet.
    if (query.total === undefined || sameAmount(childText(memo, 'TotalAmount') ?? '0', query.total)) await this.finishRefund(memo, query.sale);
    return creditMemoRef(memo);
  }

  /**
   * A refund as a `CreditMemoAdd` numbered after the sale ("1001-R1", ≤ 11) and marked in `Memo`, then its credit
   * paid back out of Undeposited Funds (where the sales receipt went) with `ARRefundCreditCardAdd` once it comes to
   * the refund. Where the sales tax item's rate, rounded once, misses the shop's tax by rounding, a line of that item
   * carries the cent (sales-tax-rounding-line.ts). No idempotency key
   * in qbXML: the number is looked up right before the add, and a credit memo of ours whose credit is all still there
   * (a lost answer, a crash between the two) gets its refund when it is found.
   */
  async bookRefund(refund: LedgerRefund, _idempotencyKey: string): Promise<LedgerDocumentRef> {
    const existing = await this.findCreditMemo(refund.docNumber);
    if (existing) {
      if (comesTo(existing, refund)) await this.finishRefund(existing, refund.sale);
      return creditMemoRef(existing);
    }
    const shippingItem = refund.shipping && Number(refund.shipping.amount) !== 0 ? await this.shippingItemId() : null;
    const rounding = await this.salesTaxRounding(refund, shippingItem !== null);
    const response = await this.one({ name: 'CreditMemoAddRq', children: [salesTransactionAdd('CreditMemo', refund, shippingItem, null, rounding)] }, `credit memo ${refund.docNumber}`);
    const memo = response.rets.find((r) => r.local === 'CreditMemoRet');
    if (!memo) throw new PlatformUnavailableError(null, `${this.options.name} answered the booking of ${refund.docNumber} without the credit memo.`, response.statusMessage);
    // A credit memo QuickBooks totalled otherwise (its tax worked out its own way) is not paid out: the total check
    // parks the refund, and once the bookkeeper has corrected it, the retry finds it here and pays out what it holds.
    if (comesTo(memo, refund)) await this.finishRefund(memo, refund.sale);
    return creditMemoRef(memo);
  }

  /**
   * The cent a credit memo's sales tax item misses, rounding its rate once (sales-tax-rounding-line.ts), read with the
   * item's rate as the company has it now; null when nothing is taxed or QuickBooks comes to the shop's tax itself.
   */
  private async salesTaxRounding(refund: LedgerRefund, shippingSent: boolean): Promise<SalesTaxRoundingLine | null> {
    const taxed = refund.lines.some((line) => line.taxable === true) || (shippingSent && refund.shipping?.taxable === true);
    if (!refund.saleTaxCodeId || refund.taxesIncluded || !taxed) return null;
    const taxItem = (await this.listTaxCodes()).find((code) => code.id === refund.saleTaxCodeId);
    return salesTaxRoundingLine(refund, taxItem, shippingSent);
  }

  private async findCreditMemo(docNumber: string): Promise<XmlElement | null> {
    const response = await this.one({ name: 'CreditMemoQueryRq', children: [leaf('RefNumberCaseSensitive', docNumber)] }, `the search for credit memo ${docNumber}`);
    return response.rets.find((r) => r.local === 'CreditMemoRet') ?? null;
  }

  /**
   * Pays the credit of a credit memo of ours back to the customer, unless some of it was used already (by us or by
   * hand), out of the account the sale's receipt went to: Undeposited Funds, or the clearing account a payout clears.
   */
  private async finishRefund(memo: XmlElement, sale: { id: string }): Promise<void> {
    const total = childText(memo, 'TotalAmount') ?? '0.00';
    const remaining = childText(memo, 'CreditRemaining') ?? '0.00';
    const customer = childNamed(memo, 'CustomerRef');
    if (!BOOKED_BY_US.test((childText(memo, 'Memo') ?? '').split('\n', 1)[0]!) || !customer || Number(remaining) <= 0 || Number(remaining) !== Number(total)) return;
    const docNumber = childText(memo, 'RefNumber') ?? '';
    // A route that never chose a clearing account has all its receipts in Undeposited Funds: no need to ask.
    const from = this.accounts.clearingAccount === '' ? null : await this.deposits.saleAccount(sale.id);
    await this.one(
      {
        name: 'ARRefundCreditCardAddRq',
        children: [
          {
            name: 'ARRefundCreditCardAdd',
            children: [
              { name: 'CustomerRef', children: [leaf('ListID', childText(customer, 'ListID'))] },
              { name: 'RefundFromAccountRef', children: from ? [leaf('ListID', from.id)] : [leaf('FullName', UNDEPOSITED_FUNDS)] },
              leaf('TxnDate', childText(memo, 'TxnDate')),
              leaf('RefNumber', docNumber),
              leaf('Memo', `Refund of credit memo ${docNumber}, booked by ledgerbridge.`),
              // Paid out at the credit memo's rate (a foreign-currency customer), as the sale was booked at it.
              leaf('ExchangeRate', childText(memo, 'ExchangeRate')),
              { name: 'RefundAppliedToTxnAdd', children: [leaf('TxnID', childText(memo, 'TxnID')), leaf('RefundAmount', remaining)] },
            ],
          },
        ],
      },
      `the refund of credit memo ${docNumber}`,
    );
    const credit = childNamed(memo, 'CreditRemaining');
    if (credit) credit.text = '0.00';
  }

  private async shippingItemId(): Promise<string> {
    const items = await this.listItems();
    const item = items.find((i) => i.name.toLowerCase() === QBD_SHIPPING_ITEM.toLowerCase() && i.active);
    if (!item) {
      throw new LedgerRejectedError(
        'qbd-shipping-item',
        `${this.options.name} has no active item named "${QBD_SHIPPING_ITEM}" to book the order's shipping to: add a service or other charge item named "${QBD_SHIPPING_ITEM}".`,
        'ItemQuery found no Shipping item',
      );
    }
    return item.id;
  }

  /**
   * A customer the sale can go to: by email, else by display name; with multiple currencies on, only one in the
   * sale's currency (a customer's currency fixes its sales', notes §12), a foreign one named with it ("Chloé Dubois
   * (EUR)"), or one with the plain name in that currency.
   */
  async findCustomer(match: { email: string | null; displayName: string; currency?: string }): Promise<LedgerCustomer | null> {
    const company = await this.companyCurrencies();
    const response = await this.one({ name: 'CustomerQueryRq', children: [leaf('ActiveStatus', 'All')] }, 'the customer search');
    const customers = response.rets
      .filter((r) => r.local === 'CustomerRet')
      .filter((r) => !company.multiCurrency || match.currency === undefined || customerCurrencyOf(r, company) === match.currency)
      .map(customerOf);
    const email = match.email?.toLowerCase();
    const named = (name: string) => customers.find((c) => c.displayName.toLowerCase() === name.toLowerCase());
    return (
      (email ? customers.find((c) => c.email?.toLowerCase() === email) : undefined) ??
      (match.currency === undefined ? undefined : named(displayNameInCurrency(match.displayName, match.currency, company, this.limits.customerDisplayName))) ??
      named(match.displayName) ??
      null
    );
  }

  async createCustomer(input: LedgerCustomerInput, _idempotencyKey: string): Promise<LedgerCustomer> {
    const company = await this.companyCurrencies();
    const displayName = displayNameInCurrency(input.displayName, input.currency, company, this.limits.customerDisplayName);
    const currencyRef = company.multiCurrency && input.currency !== company.homeCurrency ? this.currencyRef(input.currency, company) : null;
    const [response] = await this.options.channel.send([
      {
        name: 'CustomerAddRq',
        children: [
          {
            name: 'CustomerAdd',
            children: [leaf('Name', displayName), leaf('FirstName', input.givenName), leaf('LastName', input.familyName), leaf('Email', input.email), currencyRef],
          },
        ],
      },
    ]);
    if (!response) throw new PlatformUnavailableError(null, `${this.options.name} gave no answer to the new customer.`, 'empty qbXML response set');
    if (response.statusCode === 3100) {
      throw new DisplayNameTakenError('qbd-3100', `${this.options.name} keeps the name "${displayName}" for another name.`, response.statusMessage);
    }
    if (response.statusCode !== 0) throw this.refusal(response, `customer "${displayName}"`);
    return customerOf(response.rets.find((r) => r.local === 'CustomerRet')!);
  }

  /** `CustomerMod` of what changed, with the EditSequence read just before (qbd-list-updates.ts); 3100 comes back as DisplayNameTakenError. */
  async updateCustomer(id: string, changes: LedgerCustomerChanges): Promise<LedgerCustomer> {
    const company = changes.displayName === undefined ? null : await this.companyCurrencies();
    // A customer in a foreign currency keeps its name in that currency's form, as it was created.
    const nameFor = (current: XmlElement, displayName: string) =>
      company ? displayNameInCurrency(displayName, customerCurrencyOf(current, company), company, this.limits.customerDisplayName) : displayName;
    return customerOf(await modifyCustomer(this.modTarget, id, changes, nameFor));
  }

  /** The item type's Mod of its changed name and sales price (qbd-list-updates.ts). */
  updateItem(id: string, changes: LedgerItemChanges): Promise<LedgerItem> {
    return modifyItem(this.modTarget, id, changes);
  }

  private get modTarget() {
    return { answer: (request: XmlNode, action: string) => this.answer(request, action), refusal: (response: QbxmlResponse, action: string) => this.refusal(response, action), name: this.options.name };
  }

  /** The customer's `CurrencyRef`: the currency list's entry for the code, which must be there and active. */
  private currencyRef(code: string, company: QbdCompanyCurrencies): XmlNode {
    const currency = company.list.find((c) => c.code === code);
    if (!currency?.active) {
      forgetQbdCurrencies(this.options.cacheKey);
      throw new LedgerRejectedError(
        'currency',
        `${this.options.name} has no active ${code} in its currency list, so no customer can be in it: make ${code} active in QuickBooks Desktop (Lists → Currency List), then retry the order.`,
        `CurrencyQuery: ${currency ? `${currency.listId} ${code} IsActive false` : `no CurrencyCode ${code}`}`,
      );
    }
    return { name: 'CurrencyRef', children: [leaf('ListID', currency.listId)] };
  }

  async findItemsBySku(skus: string[]): Promise<LedgerItem[]> {
    const wanted = new Set(skus.map((s) => s.toLowerCase()));
    return (await this.listItems()).filter((i) => wanted.has(i.name.toLowerCase()));
  }

  async listItems(): Promise<LedgerItem[]> {
    const response = await this.one({ name: 'ItemQueryRq', children: [leaf('ActiveStatus', 'All')] }, 'the item list');
    return response.rets
      .filter((r) => !NON_SALES_ITEMS.has(r.local))
      .map((r) => {
        const name = childText(r, 'FullName') ?? childText(r, 'Name') ?? '';
        return { id: childText(r, 'ListID') ?? '', name, sku: name, active: childText(r, 'IsActive') !== 'false' };
      });
  }

  /** The sales tax items: each gives a sale its rate (`ItemSalesTaxRef`), the `per-sale` code of the engine. */
  async listTaxCodes(): Promise<LedgerTaxCode[]> {
    const response = await this.one({ name: 'ItemSalesTaxQueryRq', children: [leaf('ActiveStatus', 'All')] }, 'the sales tax items');
    return response.rets
      .filter((r) => r.local === 'ItemSalesTaxRet')
      .map((r) => ({ id: childText(r, 'ListID') ?? '', name: childText(r, 'Name') ?? '', ratePercent: Number(childText(r, 'TaxRate') ?? '0'), active: childText(r, 'IsActive') !== 'false' }));
  }

  async taxSetup(): Promise<LedgerTaxSetup> {
    const response = await this.one({ name: 'PreferencesQueryRq', children: [leaf('IncludeRetElement', 'SalesTaxPreferences')] }, 'the company preferences');
    const preferences = response.rets.find((r) => r.local === 'PreferencesRet');
    return { mode: preferences && childNamed(preferences, 'SalesTaxPreferences') ? 'per-sale' : 'off', country: 'US' };
  }

  checkConnection(): Promise<ConnectionProbe> {
    return this.options.checkContact();
  }
}

/**
 * The `SalesReceiptAdd` or `CreditMemoAdd` aggregate, in the schema's element order (the same for the fields we
 * send: CustomerRef, TxnDate, RefNumber, ItemSalesTaxRef, Memo, IsTaxIncluded, DepositToAccountRef (receipts only), ExchangeRate, lines). Discounts come off their
 * lines (amount net).
 */
export function salesTransactionAdd(
  element: 'SalesReceipt' | 'CreditMemo',
  sale: LedgerSale,
  shippingItemId: string | null,
  depositToAccount: string | null = null,
  salesTaxRounding: SalesTaxRoundingLine | null = null,
): XmlNode {
  const taxCode = (taxable: boolean | undefined) => (taxable === undefined ? null : { name: 'SalesTaxCodeRef', children: [leaf('FullName', taxable ? 'Tax' : 'Non')] });
  const lineElement = `${element}LineAdd`;
  const lines: XmlNode[] = sale.lines.map((line) => ({
    name: lineElement,
    children: [
      { name: 'ItemRef', children: [leaf('ListID', line.itemId)] },
      leaf('Desc', line.description),
      leaf('Quantity', line.quantity),
      leaf('Amount', qbxmlAmount(toMinor(line.amount, sale.currency) - toMinor(line.discount ?? '0', sale.currency), sale.currency)),
      taxCode(line.taxable),
    ],
  }));
  if (sale.shipping && shippingItemId) {
    lines.push({
      name: lineElement,
      children: [{ name: 'ItemRef', children: [leaf('ListID', shippingItemId)] }, leaf('Desc', 'Shipping'), leaf('Amount', qbxmlAmount(toMinor(sale.shipping.amount, sale.currency), sale.currency)), taxCode(sale.shipping.taxable ?? false)],
    });
  }
  if (salesTaxRounding && sale.saleTaxCodeId) {
    // Last, after every line it adjusts: a line of the sale's own sales tax item, its amount the cent (no tax code: a
    // sales tax item is not itself taxed).
    lines.push({
      name: lineElement,
      children: [
        { name: 'ItemRef', children: [leaf('ListID', sale.saleTaxCodeId)] },
        leaf('Desc', salesTaxRounding.description),
        leaf('Amount', qbxmlAmount(salesTaxRounding.amountMinor, sale.currency)),
      ],
    });
  }
  return {
    name: `${element}Add`,
    children: [
      { name: 'CustomerRef', children: [leaf('ListID', sale.customerId)] },
      leaf('TxnDate', sale.date),
      leaf('RefNumber', sale.docNumber),
      sale.saleTaxCodeId ? { name: 'ItemSalesTaxRef', children: [leaf('ListID', sale.saleTaxCodeId)] } : null,
      leaf('Memo', sale.internalNote),
      sale.taxesIncluded ? leaf('IsTaxIncluded', true) : null,
      depositToAccount ? { name: 'DepositToAccountRef', children: [leaf('FullName', depositToAccount)] } : null,
      // Home units per unit of the customer's currency (a sale in a foreign currency): the shop's rate.
      leaf('ExchangeRate', sale.exchangeRate),
      ...lines,
    ],
  };
}


/** A sales receipt's or credit memo's `…Ret` as the engine sees it; the marker is the first line of `Memo`. */
function documentRef(ret: XmlElement, kind: 'sales receipt' | 'credit memo'): LedgerDocumentRef {
  return {
    id: childText(ret, 'TxnID') ?? '',
    docNumber: childText(ret, 'RefNumber') ?? '',
    total: childText(ret, 'TotalAmount') ?? '0.00',
    kind,
    marker: childText(ret, 'Memo') ?? null,
  };
}

/** Whether a credit memo comes to what the shop gave back, to the minor unit. */
function comesTo(memo: XmlElement, refund: Pick<LedgerRefund, 'total' | 'currency'>): boolean {
  return toMinor(childText(memo, 'TotalAmount') ?? '0', refund.currency) === toMinor(refund.total, refund.currency);
}

const receiptRef = (ret: XmlElement) => documentRef(ret, 'sales receipt');
const creditMemoRef = (ret: XmlElement) => documentRef(ret, 'credit memo');

function customerOf(ret: XmlElement): LedgerCustomer {
  return { id: childText(ret, 'ListID') ?? '', displayName: childText(ret, 'FullName') ?? childText(ret, 'Name') ?? '', email: childText(ret, 'Email') ?? null };
}
