import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import {
  CredentialsInvalidError,
  LedgerRejectedError,
  MissingScopeError,
  PlatformError,
  PlatformUnavailableError,
  RateLimitedError,
} from '../domain/platform-errors.js';
import { SyncErrorType, type SyncFailureDetails } from '../domain/sync-error-types.js';

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
  const retryable = type === SyncErrorType.Throttled || type === SyncErrorType.PlatformUnavailable;
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

/** Translates a platform client's error, naming the integration it came from. Unknown errors pass through (retryable). */
export function toSyncFailure(error: unknown, integrationId: string): unknown {
  if (!(error instanceof PlatformError)) return error;
  if (error instanceof CredentialsInvalidError) {
    return syncFailure(SyncErrorType.CredentialsInvalid, error.message, { detail: `${error.problem}: ${error.detail}`, integrationId, waitingOn: integrationId });
  }
  if (error instanceof MissingScopeError) {
    return syncFailure(SyncErrorType.MissingScope, error.message, { detail: `missing ${error.missingScopes.join(', ')}: ${error.detail}`, integrationId, waitingOn: integrationId });
  }
  if (error instanceof RateLimitedError) {
    return syncFailure(SyncErrorType.Throttled, error.message, { detail: error.detail, integrationId }, { nextRetryDelayMs: Math.max(error.retryAfterMs, 100) });
  }
  if (error instanceof PlatformUnavailableError) {
    return syncFailure(SyncErrorType.PlatformUnavailable, error.message, { detail: error.detail, integrationId });
  }
  if (error instanceof LedgerRejectedError) {
    return syncFailure(SyncErrorType.LedgerRejected, error.message, { detail: `code ${error.code}: ${error.detail}`, integrationId, waitingOn: `ledger:${error.code}` });
  }
  return error;
}

/** Runs a platform call and translates what it throws. */
export async function againstPlatform<T>(integrationId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toSyncFailure(error, integrationId);
  }
}
