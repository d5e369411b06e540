import { randomUUID } from 'node:crypto';
import type { FaultSettings } from '../common/fault-injector.js';
import type { LoggedRequest, XeroEmulatorState } from './emulator-state.js';
import type { IdempotencyKeyReuse, IdempotencyMode, XeroCurrencyVariants, XeroRateLimits, XeroSeedAccount, XeroSeedContact, XeroSeedItem, XeroSeedOrganisation, XeroSeedTaxRate } from './options.js';
import { XeroOrganisation, type XeroRecord } from './organisation.js';
import { dataFields, type PersistedParts } from '../common/persisted-state.js';

/** In-process handle on a running emulator, so tests set up and inspect without HTTP. */
export class XeroEmulatorControl {
  constructor(private readonly state: XeroEmulatorState) {}

  // --- identity ---

  /** The person on the next consent pages, and the organisations they tick (several per grant are allowed). */
  authorizeAs(tenantIds: string[], userId = this.state.authorizingUserId): void {
    for (const tenantId of tenantIds) this.state.organisation(tenantId);
    this.state.authorizingTenantIds = [...tenantIds];
    this.state.authorizingUserId = userId;
  }

  addOrganisation(seed: XeroSeedOrganisation): void {
    if (this.state.organisations.has(seed.tenantId)) throw new Error(`organisation ${seed.tenantId} already exists`);
    this.state.organisations.set(seed.tenantId, new XeroOrganisation(seed, this.state.clock));
  }

  denyNextAuthorizations(count = 1): void {
    this.state.denyNextAuthorizations = count;
  }

  /** Every access token issued so far is now past its 30 minutes. */
  expireAccessTokens(): number {
    return this.state.grants.expireAccessTokens();
  }

  /** The organisation's adviser removed the app in Xero: its connections go; tokens stay valid for others. */
  removeTenant(tenantId: string): number {
    return this.state.grants.removeTenant(tenantId);
  }

  refreshCount(): number {
    return this.state.grants.refreshCount;
  }

  /** Moves the emulator's clock (token expiry, grace periods, minute and day windows). */
  advanceClock(ms: number): void {
    this.state.clock.advance(ms);
  }

  // --- faults, limits and variants ---

  injectFaults(patch: Partial<FaultSettings>): FaultSettings {
    return this.state.faults.update(patch);
  }

  clearFaults(): void {
    this.state.faults.reset();
    this.state.dropNextWrites = 0;
  }

  /** The next N writes are done and their answers lost (the lookups before them are answered). */
  dropNextWrites(count = 1): void {
    this.state.dropNextWrites = count;
  }

  setRateLimits(patch: Partial<XeroRateLimits>): XeroRateLimits {
    Object.assign(this.state.settings.rateLimits, patch);
    return this.state.settings.rateLimits;
  }

  /** Counts calls against the tenant's day, as if they had been made. */
  spendDailyCalls(tenantId: string, calls: number): void {
    this.state.limits.spendDay(tenantId, calls);
  }

  setIdempotency(mode: IdempotencyMode, reuse?: IdempotencyKeyReuse): void {
    this.state.settings.idempotencyMode = mode;
    if (reuse) this.state.settings.idempotencyKeyReuse = reuse;
  }

  /** Whether `==` on text in `where` ignores case (unconfirmed: both are played). */
  setWhereStringMatch(match: 'case-insensitive' | 'case-sensitive'): void {
    this.state.settings.whereStringMatch = match;
  }

  setRateWindows(kind: 'fixed' | 'rolling'): void {
    this.state.settings.rateWindows = kind;
  }

  setLatency(ms: number): void {
    this.state.settings.latencyMs = ms;
  }

  // --- data ---

  /** A currency the organisation adds (Accounting → Advanced → Currencies), with the day's rate: foreign units per base unit. */
  addCurrency(tenantId: string, seed: { code: string; rate?: number }): XeroRecord {
    return this.state.organisation(tenantId).addCurrency(seed);
  }

  addItem(tenantId: string, seed: XeroSeedItem): XeroRecord {
    return this.state.organisation(tenantId).addItem(seed);
  }

  addTaxRate(tenantId: string, seed: XeroSeedTaxRate): XeroRecord {
    return this.state.organisation(tenantId).addTaxRate(seed);
  }

  /** Variants [U] of money in another currency than its bank account's (options.ts, XeroCurrencyVariants). */
  setCurrencyVariants(tenantId: string, variants: Partial<XeroCurrencyVariants>): XeroCurrencyVariants {
    return Object.assign(this.state.organisation(tenantId).currencyVariants, variants);
  }

  addAccount(tenantId: string, seed: XeroSeedAccount): XeroRecord {
    return this.state.organisation(tenantId).addAccount(seed);
  }

  addContact(tenantId: string, seed: XeroSeedContact): XeroRecord {
    return this.state.organisation(tenantId).addContact(seed);
  }

  /** Marks a tax rate DELETED or ARCHIVED, as a bookkeeper can. */
  setTaxRateStatus(tenantId: string, taxType: string, status: 'ACTIVE' | 'DELETED' | 'ARCHIVED'): void {
    const rate = this.state.organisation(tenantId).taxRate(taxType);
    if (!rate) throw new Error(`no tax rate ${taxType}`);
    rate.Status = status;
  }

  /**
   * A second copy of a sales invoice, as something posting an order twice leaves it: a new InvoiceID, the next
   * number (Xero keeps ACCREC numbers unique, FIDELITY.md), the same Reference (our marker). For audit tests.
   */
  duplicateInvoice(tenantId: string, invoiceId: string): XeroRecord {
    const organisation = this.state.organisation(tenantId);
    const original = organisation.invoiceById(invoiceId);
    if (!original) throw new Error(`no invoice ${invoiceId}`);
    const copy: XeroRecord = { ...structuredClone(original), InvoiceID: randomUUID(), InvoiceNumber: organisation.nextInvoiceNumber(), Payments: [], AmountPaid: 0, AmountDue: original.Total, Status: 'AUTHORISED' };
    organisation.invoices.push(copy);
    return copy;
  }

  invoices(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).invoices;
  }

  payments(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).payments;
  }

  creditNotes(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).creditNotes;
  }

  bankTransactions(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).bankTransactions;
  }

  bankTransfers(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).bankTransfers;
  }

  /** A bookkeeper's edit of a transfer's amount (for audit tests); its two bank-transaction sides move with it. */
  correctBankTransfer(tenantId: string, bankTransferId: string, amount: number): XeroRecord {
    const organisation = this.state.organisation(tenantId);
    const transfer = organisation.bankTransfers.find((t) => t.BankTransferID === bankTransferId);
    if (!transfer) throw new Error(`no bank transfer ${bankTransferId}`);
    transfer.Amount = amount;
    for (const side of organisation.bankTransactions) {
      if (side.BankTransactionID === transfer.FromBankTransactionID || side.BankTransactionID === transfer.ToBankTransactionID) Object.assign(side, { SubTotal: amount, Total: amount });
    }
    return transfer;
  }

  contacts(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).contacts;
  }

  items(tenantId: string): XeroRecord[] {
    return this.state.organisation(tenantId).items;
  }

  requestLog(): LoggedRequest[] {
    return [...this.state.requests];
  }

  clearRequestLog(): void {
    this.state.requests.length = 0;
  }

  /** What a demo keeps across restarts (emulators/common/persisted-state.ts): grants, connections, each organisation's records. */
  persistentParts(): PersistedParts {
    const parts: PersistedParts = {
      clock: dataFields(this.state.clock),
      grants: dataFields(this.state.grants, ['clock', 'settings', 'clientId']),
      authorizing: { target: this.state, fields: ['authorizingUserId'] },
    };
    for (const [tenantId, organisation] of this.state.organisations) parts[`organisation:${tenantId}`] = dataFields(organisation, ['clock']);
    return parts;
  }
}
