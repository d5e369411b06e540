import type { FaultSettings } from '../common/fault-injector.js';
import { QboCompany, type CreatedDocument } from './company.js';
import type { LoggedRequest, QboEmulatorState } from './emulator-state.js';
import type { AuthFaultEnvelope, QboRateLimits, QboSeedCompany, QboSeedCurrency, QboSeedCustomer, QboSeedItem, QboSeedTaxCode, RequestIdMode } from './options.js';
import type { QboRecord } from './query-evaluation.js';
import type { TaxInclusiveLineReading } from './sales-tax-rules.js';
import type { TotalTaxOverride } from './tax-override-rules.js';
import { dataFields, type PersistedParts } from '../common/persisted-state.js';

/** In-process handle on a running emulator, so tests set up and inspect without HTTP. */
export class QboEmulatorControl {
  constructor(private readonly state: QboEmulatorState) {}

  // --- OAuth ---

  /** The company the next authorizations grant access to. */
  authorizeAs(realmId: string): void {
    this.state.company(realmId);
    this.state.authorizingRealmId = realmId;
  }

  /** Another company the person can pick on the consent page (one login with access to several companies). */
  addCompany(seed: QboSeedCompany): void {
    if (this.state.companies.has(seed.realmId)) throw new Error(`company ${seed.realmId} already exists`);
    this.state.companies.set(seed.realmId, new QboCompany(seed, this.state.clock));
  }

  denyNextAuthorizations(count = 1): void {
    this.state.denyNextAuthorizations = count;
  }

  /** Every access token of the realm now answers 401 (3200 "Token expired"). */
  expireAccessTokens(realmId: string): number {
    return this.state.grants.expireAccessTokens(realmId);
  }

  /** The person disconnected the app in QBO: API calls 401, refreshes get invalid_grant. */
  revokeGrant(realmId: string): number {
    return this.state.grants.revokeRealm(realmId);
  }

  /** Lifetime of access tokens issued from now on. */
  setAccessTokenLifetime(seconds: number): void {
    this.state.settings.accessTokenTtlSeconds = seconds;
  }

  setRefreshTokenGrace(seconds: number): void {
    this.state.settings.refreshTokenGraceSeconds = seconds;
  }

  /** Moves the emulator's clock forward (token expiry, grace periods, rate windows). */
  advanceClock(ms: number): void {
    this.state.clock.advance(ms);
  }

  refreshCount(realmId: string): number {
    return this.state.grants.refreshCount(realmId);
  }

  // --- faults and limits ---

  injectFaults(patch: Partial<FaultSettings>): FaultSettings {
    return this.state.faults.update(patch);
  }

  clearFaults(): void {
    this.state.faults.reset();
  }

  get faults(): Readonly<FaultSettings> {
    return this.state.faults.current;
  }

  /**
   * The next `count` creates of `entity` (e.g. RefundReceipt, Deposit) are written and their answers dropped, as a
   * connection lost after QuickBooks processed the write; other requests are answered. Adds to any already pending.
   */
  dropNextWrites(entity: string, count = 1): void {
    this.state.dropNextWrites.set(entity, (this.state.dropNextWrites.get(entity) ?? 0) + count);
  }

  throttleNext(count = 1): void {
    this.state.faults.update({ throttleNext: count });
  }

  /** Retry-After on forced 429s; null omits the header (it is undocumented by Intuit). */
  setThrottleRetryAfter(seconds: number | null): void {
    this.state.settings.throttleRetryAfterSeconds = seconds;
  }

  /** QBO has been seen answering throttles in XML even to JSON requests. */
  setThrottleBodyFormat(format: 'json' | 'xml'): void {
    this.state.settings.throttleBodyFormat = format;
  }

  setAuthFaultEnvelope(envelope: AuthFaultEnvelope): void {
    this.state.settings.authFaultEnvelope = envelope;
  }

  /** Per second, per minute and in flight, per company. */
  setRateLimits(limits: Partial<QboRateLimits>): void {
    Object.assign(this.state.settings.rateLimits, limits);
  }

  /** What a repeated `requestid` gets (unconfirmed by Intuit: see RequestIdMode). */
  setRequestIdMode(mode: RequestIdMode): void {
    this.state.settings.requestIdMode = mode;
  }

  /** Processing time of every Accounting API request, during which it counts as in flight. */
  setLatency(ms: number): void {
    this.state.settings.latencyMs = ms;
  }

  /** The company's "warn if duplicate number" preference off: a used DocNumber is booked again, no 6140. */
  setDuplicateDocNumbersAllowed(realmId: string, allowed: boolean): void {
    this.state.company(realmId).preferences.duplicateDocNumbersAllowed = allowed;
  }

  /**
   * Multicurrency on or off. QuickBooks never turns it off once on [C]: off plays a company that never turned it on,
   * and switching it on plays the bookkeeper doing so.
   */
  setMultiCurrency(realmId: string, enabled: boolean): void {
    this.state.company(realmId).preferences.multiCurrencyEnabled = enabled;
  }

  /** Variant [U]: a currency never added to the list is added on first use, or refused like an inactive one. */
  setUnlistedCurrencies(realmId: string, mode: 'added' | 'refused'): void {
    this.state.company(realmId).preferences.unlistedCurrencies = mode;
  }

  /** Variant [U]: a foreign-currency deposit into a home-currency bank account is converted at the rate, or refused. */
  setForeignDepositToHomeAccount(realmId: string, mode: 'converted' | 'refused'): void {
    this.state.company(realmId).preferences.foreignDepositToHomeAccount = mode;
  }

  /** A currency added to the company's list (CompanyCurrency), with the daily rates QuickBooks holds for it. */
  addCurrency(realmId: string, currency: QboSeedCurrency): QboRecord {
    return this.state.company(realmId).addCurrency(currency);
  }

  /** Most requests of the company processed at once since the last reset. */
  peakInFlight(realmId: string): number {
    return this.state.peakInFlight.get(realmId) ?? 0;
  }

  resetPeakInFlight(realmId: string): void {
    this.state.peakInFlight.set(realmId, this.state.inFlight(realmId));
  }

  /** Accounting API requests the company received (answered, throttled, failed or dropped) since the log was cleared. */
  requestCount(realmId: string): number {
    return this.state.requests.filter((request) => request.realmId === realmId).length;
  }

  // --- lists ---

  addItem(realmId: string, item: QboSeedItem): QboRecord {
    return this.state.company(realmId).addItem(item);
  }

  setItemActive(realmId: string, itemId: string, active: boolean): QboRecord {
    return this.mustExist(this.state.company(realmId).setActive('Item', itemId, active), 'Item', itemId);
  }

  addTaxCode(realmId: string, taxCode: QboSeedTaxCode): QboRecord {
    return this.state.company(realmId).addTaxCode(taxCode);
  }

  setTaxCodeActive(realmId: string, taxCodeId: string, active: boolean): QboRecord {
    return this.mustExist(this.state.company(realmId).setActive('TaxCode', taxCodeId, active), 'TaxCode', taxCodeId);
  }

  /** An account of the chart of accounts (clearing, bank, fee accounts a route chooses by name). */
  addAccount(realmId: string, account: Parameters<QboCompany['addAccount']>[0]): QboRecord {
    return this.state.company(realmId).addAccount(account);
  }

  /** The bookkeeper makes an account inactive (QuickBooks' "Make inactive"): documents naming it are refused with 610. */
  setAccountActive(realmId: string, accountId: string, active: boolean): QboRecord {
    return this.mustExist(this.state.company(realmId).setActive('Account', accountId, active), 'Account', accountId);
  }

  /** A customer already in the company, e.g. one an older version of the product created. */
  addCustomer(realmId: string, customer: QboSeedCustomer): QboRecord {
    return this.state.company(realmId).addCustomer(customer);
  }

  /** A bookkeeper's edit saved right after the next read of the record: the product's next write holds a stale SyncToken. */
  editAfterNextRead(realmId: string, entity: 'Customer' | 'Item', id: string, fields: QboRecord): void {
    this.state.company(realmId).editAfterNextRead(entity, id, fields);
  }

  setCustomerActive(realmId: string, customerId: string, active: boolean): QboRecord {
    return this.mustExist(this.state.company(realmId).setActive('Customer', customerId, active), 'Customer', customerId);
  }

  /** A vendor or employee whose display name customers may not take (QBO error 6240). */
  addOtherName(realmId: string, entity: 'Vendor' | 'Employee', displayName: string): QboRecord {
    return this.state.company(realmId).insert(entity, { DisplayName: displayName, Active: true });
  }

  /** Current rows of one entity (Item, TaxCode, TaxRate, Customer, SalesReceipt), active or not. */
  list(realmId: string, entity: string): QboRecord[] {
    return this.state.company(realmId).all(entity);
  }

  /** A bookkeeper changes a tax rate's value in QuickBooks (what every code using it then charges). */
  setTaxRateValue(realmId: string, taxRateId: string, ratePercent: number): QboRecord {
    const rate = this.mustExist(this.state.company(realmId).get('TaxRate', taxRateId), 'TaxRate', taxRateId);
    rate.RateValue = ratePercent;
    return rate;
  }

  /** How tax-inclusive line amounts are read (unconfirmed behaviour; tests play each). */
  setTaxInclusiveLineReading(reading: TaxInclusiveLineReading): void {
    this.state.settings.taxInclusiveLineReading = reading;
  }

  /** What a client's TxnTaxDetail.TotalTax does (partly unconfirmed; tests play each variant). */
  setTotalTaxOverride(mode: TotalTaxOverride): void {
    this.state.settings.totalTaxOverride = mode;
  }

  /** Automated sales tax on or off for a company (TaxPrefs.PartnerTaxEnabled), and the rate it comes to. */
  setAutomatedSalesTax(realmId: string, enabled: boolean, ratePercent?: number): void {
    const preferences = this.state.company(realmId).preferences;
    preferences.partnerTaxEnabled = enabled;
    if (ratePercent !== undefined) preferences.automatedSalesTaxPercent = ratePercent;
  }

  /** A bookkeeper corrects a sales receipt in QuickBooks (e.g. its tax) so its total becomes `totalAmt`. */
  correctSalesReceipt(realmId: string, id: string, totalAmt: number): QboRecord {
    return this.correctReceiptTax(realmId, 'SalesReceipt', id, totalAmt);
  }

  /** The same correction of a refund receipt's tax (a reversal QuickBooks' once-per-rate rounding left a cent off). */
  correctRefundReceipt(realmId: string, id: string, totalAmt: number): QboRecord {
    return this.correctReceiptTax(realmId, 'RefundReceipt', id, totalAmt);
  }

  private correctReceiptTax(realmId: string, entity: 'SalesReceipt' | 'RefundReceipt', id: string, totalAmt: number): QboRecord {
    const receipt = this.mustExist(this.state.company(realmId).get(entity, id), entity, id);
    const tax = receipt.TxnTaxDetail as QboRecord | undefined;
    if (tax && typeof receipt.TotalAmt === 'number') tax.TotalTax = Math.round((Number(tax.TotalTax ?? 0) + totalAmt - receipt.TotalAmt) * 100) / 100;
    receipt.TotalAmt = totalAmt;
    receipt.SyncToken = String(Number(receipt.SyncToken ?? 0) + 1);
    return receipt;
  }

  /**
   * A second copy of a sales receipt, same DocNumber and PrivateNote, under a new Id: what QBO holds when something
   * posts an order twice into a company that allows duplicate numbers (FIDELITY-limits.md L6). For audit tests.
   */
  duplicateSalesReceipt(realmId: string, id: string): QboRecord {
    return this.duplicateDocument(realmId, 'SalesReceipt', id);
  }

  /** A second copy of a payout's deposit (same DocNumber and PrivateNote): a payout posted twice. For audit tests. */
  duplicateDeposit(realmId: string, id: string): QboRecord {
    return this.duplicateDocument(realmId, 'Deposit', id);
  }

  /** A bookkeeper edits a deposit's amount: its first line takes the difference, so the lines still add up to `totalAmt`. */
  correctDeposit(realmId: string, id: string, totalAmt: number): QboRecord {
    const deposit = this.mustExist(this.state.company(realmId).get('Deposit', id), 'Deposit', id);
    const [first] = (deposit.Line ?? []) as QboRecord[];
    if (first && typeof deposit.TotalAmt === 'number') first.Amount = Math.round((Number(first.Amount ?? 0) + totalAmt - deposit.TotalAmt) * 100) / 100;
    deposit.TotalAmt = totalAmt;
    deposit.SyncToken = String(Number(deposit.SyncToken ?? 0) + 1);
    return deposit;
  }

  private duplicateDocument(realmId: string, entity: 'SalesReceipt' | 'Deposit', id: string): QboRecord {
    const company = this.state.company(realmId);
    const original = this.mustExist(company.get(entity, id), entity, id);
    const { Id: _id, SyncToken: _token, MetaData: _meta, ...fields } = original;
    const copy = company.insert(entity, structuredClone(fields));
    company.recordDocument(entity, copy, null);
    return copy;
  }

  // --- ledger inspection ---

  /** Every document written through the API, in order; replays and failures are not in it. */
  documents(realmId: string, entity?: string): CreatedDocument[] {
    const documents = this.state.company(realmId).documents;
    return entity ? documents.filter((document) => document.entity === entity) : [...documents];
  }

  requestLog(): readonly LoggedRequest[] {
    return this.state.requests;
  }

  clearRequestLog(): void {
    this.state.requests.length = 0;
  }

  private mustExist(record: QboRecord | undefined, entity: string, id: string): QboRecord {
    if (!record) throw new Error(`no ${entity} with Id ${id}`);
    return record;
  }

  /** What a demo keeps across restarts (emulators/common/persisted-state.ts): grants and tokens, each company's lists and documents. */
  persistentParts(): PersistedParts {
    const parts: PersistedParts = {
      clock: dataFields(this.state.clock),
      grants: dataFields(this.state.grants, ['clock', 'settings']),
      authorizing: { target: this.state, fields: ['authorizingRealmId'] },
    };
    for (const [realmId, company] of this.state.companies) parts[`company:${realmId}`] = dataFields(company, ['clock']);
    return parts;
  }
}
