import type {
  AccountingTarget,
  BookedRefundQuery,
  LedgerDateRange,
  LedgerSaleListing,
  BookedSaleQuery,
  LedgerCustomer,
  LedgerCustomerChanges,
  LedgerCustomerInput,
  LedgerItemChanges,
  LedgerDocumentRef,
  LedgerItem,
  LedgerItemInput,
  LedgerPayout,
  LedgerRefund,
  LedgerSaleAccount,
  LedgerSale,
  LedgerTaxCode,
  LedgerTaxSetup,
} from '../../domain/accounting-target.js';
import type { LedgerCurrencies } from '../../domain/booking-currency.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { QBO_LIMITS } from './qbo-limits.js';
import { qboQueryString } from './query-literal.js';
import { queryAll } from './query-pages.js';
import { noteAbsent, takeFreshAbsence } from './document-number-absence.js';
import { diagnoseReceiptReferences, namingTheReference } from './reference-diagnosis.js';
import { toQboSalesReceipt } from './sales-receipt-payload.js';
import { cachedCompanySettings, cachedTaxSetup, forgetTaxSetup, type CompanyCurrencies } from './company-tax-setup.js';
import { customerTakesCurrency } from './customer-currency.js';
import { displayNameInCurrency } from '../../domain/customer-currency-name.js';
import { ensureCompanyCurrency } from './company-currency-list.js';
import { PerIntegrationCache } from './per-integration-cache.js';
import { QboRefundReceipts, REFUND_RECEIPT } from './refund-receipt-booking.js';
import { qboDocumentRef } from './document-ref.js';
import { createQboItem, toLedgerItemOf } from './item-creation.js';
import { requireAccountNamed } from './account-by-name.js';
import { DEPOSIT, QboPayoutDeposits } from './payout-deposit-booking.js';
import { payoutAccountNames, type QboPayoutAccountNames } from './payout-route-options.js';
import { listDocumentsBetween } from './document-listing.js';
import { customerFieldsToWrite, itemFieldsToWrite } from './name-list-updates.js';
import { sparseUpdate } from './sparse-update.js';
import { onlyTaxCodeOf } from './tax-override.js';

/**
 * The company's tax codes, as last listed, for the rate of a sale's code (whether a difference is only rounding).
 * Listing them is what mapping does on a miss, so a booking rarely pays for it; an hour keeps a changed rate from lingering.
 */
const taxCodeLists = new PerIntegrationCache<LedgerTaxCode[]>(60 * 60 * 1000);

export interface QboAccountingTargetOptions {
  /** Scopes of the stored grant, reported by checkConnection; QBO itself cannot tell. */
  grantedScopes?: string[] | null;
  /** What company-level facts (tax setup) are cached under: integration and realm. Default: the realm. */
  cacheKey?: string;
  /** The route's accounts by name (route options): a chosen clearing account takes its sales, payouts go to its bank account. */
  accounts?: QboPayoutAccountNames;
}

/** Refusals that mean the company's tax setup is not what we read: read it again before the next attempt. */
/** What a sale becomes in QuickBooks Online. */
const SALES_RECEIPT = 'sales receipt';

function isTaxSetupRefusal(error: LedgerRejectedError): boolean {
  return error.code === '6100' || (error.code === '6000' && /have a .*rate before you save/i.test(`${error.message} ${error.detail}`));
}

const SKUS_PER_QUERY = 50;

const toLedgerItem = toLedgerItemOf;

function toDocumentRef(receipt: QboEntity): LedgerDocumentRef {
  return qboDocumentRef(receipt, SALES_RECEIPT);
}

function toCustomer(customer: QboEntity): LedgerCustomer {
  const email = (customer.PrimaryEmailAddr as { Address?: string } | undefined)?.Address;
  return { id: String(customer.Id), displayName: String(customer.DisplayName), email: email ?? null };
}

function refValue(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'value' in ref ? String((ref as { value: unknown }).value) : null;
}

/** Where a bookkeeper turns multicurrency on (Intuit's help: "Turn on multicurrency"); it cannot be turned off again. */
export const QBO_MULTICURRENCY_SETTING = 'Turn on Multicurrency in QuickBooks: Settings → Account and settings → Advanced → Currency';

/** A sale in a currency the company cannot book (multicurrency off), said before QBO answers 6000 for it. */
function foreignCurrencyRefusal(receipt: LedgerSale, homeCurrency: string): LedgerRejectedError {
  return new LedgerRejectedError(
    'currency',
    `QuickBooks Online books only in ${homeCurrency} (multicurrency is off in the company), but the order to book as ${receipt.docNumber} is in ${receipt.currency}: ` +
      `nothing was booked. ${QBO_MULTICURRENCY_SETTING}, then retry the order.`,
    `receipt currency ${receipt.currency}; Preferences.CurrencyPrefs.MultiCurrencyEnabled false, HomeCurrency ${homeCurrency}`,
  );
}

/** QuickBooks Online as the ledger the engine books into: a sale is a sales receipt, marked as ours by its private note. */
export class QboAccountingTarget implements AccountingTarget {
  readonly limits = QBO_LIMITS;
  readonly documentKind = SALES_RECEIPT;
  readonly refundDocumentKind = REFUND_RECEIPT;
  readonly payoutDocumentKind = DEPOSIT;
  private readonly refunds: QboRefundReceipts;
  private readonly deposits: QboPayoutDeposits;
  private readonly accounts: QboPayoutAccountNames;

  constructor(
    private readonly client: QboClient,
    private readonly options: QboAccountingTargetOptions = {},
  ) {
    this.refunds = new QboRefundReceipts(client);
    this.accounts = options.accounts ?? payoutAccountNames(undefined);
    this.deposits = new QboPayoutDeposits(client, this.cacheKey, this.accounts, async () => (await this.companyCurrencies()).homeCurrency);
  }

  saleClearingAccount(sale: { id: string; docNumber: string }): Promise<LedgerSaleAccount | null> {
    return this.deposits.saleAccount(sale.id);
  }

  findBookedPayout(docNumber: string): Promise<LedgerDocumentRef | null> {
    return this.deposits.find(docNumber);
  }

  /** A deposit into the route's bank account; see QboPayoutDeposits. */
  bookPayout(payout: LedgerPayout, idempotencyKey: string): Promise<LedgerDocumentRef> {
    return this.deposits.book(payout, idempotencyKey);
  }

  findBookedRefund(query: BookedRefundQuery): Promise<LedgerDocumentRef | null> {
    return this.refunds.find(query);
  }

  /** A refund receipt, with the same tax treatment as the sale's receipt; see QboRefundReceipts. */
  async bookRefund(refund: LedgerRefund, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const setup = await this.taxSetup();
    // A VAT/GST company's refund receipt at one code may state its tax (tax-override.ts): that code's rate is read.
    const oneCode = setup.mode === 'per-line' ? onlyTaxCodeOf(refund) : null;
    const codeToRead = setup.mode === 'per-sale' ? (refund.saleTaxCodeId ?? null) : oneCode;
    const taxCodes = codeToRead ? await this.taxCodesWith(codeToRead) : null;
    return this.refunds.book(refund, idempotencyKey, setup, taxCodes);
  }

  /** By number only: the engine reads whose receipt it is from the private note. */
  async findBookedSale({ docNumber }: BookedSaleQuery): Promise<LedgerDocumentRef | null> {
    const found = await this.querySalesReceipt(docNumber);
    if (!found) noteAbsent(this.absenceKey(docNumber));
    return found;
  }

  /**
   * A customer the sale can go to: by email, else by display name, and in a multicurrency company only one in the
   * sale's currency (a foreign-currency customer is named with it, see customer-currency.ts).
   */
  async findCustomer(match: { email: string | null; displayName: string; currency?: string }): Promise<LedgerCustomer | null> {
    const currencies = await this.companyCurrencies();
    const inCurrency = (customers: QboEntity[]) => customers.find((customer) => customerTakesCurrency(customer, match.currency, currencies));
    if (match.email) {
      const byEmail = inCurrency(await this.queryCustomers(`PrimaryEmailAddr = ${qboQueryString(match.email)}`));
      if (byEmail) return toCustomer(byEmail);
    }
    const displayName = match.currency === undefined ? match.displayName : this.nameInCurrency(match.displayName, match.currency, currencies);
    const byName = inCurrency(await this.queryCustomers(`DisplayName = ${qboQueryString(displayName)}`));
    if (byName) return toCustomer(byName);
    // Customers created before foreign ones were named with their currency have the plain name: one in this
    // currency is the one to keep using ("Online customer" in EUR rather than a new "Online customer (EUR)").
    if (displayName === match.displayName) return null;
    const unsuffixed = inCurrency(await this.queryCustomers(`DisplayName = ${qboQueryString(match.displayName)}`));
    return unsuffixed ? toCustomer(unsuffixed) : null;
  }

  async createCustomer(input: LedgerCustomerInput, idempotencyKey: string): Promise<LedgerCustomer> {
    const currencies = await this.companyCurrencies();
    const displayName = this.nameInCurrency(input.displayName, input.currency, currencies);
    if (currencies.multiCurrency && input.currency !== currencies.homeCurrency) await ensureCompanyCurrency(this.client, input.currency, idempotencyKey);
    const body: QboEntity = {
      DisplayName: displayName,
      ...(input.givenName ? { GivenName: input.givenName } : {}),
      ...(input.familyName ? { FamilyName: input.familyName } : {}),
      ...(input.email ? { PrimaryEmailAddr: { Address: input.email } } : {}),
      // Without multicurrency every customer is in the home currency, QBO's default.
      ...(currencies.multiCurrency ? { CurrencyRef: { value: input.currency } } : {}),
    };
    try {
      return toCustomer(await this.client.create('customer', 'Customer', body, { idempotencyKey, subject: `customer '${displayName}'` }));
    } catch (error) {
      // 6240: the name is taken, e.g. by a customer created before a lost answer; adopt it if it is a customer
      // the sale can go to (another currency's is another customer: the caller tries its next name).
      if (error instanceof LedgerRejectedError && error.code === '6240') {
        const existing = await this.queryCustomers(`DisplayName = ${qboQueryString(displayName)} AND Active IN (true, false)`);
        const adoptable = existing.find((customer) => customerTakesCurrency(customer, input.currency, currencies));
        if (adoptable) return toCustomer(adoptable);
      }
      throw error;
    }
  }

  /** A sparse update of the fields that changed (sparse-update.ts); 6240 (the name is taken) comes back as DisplayNameTakenError. */
  async updateCustomer(id: string, changes: LedgerCustomerChanges): Promise<LedgerCustomer> {
    const currencies = await this.companyCurrencies();
    const written = await sparseUpdate(
      this.client,
      { path: 'customer', name: 'Customer' },
      id,
      (current) => customerFieldsToWrite(current, changes, currencies, this.limits.customerDisplayName),
      `customer ${id}`,
    );
    return toCustomer(written);
  }

  /** A sparse update of the item's name and price where they changed. */
  async updateItem(id: string, changes: LedgerItemChanges): Promise<LedgerItem> {
    return toLedgerItem(await sparseUpdate(this.client, { path: 'item', name: 'Item' }, id, (current) => itemFieldsToWrite(current, changes), `item ${id}`));
  }

  /** The company's home currency and whether Multicurrency is on (Preferences.CurrencyPrefs), cached an hour. */
  async currencies(options: { fresh?: boolean } = {}): Promise<LedgerCurrencies> {
    if (options.fresh) forgetTaxSetup(this.cacheKey);
    const { homeCurrency, multiCurrency } = await this.companyCurrencies();
    return { homeCurrency, multiCurrency, setting: QBO_MULTICURRENCY_SETTING };
  }

  private async companyCurrencies(): Promise<CompanyCurrencies> {
    return (await cachedCompanySettings(this.cacheKey, this.client)).currencies;
  }

  private nameInCurrency(displayName: string, currency: string, currencies: CompanyCurrencies): string {
    return displayNameInCurrency(displayName, currency, currencies, this.limits.customerDisplayName);
  }

  async findItemsBySku(skus: string[]): Promise<LedgerItem[]> {
    const found: LedgerItem[] = [];
    // Bounded IN lists keep each query short; most orders need one.
    for (let start = 0; start < skus.length; start += SKUS_PER_QUERY) {
      const list = skus.slice(start, start + SKUS_PER_QUERY).map(qboQueryString).join(', ');
      found.push(...(await queryAll(this.client, 'Item', `Sku IN (${list}) AND Active IN (true, false)`)).map(toLedgerItem));
    }
    return found;
  }

  /** A non-inventory item (item-creation.ts); 6240 (the name is taken) comes back as DisplayNameTakenError. */
  async createItem(input: LedgerItemInput, idempotencyKey: string): Promise<LedgerItem> {
    return toLedgerItem(await createQboItem(this.client, input, idempotencyKey));
  }

  async listItems(): Promise<LedgerItem[]> {
    return (await queryAll(this.client, 'Item', 'Active IN (true, false)')).map(toLedgerItem);
  }

  async listTaxCodes(): Promise<LedgerTaxCode[]> {
    const codes = await this.readTaxCodes();
    taxCodeLists.set(this.cacheKey, codes);
    return codes;
  }

  /** The cached list, read again when it lacks this code (a code added since, or mapped since). */
  private async taxCodesWith(codeId: string): Promise<LedgerTaxCode[]> {
    const cached = await taxCodeLists.get(this.cacheKey, () => this.readTaxCodes());
    return cached.some((code) => code.id === codeId) ? cached : this.listTaxCodes();
  }

  private async readTaxCodes(): Promise<LedgerTaxCode[]> {
    const [codes, rates] = await Promise.all([
      queryAll(this.client, 'TaxCode', 'Active IN (true, false)'),
      queryAll(this.client, 'TaxRate', 'Active IN (true, false)'),
    ]);
    const rateById = new Map(rates.map((rate) => [String(rate.Id), Number(rate.RateValue ?? 0)]));
    return codes.map((code) => {
      const details = ((code.SalesTaxRateList as { TaxRateDetail?: QboEntity[] } | undefined)?.TaxRateDetail ?? []) as QboEntity[];
      const percent = details.reduce((sum, detail) => sum + (rateById.get(refValue(detail.TaxRateRef) ?? '') ?? 0), 0);
      return {
        id: String(code.Id),
        name: String(code.Name),
        ratePercent: Math.round(percent * 10_000) / 10_000,
        active: code.Active !== false,
      };
    });
  }

  taxSetup(): Promise<LedgerTaxSetup> {
    return cachedTaxSetup(this.cacheKey, this.client);
  }

  private get cacheKey(): string {
    return this.options.cacheKey ?? this.client.realmId;
  }

  /**
   * Books the receipt unless its number is already in the ledger. Every attempt is preceded by a lookup of
   * the number (or spends the fresh "absent" answer of the lookup just before it), so an answer lost after
   * the write, or a worker that died after it, never books twice — whatever QBO does with `requestid` and
   * even where the company allows duplicate document numbers.
   */
  async bookSale(receipt: LedgerSale, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const subject = `sales receipt ${receipt.docNumber}`;
    if (!takeFreshAbsence(this.absenceKey(receipt.docNumber))) {
      const existing = await this.querySalesReceipt(receipt.docNumber);
      if (existing) return existing;
    }
    const { currencies } = await cachedCompanySettings(this.cacheKey, this.client);
    if (!currencies.multiCurrency && currencies.homeCurrency !== '' && receipt.currency !== currencies.homeCurrency) {
      // Read the settings again next time: the bookkeeper may turn multicurrency on and retry.
      forgetTaxSetup(this.cacheKey);
      throw foreignCurrencyRefusal(receipt, currencies.homeCurrency);
    }
    try {
      const setup = await this.taxSetup();
      // Only a sale with a mapped code needs its rate (usually listed by the order's mapping already).
      const taxCodes = setup.mode === 'per-sale' && receipt.saleTaxCodeId ? await this.taxCodesWith(receipt.saleTaxCodeId) : null;
      // The route's clearing account, when it chose one (else QBO's Undeposited Funds, as before); a receipt booked
      // before the choice keeps its account: the lookup above returns it as it is.
      const clearing = this.accounts.clearingAccount === ''
        ? null
        : await requireAccountNamed(this.client, this.cacheKey, 'clearingAccount', this.accounts.clearingAccount, "this route's sales (its clearing account)");
      const payload = { ...toQboSalesReceipt(receipt, setup, taxCodes), ...(clearing ? { DepositToAccountRef: { value: clearing.id } } : {}) };
      const created = await this.client.create('salesreceipt', 'SalesReceipt', payload, { idempotencyKey, subject });
      return toDocumentRef(created);
    } catch (error) {
      if (!(error instanceof LedgerRejectedError)) throw error;
      if (isTaxSetupRefusal(error)) forgetTaxSetup(this.cacheKey);
      if (error.code === '610' || error.code === '2500') taxCodeLists.forget(this.cacheKey);
      // 6140: already booked (a lost answer, or another run): the existing receipt is the result.
      if (error.code === '6140') {
        const existing = await this.querySalesReceipt(receipt.docNumber);
        if (existing) return existing;
      }
      throw await namingTheReference(error, subject, () => diagnoseReceiptReferences(this.client, receipt));
    }
  }

  /** Sales receipts by TxnDate, every page: what a reconciliation audit compares with the shop. */
  listSalesBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    return listDocumentsBetween(this.client, 'SalesReceipt', range, SALES_RECEIPT);
  }

  /** Deposits dated in the range: ours carry PO-<payout> and our private note; the bank's other deposits come too. */
  listPayoutsBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    return listDocumentsBetween(this.client, 'Deposit', range, DEPOSIT);
  }

  async checkConnection(): Promise<ConnectionProbe> {
    const info = await this.client.companyInfo();
    return { accountName: String(info.CompanyName ?? info.LegalName ?? ''), grantedScopes: this.options.grantedScopes ?? null };
  }

  private async querySalesReceipt(docNumber: string): Promise<LedgerDocumentRef | null> {
    const result = await this.client.query(`select * from SalesReceipt where DocNumber = ${qboQueryString(docNumber)}`);
    const receipts = (result.SalesReceipt ?? []) as QboEntity[];
    if (!receipts[0]) return null;
    // A company that allows duplicate numbers can hold two: the engine reads whose they are (a hard stop for two of one order).
    const others = receipts.slice(1).map(toDocumentRef);
    return { ...toDocumentRef(receipts[0]), ...(others.length > 0 ? { sameNumber: others.map((o) => ({ id: o.id, docNumber: o.docNumber, marker: o.marker ?? null })) } : {}) };
  }

  private absenceKey(docNumber: string): string {
    return `${this.client.companyKey}|${docNumber}`;
  }

  private async queryCustomers(where: string): Promise<QboEntity[]> {
    const result = await this.client.query(`select * from Customer where ${where}`);
    return (result.Customer ?? []) as QboEntity[];
  }
}
