import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  ParentClosePolicy,
  patched,
  startChild,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { IntegrationHealthActivities } from '../activities/integration-health-activities.js';
import type { HealthCheckResult, HealthCheckRun } from '../activities/integration-health-types.js';
import type { ConnectionProblem } from '../activities/order-sync-activities.js';
import type { IntegrationStatus } from '../domain/integration-status.js';
import { failedRecordOf, HealthState, type CarriedHealthState, type IgnoredReports, type Incident } from './integration-health-state.js';
import { IntegrationStatusKey } from './search-attributes.js';
import { parkedOrderResumeWorkflow } from './parked-order-resume.js';

export interface IntegrationHealthInput {
  integrationId: string;
  /** Between scheduled checks; default 5 minutes. */
  checkIntervalMs?: number;
  /** Failures after the incident email are gathered this long into one digest; default 10 minutes. */
  digestWindowMs?: number;
  /** State of the previous run (continue-as-new). */
  carried?: CarriedHealthState;
}

export interface HealthCheckOutcome {
  status: IntegrationStatus;
  reason: string | null;
  results: HealthCheckResult[];
  checkedAt: string;
}

export interface IntegrationHealthView {
  status: IntegrationStatus | null;
  reason: string | null;
  paused: boolean;
  lastCheck: HealthCheckRun | null;
  incident: { id: string; openedAt: string; digestsSent: number; waitingCount: number } | null;
  lastResume: { resumed: number; failed: number; at: string } | null;
  nextCheckAt: string | null;
  /** The newest grant this workflow knows of (integrations.grant_generation); null until a reconnect or check told it. */
  grantGeneration: number | null;
  /** Connection problems reported under a grant replaced since, ignored. */
  ignoredReports: IgnoredReports;
}

/** Sent with credentialsUpdated by who saved a new grant; older senders send nothing. */
export interface CredentialsUpdate {
  grantGeneration: number;
}

/** An order sync hit a credentials error (401, AuthenticationFault, invalid_grant) or a paused integration. */
export const connectionProblemSignal = defineSignal<[ConnectionProblem]>('connectionProblem');
/** Shopify sent app/uninstalled (or a ledger reported its grant revoked). */
export const appUninstalledSignal = defineSignal('appUninstalled');
/** New tokens were saved (OAuth callback): check again, and resume parked orders when Connected. */
export const credentialsUpdatedSignal = defineSignal<[CredentialsUpdate?]>('credentialsUpdated');
/** An operator disconnected (paused) the integration: status Disconnected, no checks, syncs wait. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
/** "Check health" button: runs the four checks now and answers with them. */
export const checkHealthUpdate = defineUpdate<HealthCheckOutcome>('checkHealth');
export const integrationHealthQuery = defineQuery<IntegrationHealthView>('integrationHealth');

export const DEFAULT_CHECK_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_DIGEST_WINDOW_MS = 10 * 60_000;

const checks = proxyActivities<IntegrationHealthActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3 },
});
const bookkeeping = proxyActivities<IntegrationHealthActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
// Housekeeping on every check; a failure waits for the next check.
const sweeper = proxyActivities<IntegrationHealthActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 2 },
});
// A few tries only: an alert email resent many times is worse than one logged failure.
const mail = proxyActivities<IntegrationHealthActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 5 },
});
// Resuming a large backlog at a bounded rate takes a while.
const resumer = proxyActivities<IntegrationHealthActivities>({
  startToCloseTimeout: '1 hour',
  retry: { initialInterval: '5 seconds', maximumAttempts: 3 },
});

/**
 * One per integration (ID `integration-health/<integrationId>`), for the integration's whole life. Knows its
 * status at all times: runs the four checks on an interval and on demand, reacts at once to failures the
 * order syncs report, sends one email per incident plus digests and an all-clear, and resumes parked
 * orders when the connection works again.
 */
export async function integrationHealthWorkflow(input: IntegrationHealthInput): Promise<void> {
  const { integrationId } = input;
  const intervalMs = input.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  const digestWindowMs = input.digestWindowMs ?? DEFAULT_DIGEST_WINDOW_MS;
  const state = new HealthState(input.carried);
  // A fresh start checks at once; a continued run keeps the schedule it had.
  let nextCheckAt = state.nextCheckAt ? Date.parse(state.nextCheckAt) : Date.now();
  let checkTickets = 0;
  let checksDone = 0;
  let deleted = false;

  setHandler(connectionProblemSignal, (problem) => {
    // A failure under a newer grant than known tells of a reconnect whose signal is still on its way.
    state.learnGrant(problem.grantGeneration);
    state.pendingProblems.push(problem);
  });
  setHandler(appUninstalledSignal, () => {
    state.uninstallReported = true;
  });
  setHandler(credentialsUpdatedSignal, (update) => {
    state.learnGrant(update?.grantGeneration);
    // Reconnecting is also how a paused integration comes back.
    state.paused = false;
    state.resumeOnConnected = true;
    state.requestCheck('reconnected through OAuth');
  });
  setHandler(pauseSignal, () => {
    state.paused = true;
  });
  setHandler(resumeSignal, () => {
    if (!state.paused) return;
    // A pause handled together with this resume never got to record Disconnected, but an account switch writes it
    // to the row itself: the verdict that follows is recorded whatever this workflow last recorded.
    state.statusUnconfirmed = true;
    state.paused = false;
    state.resumeOnConnected = true;
    state.requestCheck('resumed by an operator');
  });
  setHandler(checkHealthUpdate, async () => {
    const ticket = ++checkTickets;
    await condition(() => checksDone >= ticket || deleted);
    if (deleted || !state.lastCheck) throw ApplicationFailure.create({ type: 'IntegrationDeleted', message: `Integration ${integrationId} was deleted.` });
    return { status: state.status ?? state.lastCheck.verdict.status, reason: state.reason, results: state.lastCheck.results, checkedAt: state.lastCheck.checkedAt };
  });
  setHandler(integrationHealthQuery, () => ({
    status: state.status,
    reason: state.reason,
    paused: state.paused,
    lastCheck: state.lastCheck,
    incident: state.incident
      ? { id: state.incident.id, openedAt: state.incident.openedAt, digestsSent: state.incident.digestsSent, waitingCount: state.incident.waitingCount }
      : null,
    lastResume: state.lastResume,
    nextCheckAt: new Date(nextCheckAt).toISOString(),
    grantGeneration: state.grantGeneration,
    ignoredReports: state.ignoredReports,
  }));

  const now = () => new Date().toISOString();

  async function setStatus(status: IntegrationStatus, reason: string | null, cause: string, check: string | null): Promise<void> {
    if (status === state.status && reason === state.reason && !(state.statusUnconfirmed && patched('health-records-status-after-resume'))) return;
    state.statusUnconfirmed = false;
    await bookkeeping.recordHealthStatus({ integrationId, status, reason, cause, check });
    if (status !== state.status) upsertSearchAttributes([{ key: IntegrationStatusKey, value: status }]);
    state.status = status;
    state.reason = reason;
  }

  async function email<T>(send: () => Promise<T>): Promise<void> {
    try {
      await send();
    } catch (error) {
      // The status and the API still tell the story; a mail outage must not stop the health workflow.
      log.warn('health email could not be sent', { integrationId, error: (error as Error).message });
    }
  }

  /** The first failure of an incident: one email, naming the failed record when there is one. */
  async function openIncident(problem: ConnectionProblem | null): Promise<void> {
    const incident: Incident = { id: uuid4(), openedAt: now(), digestsSent: 0, waiting: [], waitingCount: 0, windowStartedAt: null, seen: [] };
    state.incident = incident;
    const record = problem ? failedRecordOf(problem) : null;
    if (record) incident.seen.push(`${record.routeId}/${record.orderId}`);
    await email(() =>
      mail.sendIncidentEmail({
        integrationId,
        incidentId: incident.id,
        status: state.status ?? 'error',
        // The check's wording is ours and plain; the sync's own message is the fallback.
        message: state.reason ?? problem?.message ?? 'The connection stopped working.',
        detail: problem?.detail ?? null,
        record,
        occurredAt: incident.openedAt,
      }),
    );
  }

  /** Failures reported while the connection is known broken join the incident (and its next digest). */
  async function absorbProblems(): Promise<void> {
    for (const problem of state.pendingProblems.splice(0)) {
      if (!state.incident) await openIncident(problem);
      else state.collect(failedRecordOf(problem), now());
    }
  }

  async function sendDigest(): Promise<void> {
    const incident = state.incident!;
    const request = {
      integrationId,
      incidentId: incident.id,
      sequence: ++incident.digestsSent,
      records: incident.waiting,
      totalWaiting: incident.waitingCount,
    };
    incident.waiting = [];
    incident.waitingCount = 0;
    incident.windowStartedAt = null;
    await email(() => mail.sendDigestEmail(request));
  }

  async function resumeParkedOrders(): Promise<number> {
    state.resumeOnConnected = false;
    if (patched('health-resumes-in-own-workflow')) {
      // Its own workflow: a backlog of thousands at a few a second must not keep "Check now" waiting.
      try {
        const { total, entities, perSecond } = await bookkeeping.countParkedOrdersOfIntegration({ integrationId });
        // Customer and product syncs parked on the integration wake with its orders. `entities` is absent from counts
        // recorded before they did, so such a history still decides as it did.
        if (total + (entities ?? 0) > 0) {
          await startChild(parkedOrderResumeWorkflow, {
            workflowId: `parked-order-resume/${integrationId}/${uuid4()}`,
            args: [{ selection: { integrationId, waitingOn: integrationId, includeEntitySyncs: true }, signal: 'reconnected', perSecond }],
            parentClosePolicy: ParentClosePolicy.ABANDON,
          });
        }
        state.lastResume = { resumed: total, failed: 0, at: now() };
        return total;
      } catch (error) {
        state.resumeOnConnected = true;
        log.warn('parked orders could not be resumed', { integrationId, error: (error as Error).message });
        return 0;
      }
    }
    try {
      const outcome = await resumer.resumeParkedOrdersOfIntegration({ integrationId });
      state.lastResume = { ...outcome, at: now() };
      return outcome.resumed;
    } catch (error) {
      state.resumeOnConnected = true;
      log.warn('parked orders could not be resumed', { integrationId, error: (error as Error).message });
      return 0;
    }
  }

  async function runCheck(cause: string): Promise<void> {
    // Only failures reported before the check started can be explained by its result: later ones may
    // come from a break that happened while it ran, and must be judged by the next check.
    const reportedBeforeCheck = state.pendingProblems.length;
    let run: HealthCheckRun;
    try {
      run = await checks.runHealthChecks({ integrationId });
    } catch (error) {
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'IntegrationDeleted') {
        deleted = true;
        return;
      }
      const message = `The health check could not run: ${(error as Error).message}`;
      run = {
        results: (['oauth_connected', 'token_fresh', 'scopes_granted', 'test_call'] as const).map((check) => ({ check, ok: false, message })),
        verdict: { status: 'error', reason: message, check: null },
        checkedAt: now(),
      };
    }
    state.lastCheck = run;
    state.learnGrant(run.grantGeneration);
    await bookkeeping.saveHealthCheckResults({ integrationId, run });
    if (state.paused) return; // a check-now while paused answers, but the integration stays Disconnected

    const problem = state.pendingProblems[0];
    const why = problem ? `order ${problem.orderName ?? problem.orderId} failed to sync (${problem.errorType})` : cause;
    const { verdict } = run;
    await setStatus(verdict.status, verdict.reason, why, verdict.check);

    if (verdict.status === 'connected') {
      state.everConnected = true;
      // The check passes, so orders parked by these reports waited for nothing: let them go on.
      const answered = patched('health-keeps-problems-reported-during-a-check') ? reportedBeforeCheck : state.pendingProblems.length;
      const hadProblems = state.pendingProblems.splice(0, answered).length > 0;
      let resumed = 0;
      if (state.resumeOnConnected || hadProblems) resumed = await resumeParkedOrders();
      const incident = state.incident;
      if (incident) {
        state.incident = null;
        await email(() => mail.sendAllClearEmail({ integrationId, incidentId: incident.id, resumedCount: resumed }));
      }
      return;
    }
    state.resumeOnConnected = true;
    if (!state.incident && state.pendingProblems.length === 0 && state.everConnected) await openIncident(null);
    await absorbProblems();
  }

  if (state.status) upsertSearchAttributes([{ key: IntegrationStatusKey, value: state.status }]);

  for (;;) {
    if (deleted) {
      await condition(allHandlersFinished);
      return;
    }

    // A sync that failed under the grant a reconnect has since replaced reports late: its failure says nothing
    // of the current grant, so it neither asks for a check nor joins an incident (no Reconnect required, no email).
    if (state.pendingProblems.some((problem) => state.isOfReplacedGrant(problem)) && patched('health-ignores-reports-of-replaced-grants')) {
      const replaced = state.takeReportsOfReplacedGrants(now());
      log.info('connection problems reported under a replaced grant were ignored', {
        integrationId,
        grantGeneration: state.grantGeneration,
        reports: replaced.map((problem) => ({ orderId: problem.orderId, routeId: problem.routeId, grantGeneration: problem.grantGeneration })),
      });
      // Their orders wait for a reconnect that came before their report did: they retry under the current grant.
      if (state.status === 'connected' && !state.paused) await resumeParkedOrders();
      continue;
    }

    if (state.uninstallReported) {
      state.uninstallReported = false;
      await setStatus(
        'reconnect_required',
        'The app was uninstalled from the shop. Please reconnect your integration to install it again.',
        'app/uninstalled webhook',
        null,
      );
      state.resumeOnConnected = true;
      if (!state.incident) await openIncident(state.pendingProblems.shift() ?? null);
      continue;
    }

    if (state.paused && state.status !== 'disconnected') {
      await setStatus('disconnected', 'Paused by an operator. Syncs wait until the integration is resumed.', 'paused by an operator', null);
      state.resumeOnConnected = true;
      continue;
    }

    if (state.pendingProblems.length > 0) {
      // While paused, syncs report that they wait for the resume: nothing to learn from them.
      if (state.paused) state.pendingProblems.length = 0;
      else if (state.broken) await absorbProblems();
      else state.requestCheck('order sync failed');
    }

    const checkDue = !state.paused && Date.now() >= nextCheckAt;
    if (state.checkRequested || checkDue || checkTickets > checksDone) {
      const upTo = checkTickets;
      const cause = checkTickets > checksDone && !state.checkRequested && !checkDue ? 'health check requested' : state.takeCheckCause();
      state.checkRequested = false;
      await runCheck(cause);
      checksDone = upTo;
      nextCheckAt = Date.now() + intervalMs;
      // After the check has answered: order rows whose sync ended without booking are shown Failed, never Syncing forever.
      if (!deleted && patched('health-marks-ended-order-syncs')) {
        try {
          await sweeper.markEndedOrderSyncs({ integrationId });
        } catch (error) {
          log.warn('ended order syncs could not be marked', { integrationId, error: (error as Error).message });
        }
      }
      continue;
    }

    const digestDueAt = state.digestDueAt(digestWindowMs);
    if (digestDueAt !== null && Date.now() >= digestDueAt) {
      await sendDigest();
      continue;
    }

    if (workflowInfo().continueAsNewSuggested) {
      // An update waiting for a check is work, not a handler to wait for.
      await condition(() => allHandlersFinished() || hasWork());
      if (!hasWork()) {
        state.nextCheckAt = new Date(nextCheckAt).toISOString();
        await continueAsNew<typeof integrationHealthWorkflow>({ ...input, carried: state.snapshot() });
      }
      continue;
    }

    const wakeAt = Math.min(state.paused ? Infinity : nextCheckAt, digestDueAt ?? Infinity);
    if (wakeAt === Infinity) await condition(hasWork);
    else await condition(hasWork, Math.max(1, wakeAt - Date.now()));
  }

  function hasWork(): boolean {
    return (
      state.checkRequested ||
      state.uninstallReported ||
      state.pendingProblems.length > 0 ||
      checkTickets > checksDone ||
      (state.paused && state.status !== 'disconnected')
    );
  }
}
