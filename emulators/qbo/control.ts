import type { FaultSettings } from '../common/fault-injector.js';
import { QboCompany, type CreatedDocument } from './company.js';
import type { LoggedRequest, QboEmulatorState } from './emulator-state.js';
import type { AuthFaultEnvelope, QboRateLimits, QboSeedCompany, QboSeedItem, QboSeedTaxCode } from './options.js';
import type { QboRecord } from './query-evaluation.js';

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

  setRateLimits(limits: Partial<QboRateLimits>): void {
    Object.assign(this.state.settings.rateLimits, limits);
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

  setCustomerActive(realmId: string, customerId: string, active: boolean): QboRecord {
    return this.mustExist(this.state.company(realmId).setActive('Customer', customerId, active), 'Customer', customerId);
  }

  /** Current rows of one entity (Item, TaxCode, TaxRate, Customer, SalesReceipt), active or not. */
  list(realmId: string, entity: string): QboRecord[] {
    return this.state.company(realmId).all(entity);
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
}
