import type { Contact, Item } from 'xero-node';
import type {
  AccountingTarget,
  LedgerCustomer,
  LedgerCustomerChanges,
  LedgerCustomerInput,
  LedgerItemChanges,
  LedgerDocumentRef,
  LedgerItem,
  BookedRefundQuery,
  LedgerItemInput,
  BookedSaleQuery,
  LedgerDateRange,
  LedgerPayout,
  LedgerRefund,
  LedgerSaleAccount,
  LedgerSaleListing,
  LedgerSale,
  LedgerTaxCode,
  LedgerTaxSetup,
} from '../../domain/accounting-target.js';
import type { LedgerCurrencies } from '../../domain/booking-currency.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { markedOrder } from '../../domain/ledger-document-ownership.js';
import { CredentialsInvalidError, DisplayNameTakenError, LedgerRejectedError, PlatformUnavailableError } from '../../domain/platform-errors.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import { CreditNoteBooking } from './credit-note-booking.js';
import { InvoiceAndPaymentBooking } from './invoice-and-payment-booking.js';
import { ReceiveMoneyBooking } from './receive-money-booking.js';
import type { XeroRefundBooking } from './refund-booking.js';
import type { XeroSaleBooking, XeroSaleDocument } from './sale-booking.js';
import { SpendMoneyBooking } from './spend-money-booking.js';
import type { SaleAccounts } from './sale-invoice-payload.js';
import type { XeroApi } from './xero-api.js';
import { listConnections } from './xero-connections.js';
import { XERO_LIMITS } from './xero-limits.js';
import { cachedXeroTaxSetup, forgetXeroTaxSetup, toLedgerTaxCode } from './xero-tax-setup.js';
import { mayStateTax, statedTaxRates } from './stated-line-tax.js';
import { amountsIn } from '../../domain/money.js';
import { whereString } from './where-literal.js';
import { cachedXeroCurrencies, inexactInXero } from './xero-currencies.js';
import { updateXeroContact, updateXeroItem } from './contact-and-item-updates.js';
import { payoutAccountNames, type PayoutAccountNames } from '../payout-account-options.js';
import { BANK_TRANSFER, XeroPayoutTransfers } from './payout-transfer-booking.js';
import { saleMoneyAccount } from './sale-money-account.js';
import { requireXeroAccountNamed } from './xero-account-by-name.js';

export interface XeroAccountingTargetOptions extends SaleAccounts {
  /** What organisation-level facts (tax setup) are cached under: integration and tenant. */
  cacheKey: string;
  /** Scopes of the stored grant, reported by checkConnection. */
  grantedScopes?: string[] | null;
  /** The document a paid sale becomes; default an invoice and its payment. */
  saleDocument?: XeroSaleDocument;
  /** The route's clearing, payout bank, fee and adjustment accounts by name ("" where it chose none). */
  payoutAccounts?: PayoutAccountNames;
}

const SKUS_PER_QUERY = 20;

function toLedgerItem(item: Item): LedgerItem {
  // Lines name items by code, so the code is the item's id for the engine.
  return { id: String(item.code), name: String(item.name ?? item.code), sku: item.code ? String(item.code) : null, active: item.isSold !== false };
}

function toCustomer(contact: Contact): LedgerCustomer {
  return { id: String(contact.contactID), displayName: String(contact.name), email: contact.emailAddress ? String(contact.emailAddress) : null };
}

function sameEmail(found: string | undefined, wanted: string | null): boolean {
  return !!found && !!wanted && found.trim().toLowerCase() === wanted.trim().toLowerCase();
}

/** Refusals that mean the organisation's tax setup is not what we read: read it again before the next attempt. */
function isTaxSetupRefusal(error: LedgerRejectedError): boolean {
  return error.code === 'invalid-tax-type';
}

/** Xero as the ledger the engine books into: a paid sale is an invoice and its payment, or money received. */
export class XeroAccountingTarget implements AccountingTarget {
  readonly limits = XERO_LIMITS;

  private readonly payoutAccounts: PayoutAccountNames;
  private readonly payouts: XeroPayoutTransfers;

  constructor(
    private readonly api: XeroApi,
    private readonly options: XeroAccountingTargetOptions,
  ) {
    this.payoutAccounts = options.payoutAccounts ?? payoutAccountNames(undefined);
    this.payouts = new XeroPayoutTransfers(api, options.cacheKey, this.payoutAccounts, async () => (await this.currencies()).homeCurrency);
  }

  /** What a payout becomes here. */
  readonly payoutDocumentKind = BANK_TRANSFER;

  private get receivesMoney(): boolean {
    return this.options.saleDocument === 'receive-money';
  }

  /**
   * The route's kind of sale document and the other kind (a route whose `saleDocument` changed has orders booked the
   * old way), paid into `accounts`.
   */
  private salesInto(accounts: SaleAccounts): { booking: XeroSaleBooking; otherBooking: XeroSaleBooking } {
    const invoices = new InvoiceAndPaymentBooking(this.api, accounts);
    const received = new ReceiveMoneyBooking(this.api, accounts);
    return this.receivesMoney ? { booking: received, otherBooking: invoices } : { booking: invoices, otherBooking: received };
  }

  /** Refunds match the route's sales: a credit note and its refund payment, or spend money, out of `accounts`. */
  private refundsFrom(accounts: SaleAccounts): XeroRefundBooking {
    return this.receivesMoney ? new SpendMoneyBooking(this.api, accounts) : new CreditNoteBooking(this.api, accounts);
  }

  /**
   * Where new sales are paid into: the route's clearing bank account when it chose one (its payouts then take the
   * money out), else the deployment's payment account as before. A sale booked before the choice stays where it is.
   */
  private async saleAccounts(): Promise<SaleAccounts> {
    if (this.payoutAccounts.clearingAccount === '') return this.options;
    const clearing = await requireXeroAccountNamed(this.api, this.options.cacheKey, 'clearingAccount', this.payoutAccounts.clearingAccount, "this route's sales (its clearing account)", {
      bank: true,
      code: true,
    });
    return { ...this.options, paymentAccountCode: clearing.code! };
  }

  get documentKind(): string {
    return this.salesInto(this.options).booking.kind;
  }

  get refundDocumentKind(): string {
    return this.refundsFrom(this.options).kind;
  }

  /** A found credit note whose refund payment was lost is paid out of the account the sale's money went into. */
  async findBookedRefund({ docNumber, sale, total }: BookedRefundQuery): Promise<LedgerDocumentRef | null> {
    return this.refundsFrom(await this.refundAccounts(sale.id)).find(docNumber, total);
  }

  /**
   * Books the refund unless its number is already in the ledger (a lookup before every attempt, and the
   * Idempotency-Key), paid out of the account the sale's money went into, as QuickBooks refund receipts are: the
   * clearing account for a sale booked there, so the payout that pays the refund back finds it taken out.
   */
  async bookRefund(refund: LedgerRefund, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const refunds = this.refundsFrom(await this.refundAccounts(refund.sale.id));
    return this.withTaxSetup(async (setup) => {
      // Xero's rates, for lines whose own tax Xero's rounding would miss by a cent (stated-line-tax.ts).
      const rates = setup.mode !== 'off' && mayStateTax(refund, amountsIn(refund.currency)) ? statedTaxRates(await this.listTaxCodes()) : null;
      return refunds.book(refund, setup, idempotencyKey, rates);
    });
  }

  /**
   * The sale's own account when Xero still has it (and it has a code); else where new sales go. A route that has no
   * clearing account pays everything into the payment account, so it reads nothing.
   */
  private async refundAccounts(saleId: string): Promise<SaleAccounts> {
    if (this.payoutAccounts.clearingAccount === '') return this.options;
    const money = await saleMoneyAccount(this.api, saleId, !this.receivesMoney);
    return money?.account.code ? { ...this.options, paymentAccountCode: money.account.code } : this.saleAccounts();
  }

  async saleClearingAccount(sale: { id: string; docNumber: string }): Promise<LedgerSaleAccount | null> {
    const money = await saleMoneyAccount(this.api, sale.id, !this.receivesMoney);
    if (!money) return null;
    const clearing =
      this.payoutAccounts.clearingAccount === ''
        ? null
        : await requireXeroAccountNamed(this.api, this.options.cacheKey, 'clearingAccount', this.payoutAccounts.clearingAccount, "this route's sales (its clearing account)", { bank: true, code: false });
    const clearable = clearing !== null && clearing.accountID === money.account.accountID;
    const name = clearable ? clearing.name : `account ${money.account.code ?? money.account.accountID}`;
    return { id: money.account.accountID, name, clearable, saleTotal: money.total };
  }

  findBookedPayout(docNumber: string): Promise<LedgerDocumentRef | null> {
    return this.payouts.find(docNumber);
  }

  /** A bank transfer of the net from clearing to the payout bank account, with its fees and adjustments (payout-transfer-booking.ts). */
  bookPayout(payout: LedgerPayout, idempotencyKey: string): Promise<LedgerDocumentRef> {
    return this.payouts.book(payout, idempotencyKey);
  }

  /** Bank transfers dated in the range (payout-transfer-booking.ts): what a reconciliation audit compares with the shop's payouts. */
  listPayoutsBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    return this.payouts.listBetween(range);
  }

  /** Runs a booking with the organisation's tax setup; a refusal that says the setup changed makes it read again next time. */
  private async withTaxSetup<T>(book: (setup: LedgerTaxSetup) => Promise<T>): Promise<T> {
    try {
      return await book(await this.taxSetup());
    } catch (error) {
      if (error instanceof LedgerRejectedError && isTaxSetupRefusal(error)) forgetXeroTaxSetup(this.options.cacheKey);
      throw error;
    }
  }

  /**
   * The document of this number in the route's kind, else in the other kind: an order booked before its route's
   * `saleDocument` changed is found where it is rather than booked a second time (one more lookup per new order).
   */
  async findBookedSale({ docNumber }: BookedSaleQuery): Promise<LedgerDocumentRef | null> {
    const { booking, otherBooking } = this.salesInto(await this.saleAccounts());
    return (await booking.find(docNumber)) ?? (await otherBooking.find(docNumber));
  }

  /**
   * The route's kind of sale documents dated in the range; of the other kind only ours (an order booked before the
   * route's `saleDocument` changed), not the bank's other receipts or the organisation's other invoices.
   */
  async listSalesBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    const { booking, otherBooking } = this.salesInto(await this.saleAccounts());
    const own = await booking.listBetween(range);
    const earlier = (await otherBooking.listBetween(range)).filter((document) => markedOrder(document.marker) !== null);
    return [...own, ...earlier];
  }

  async findCustomer(match: { email: string | null; displayName: string }): Promise<LedgerCustomer | null> {
    if (match.email) {
      const byEmail = await this.contactsWhere(`EmailAddress==${whereString(match.email)}`);
      if (byEmail[0]) return toCustomer(byEmail[0]);
    }
    const byName = await this.contactsWhere(`Name==${whereString(match.displayName)}`);
    return byName[0] ? toCustomer(byName[0]) : null;
  }

  async createCustomer(input: LedgerCustomerInput, idempotencyKey: string): Promise<LedgerCustomer> {
    const contact: Contact = {
      name: input.displayName,
      ...(input.givenName ? { firstName: input.givenName } : {}),
      ...(input.familyName ? { lastName: input.familyName } : {}),
      ...(input.email ? { emailAddress: input.email } : {}),
    };
    const key = xeroIdempotencyKey(`contact:${idempotencyKey}`, contact);
    try {
      const body = await this.api.call(`customer '${input.displayName}'`, (api, tenant) => api.createContacts(tenant, { contacts: [contact] }, undefined, key));
      return toCustomer(body.contacts![0]!);
    } catch (error) {
      if (!(error instanceof DisplayNameTakenError)) throw error;
      // The name is taken. Ours only if it is the contact this customer's key made before a lost answer: the same
      // email. A stranger of the same name (or a contact we cannot tell apart, without an email) is not booked to:
      // the engine tries the next form of the name.
      const existing = await this.contactsWhere(`Name==${whereString(input.displayName)}`);
      const ours = input.email ? existing.find((contact) => sameEmail(contact.emailAddress, input.email)) : undefined;
      if (ours) return toCustomer(ours);
      throw error;
    }
  }

  /** A sold item whose Code is the SKU (Xero's items are found by Code); its sales account and tax come from the sale's lines. */
  async createItem(input: LedgerItemInput, idempotencyKey: string): Promise<LedgerItem> {
    const item: Item = { code: input.sku, name: input.name, isSold: true, salesDetails: { unitPrice: Number(input.unitPrice) } };
    const key = xeroIdempotencyKey(`item:${idempotencyKey}`, item);
    const body = await this.api.call(`item '${input.name}'`, (api, tenant) => api.createItems(tenant, { items: [item] }, undefined, undefined, key));
    return toLedgerItem(body.items![0]!);
  }

  /** POST Contacts/{ContactID} with the fields that changed; a name another active contact has is DisplayNameTakenError. */
  async updateCustomer(id: string, changes: LedgerCustomerChanges): Promise<LedgerCustomer> {
    return toCustomer(await updateXeroContact(this.api, id, changes));
  }

  /** POST Items/{ItemID} of the item with this Code, with the fields that changed. */
  async updateItem(id: string, changes: LedgerItemChanges): Promise<LedgerItem> {
    return toLedgerItem(await updateXeroItem(this.api, id, changes));
  }

  async findItemsBySku(skus: string[]): Promise<LedgerItem[]> {
    const found: LedgerItem[] = [];
    for (let start = 0; start < skus.length; start += SKUS_PER_QUERY) {
      const where = skus.slice(start, start + SKUS_PER_QUERY).map((sku) => `Code==${whereString(sku)}`).join(' OR ');
      const body = await this.api.call('an item lookup', (api, tenant) => api.getItems(tenant, undefined, where));
      found.push(...(body.items ?? []).map(toLedgerItem));
    }
    return found;
  }

  async listItems(): Promise<LedgerItem[]> {
    const body = await this.api.call('the item list', (api, tenant) => api.getItems(tenant));
    return (body.items ?? []).map(toLedgerItem);
  }

  async listTaxCodes(): Promise<LedgerTaxCode[]> {
    const body = await this.api.call('the tax rate list', (api, tenant) => api.getTaxRates(tenant));
    return (body.taxRates ?? []).map(toLedgerTaxCode);
  }

  /**
   * BaseCurrency and the currencies the organisation has added (GET /Currencies): a contact takes any of them, so
   * a repeat customer paying in a second currency stays one contact.
   */
  async currencies(options: { fresh?: boolean } = {}): Promise<LedgerCurrencies> {
    return cachedXeroCurrencies(
      this.options.cacheKey,
      async () => {
        const [organisation, listed] = await Promise.all([
          this.organisation(),
          this.api.call('the currency list', (api, tenant) => api.getCurrencies(tenant)),
        ]);
        return { base: String(organisation.baseCurrency ?? ''), currencies: (listed.currencies ?? []).map((currency) => String(currency.code)) };
      },
      options.fresh ?? false,
    );
  }

  taxSetup(): Promise<LedgerTaxSetup> {
    return cachedXeroTaxSetup(this.options.cacheKey, () => this.organisation());
  }

  /**
   * Books the sale unless its number is already in the ledger: a lookup by number before every attempt and the
   * Idempotency-Key on every write (invoice-and-payment-booking.ts, receive-money-booking.ts).
   */
  async bookSale(receipt: LedgerSale, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const inexact = inexactInXero(receipt);
    if (inexact) throw inexact;
    const { booking } = this.salesInto(await this.saleAccounts());
    return this.withTaxSetup((setup) => booking.book(receipt, setup, idempotencyKey));
  }

  async checkConnection(): Promise<ConnectionProbe> {
    await this.requireConnectedTenant();
    const organisation = await this.organisation();
    return { accountName: String(organisation.name ?? ''), grantedScopes: this.options.grantedScopes ?? null };
  }

  /** GET /connections must still list our tenant: a removed organisation answers 403 only when called. */
  private async requireConnectedTenant(): Promise<void> {
    const listed = await this.connectedTenantIds();
    if (!listed.includes(this.api.tenantId)) {
      throw new CredentialsInvalidError(
        'revoked',
        'Xero no longer lists this organisation among ledgerbridge’s connections (it was disconnected in Xero). Reconnect the integration.',
        `GET /connections does not list tenant ${this.api.tenantId}`,
      );
    }
  }

  private async connectedTenantIds(): Promise<string[]> {
    return (await listConnections(this.api)).map((connection) => connection.tenantId);
  }

  private async organisation() {
    const body = await this.api.call('the organisation lookup', (api, tenant) => api.getOrganisations(tenant));
    const organisation = body.organisations?.[0];
    if (!organisation) throw new PlatformUnavailableError(200, 'Xero answered without the organisation; the work will be retried.', 'GET /Organisation had no Organisations');
    return organisation;
  }

  private async contactsWhere(where: string, includeArchived = false): Promise<Contact[]> {
    const body = await this.api.call('a contact lookup', (api, tenant) => api.getContacts(tenant, undefined, where, undefined, undefined, undefined, includeArchived || undefined));
    return body.contacts ?? [];
  }
}
