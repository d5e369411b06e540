import { FaultInjector } from '../common/fault-injector.js';
import { EmulatorClock } from './clock.js';
import { QboCompany } from './company.js';
import { GrantStore } from './grant-store.js';
import { resolveSettings, type QboEmulatorOptions, type ResolvedQboSettings } from './options.js';
import { RealmRateLimiter } from './rate-limiter.js';

export interface LoggedRequest {
  at: string;
  method: string;
  url: string;
  realmId: string | null;
  /** null when the connection was dropped without an answer. */
  status: number | null;
  requestId: string | null;
  /** 'replayed' when a requestid was answered from the cache. */
  outcome: 'answered' | 'replayed' | 'dropped' | 'fault-injected' | 'throttled';
}

/** Everything one emulator instance knows; routes and the control object share it. */
export class QboEmulatorState {
  readonly clock = new EmulatorClock();
  readonly settings: ResolvedQboSettings;
  readonly grants: GrantStore;
  readonly companies = new Map<string, QboCompany>();
  readonly limiter: RealmRateLimiter;
  readonly faults = new FaultInjector();
  /** Per entity written (SalesReceipt, RefundReceipt, Deposit): the next N creates are written, then their answers dropped. */
  readonly dropNextWrites = new Map<string, number>();
  readonly requests: LoggedRequest[] = [];
  /** Company the authorize page grants access to (the person "picks" it). */
  authorizingRealmId: string;
  /** Next authorizations answered with error=access_denied. */
  denyNextAuthorizations = 0;
  private readonly processing = new Map<string, number>();
  /** Highest number of one company's requests processed at once, per realm (what a limiter test checks). */
  readonly peakInFlight = new Map<string, number>();

  constructor(readonly options: QboEmulatorOptions) {
    if (options.companies.length === 0) throw new Error('the QBO emulator needs at least one company');
    this.settings = resolveSettings(options);
    this.grants = new GrantStore(this.clock, this.settings);
    this.limiter = new RealmRateLimiter(this.clock, this.settings);
    for (const seed of options.companies) this.companies.set(seed.realmId, new QboCompany(seed, this.clock));
    this.authorizingRealmId = options.companies[0]!.realmId;
  }

  company(realmId: string): QboCompany {
    const company = this.companies.get(realmId);
    if (!company) throw new Error(`no emulated QBO company with realmId ${realmId}`);
    return company;
  }

  inFlight(realmId: string): number {
    return this.processing.get(realmId) ?? 0;
  }

  enter(realmId: string): void {
    const count = this.inFlight(realmId) + 1;
    this.processing.set(realmId, count);
    this.peakInFlight.set(realmId, Math.max(count, this.peakInFlight.get(realmId) ?? 0));
  }

  leave(realmId: string): void {
    this.processing.set(realmId, Math.max(0, this.inFlight(realmId) - 1));
  }

  logRequest(entry: Omit<LoggedRequest, 'at'>): void {
    this.requests.push({ at: new Date(this.clock.now()).toISOString(), ...entry });
  }
}
