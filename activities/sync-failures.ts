import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import {
  CredentialsInvalidError,
  DailyQuotaExhaustedError,
  LedgerConnectorAbsentError,
  LedgerRejectedError,
  LedgerSettingMissingError,
  MissingScopeError,
  PlatformError,
  PlatformUnavailableError,
  RateLimitedError,
} from '../domain/platform-errors.js';
import { ledgerRefusalWait, SyncErrorType, type SyncFailureDetails } from '../domain/sync-error-types.js';
import { pause } from './activity-heartbeat.js';

/**
 * How long one activity waits out a platform's throttling itself (heartbeating) before handing it to the
 * workflow, which waits a minute and runs the step again. Either way no attempt is spent on it.
 */
export const DEFAULT_THROTTLE_PATIENCE_MS = 5 * 60_000;
let throttlePatienceMs = DEFAULT_THROTTLE_PATIENCE_MS;

/** Set once per worker process (tests shorten it to exercise the workflow's own wait). */
export function setThrottlePatience(ms: number): void {
  throttlePatienceMs = ms;
}

/**
 * Builds the one ApplicationFailure per cause. `message` is what a bookkeeper reads in our UI,
 * the Temporal UI and emails; `details[0].detail` is for an engineer.
 */
export function syncFailure(
  type: SyncErrorType,
  message: string,
  details: Partial<SyncFailureDetails> & { detail: string },
  options: { nextRetryDelayMs?: number } = {},
): ApplicationFailure {
  // Throttling reaches the workflow only once the activity has waited it out long enough: the workflow
  // waits on (a timer), so the activity's attempts stay for real failures.
  const retryable = type === SyncErrorType.PlatformUnavailable;
  const full: SyncFailureDetails = { integrationId: null, waitingOn: null, ...details };
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: !retryable,
    details: [full],
    nextRetryDelay: options.nextRetryDelayMs,
    // Expected outcomes (a person must act, or the platform said "slow down") are not worker errors:
    // BENIGN keeps them out of warning logs and failure metrics. Outages stay loud.
    ...(type === SyncErrorType.PlatformUnavailable ? {} : { category: ApplicationFailureCategory.BENIGN }),
  });
}

/**
 * The integration a platform call went to: its id, or its row, whose grant generation then goes with a credentials
 * failure (the health workflow tells a failure of a replaced grant from one of the current grant by it).
 */
export type CalledIntegration = string | { id: string; grantGeneration: number };

/** Translates a platform client's error, naming the integration it came from. Unknown errors pass through (retryable). */
export function toSyncFailure(error: unknown, called: CalledIntegration): unknown {
  if (!(error instanceof PlatformError)) return error;
  const integrationId = typeof called === 'string' ? called : called.id;
  const grant = typeof called === 'string' ? {} : { grantGeneration: called.grantGeneration };
  if (error instanceof CredentialsInvalidError) {
    return syncFailure(SyncErrorType.CredentialsInvalid, error.message, { detail: `${error.problem}: ${error.detail}`, integrationId, waitingOn: integrationId, ...grant });
  }
  if (error instanceof MissingScopeError) {
    return syncFailure(SyncErrorType.MissingScope, error.message, { detail: `missing ${error.missingScopes.join(', ')}: ${error.detail}`, integrationId, waitingOn: integrationId, ...grant });
  }
  if (error instanceof DailyQuotaExhaustedError) {
    // Hours away: the order parks where people look (Waiting, with the reset time) instead of throttling unseen.
    return syncFailure(SyncErrorType.DailyQuotaExhausted, error.message, { detail: `resets at ${error.resetsAt}: ${error.detail}`, integrationId, waitingOn: dailyQuotaWait(error.resetsAt) });
  }
  if (error instanceof RateLimitedError) {
    return syncFailure(SyncErrorType.Throttled, error.message, { detail: error.detail, integrationId }, { nextRetryDelayMs: Math.max(error.retryAfterMs, 100) });
  }
  if (error instanceof PlatformUnavailableError) {
    return syncFailure(SyncErrorType.PlatformUnavailable, error.message, { detail: error.detail, integrationId });
  }
  if (error instanceof LedgerConnectorAbsentError) {
    // Waiting for the bookkeeper's Web Connector, not refused: shown Waiting, resumed by its next visit (same wait key).
    return syncFailure(SyncErrorType.LedgerNotConnected, error.message, { detail: `code ${error.code}: ${error.detail}`, integrationId, waitingOn: ledgerRefusalWait(error.code) });
  }
  if (error instanceof LedgerSettingMissingError) {
    // Waits for the operator's choice (Waiting, not Failed); choosing it resumes parked payouts of the route.
    return syncFailure(SyncErrorType.LedgerSettingMissing, error.message, { detail: error.detail, integrationId, waitingOn: `route-option:${error.option}` });
  }
  if (error instanceof LedgerRejectedError) {
    return syncFailure(SyncErrorType.LedgerRejected, error.message, { detail: `code ${error.code}: ${error.detail}`, integrationId, waitingOn: ledgerRefusalWait(error.code) });
  }
  return error;
}

/** What an order parked on a used-up daily quota waits on: the moment the day rolls over. */
export function dailyQuotaWait(resetsAt: string): string {
  return `daily-quota-reset:${resetsAt}`;
}

/**
 * Runs a platform call and translates what it throws. A throttled call is waited out (Retry-After) and
 * made again within the activity, so throttling never spends one of the activity's attempts.
 */
export async function againstPlatform<T>(integration: CalledIntegration, call: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + throttlePatienceMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof RateLimitedError && Date.now() + error.retryAfterMs <= giveUpAt) {
        await pause(Math.max(error.retryAfterMs, 100));
        continue;
      }
      throw toSyncFailure(error, integration);
    }
  }
}
