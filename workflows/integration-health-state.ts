import type { FailedRecord, HealthCheckRun } from '../activities/integration-health-types.js';
import type { ConnectionProblem } from '../activities/order-sync-activities.js';
import type { IntegrationStatus } from '../domain/integration-status.js';

/** Records listed by name in a digest; the rest are counted ("and 37 more orders are waiting"). */
const DIGEST_LISTED = 10;
/** Records remembered per incident so a re-failing order is not counted twice; beyond it we only count. */
const SEEN_CAP = 2_000;

/** One stretch of broken connection: one incident email, digests of later failures, one all-clear. */
export interface Incident {
  id: string;
  openedAt: string;
  digestsSent: number;
  /** Failed records not yet in a digest (the first few). */
  waiting: FailedRecord[];
  /** How many failed records are not yet in a digest, listed or not. */
  waitingCount: number;
  /** When the first record of the next digest arrived: the digest window runs from here. */
  windowStartedAt: string | null;
  seen: string[];
}

/** Everything the health workflow knows, carried across continue-as-new. */
export interface CarriedHealthState {
  status: IntegrationStatus | null;
  reason: string | null;
  paused: boolean;
  /** Once Connected, a later failure is an incident worth an email (a never-connected integration is not). */
  everConnected: boolean;
  /** Orders may be parked on this integration: resume them when it is Connected again. */
  resumeOnConnected: boolean;
  checkRequested: boolean;
  /** Why the next check runs, for the transition history. */
  checkCause: string | null;
  uninstallReported: boolean;
  pendingProblems: ConnectionProblem[];
  incident: Incident | null;
  lastCheck: HealthCheckRun | null;
  lastResume: { resumed: number; failed: number; at: string } | null;
  nextCheckAt: string | null;
  /** The newest grant known (integrations.grant_generation, from reconnects and checks); absent in older runs. */
  grantGeneration?: number | null;
  /** Reports of replaced grants, ignored; absent in older runs. */
  ignoredReports?: IgnoredReports;
  /**
   * The row's status may not be what this workflow last recorded (an account switch writes Disconnected itself):
   * the next verdict is recorded even when it matches. Absent in older runs.
   */
  statusUnconfirmed?: boolean;
}

/** Connection problems reported under a grant replaced since (they arrived after the reconnect): counted, not acted on. */
export interface IgnoredReports {
  count: number;
  last: { routeId: string; orderId: string; orderName: string | null; grantGeneration: number; currentGeneration: number; at: string } | null;
}

export function recordKey(record: FailedRecord): string {
  return `${record.routeId}/${record.orderId}`;
}

export function failedRecordOf(problem: ConnectionProblem): FailedRecord {
  return { routeId: problem.routeId, orderId: problem.orderId, orderName: problem.orderName };
}

/** The workflow's state and the small rules over it; no I/O, so it is easy to follow and to carry. */
export class HealthState implements CarriedHealthState {
  status: IntegrationStatus | null = null;
  reason: string | null = null;
  paused = false;
  everConnected = false;
  resumeOnConnected = false;
  checkRequested = false;
  checkCause: string | null = null;
  uninstallReported = false;
  pendingProblems: ConnectionProblem[] = [];
  incident: Incident | null = null;
  lastCheck: HealthCheckRun | null = null;
  lastResume: { resumed: number; failed: number; at: string } | null = null;
  nextCheckAt: string | null = null;
  grantGeneration: number | null = null;
  ignoredReports: IgnoredReports = { count: 0, last: null };
  statusUnconfirmed = false;

  constructor(carried?: CarriedHealthState) {
    if (carried) Object.assign(this, carried);
  }

  /** Known to be broken: a new failure joins the incident instead of asking for a check. */
  get broken(): boolean {
    return this.status === 'reconnect_required' || this.status === 'error';
  }

  /** A reconnect or a check told of this grant: remembered when it is the newest known. */
  learnGrant(generation: number | null | undefined): void {
    if (typeof generation === 'number' && generation > (this.grantGeneration ?? -1)) this.grantGeneration = generation;
  }

  /** The failing call ran under a grant replaced since: it tells nothing of the current one. Unknown generations never are. */
  isOfReplacedGrant(problem: ConnectionProblem): boolean {
    return typeof problem.grantGeneration === 'number' && this.grantGeneration !== null && problem.grantGeneration < this.grantGeneration;
  }

  /** Takes the pending reports of replaced grants out of the queue, counting them as ignored. */
  takeReportsOfReplacedGrants(now: string): ConnectionProblem[] {
    const replaced = this.pendingProblems.filter((problem) => this.isOfReplacedGrant(problem));
    this.pendingProblems = this.pendingProblems.filter((problem) => !this.isOfReplacedGrant(problem));
    const last = replaced.at(-1);
    if (last) {
      this.ignoredReports = {
        count: this.ignoredReports.count + replaced.length,
        last: { ...failedRecordOf(last), grantGeneration: last.grantGeneration!, currentGeneration: this.grantGeneration!, at: now },
      };
    }
    return replaced;
  }

  requestCheck(cause: string): void {
    this.checkRequested = true;
    this.checkCause ??= cause;
  }

  takeCheckCause(): string {
    const cause = this.checkCause ?? 'scheduled health check';
    this.checkRequested = false;
    this.checkCause = null;
    return cause;
  }

  /** Adds a failed record to the incident's next digest; false when it was already counted. */
  collect(record: FailedRecord, now: string): boolean {
    const incident = this.incident;
    if (!incident) return false;
    const key = recordKey(record);
    if (incident.seen.includes(key)) return false;
    if (incident.seen.length < SEEN_CAP) incident.seen.push(key);
    if (incident.waiting.length < DIGEST_LISTED) incident.waiting.push(record);
    incident.waitingCount++;
    incident.windowStartedAt ??= now;
    return true;
  }

  digestDueAt(windowMs: number): number | null {
    const start = this.incident?.windowStartedAt;
    return start && this.incident!.waitingCount > 0 ? Date.parse(start) + windowMs : null;
  }

  snapshot(): CarriedHealthState {
    return {
      status: this.status,
      reason: this.reason,
      paused: this.paused,
      everConnected: this.everConnected,
      resumeOnConnected: this.resumeOnConnected,
      checkRequested: this.checkRequested,
      checkCause: this.checkCause,
      uninstallReported: this.uninstallReported,
      pendingProblems: this.pendingProblems,
      incident: this.incident,
      lastCheck: this.lastCheck,
      lastResume: this.lastResume,
      nextCheckAt: this.nextCheckAt,
      grantGeneration: this.grantGeneration,
      ignoredReports: this.ignoredReports,
      statusUnconfirmed: this.statusUnconfirmed,
    };
  }
}
