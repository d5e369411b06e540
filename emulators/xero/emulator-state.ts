import { FaultInjector } from '../common/fault-injector.js';
import { EmulatorClock } from './clock.js';
import { GrantStore } from './grant-store.js';
import { IdTokenSigner } from './id-token.js';
import { resolveSettings, type ResolvedXeroSettings, type XeroEmulatorOptions } from './options.js';
import { XeroOrganisation } from './organisation.js';
import { XeroRateLimits } from './rate-limits.js';

export interface LoggedRequest {
  at: string;
  method: string;
  url: string;
  tenantId: string | null;
  /** null when the connection was dropped without an answer. */
  status: number | null;
  idempotencyKey: string | null;
  outcome: 'answered' | 'replayed' | 'dropped' | 'fault-injected' | 'throttled';
}

/** Everything one emulator instance knows; routes and the control object share it. */
export class XeroEmulatorState {
  readonly clock = new EmulatorClock();
  readonly settings: ResolvedXeroSettings;
  readonly grants: GrantStore;
  readonly organisations = new Map<string, XeroOrganisation>();
  readonly limits: XeroRateLimits;
  readonly faults = new FaultInjector();
  readonly idTokens = new IdTokenSigner();
  readonly requests: LoggedRequest[] = [];
  /** The person on the consent page, and the organisations they tick. */
  authorizingUserId = 'user-1';
  authorizingTenantIds: string[];
  denyNextAuthorizations = 0;
  /** The next N writes (PUT/POST) happen and then lose their answer: the connection drops. */
  dropNextWrites = 0;

  constructor(readonly options: XeroEmulatorOptions) {
    if (options.organisations.length === 0) throw new Error('the Xero emulator needs at least one organisation');
    this.settings = resolveSettings(options);
    this.grants = new GrantStore(this.clock, this.settings, options.clientId);
    this.limits = new XeroRateLimits(this.clock, this.settings);
    for (const seed of options.organisations) this.organisations.set(seed.tenantId, new XeroOrganisation(seed, this.clock));
    this.authorizingTenantIds = [options.organisations[0]!.tenantId];
  }

  organisation(tenantId: string): XeroOrganisation {
    const org = this.organisations.get(tenantId);
    if (!org) throw new Error(`no emulated Xero organisation ${tenantId}`);
    return org;
  }

  logRequest(entry: Omit<LoggedRequest, 'at'>): void {
    this.requests.push({ at: new Date(this.clock.now()).toISOString(), ...entry });
  }
}
