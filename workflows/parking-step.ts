import { condition, patched, sleep } from '@temporalio/workflow';
import { parkReasonFor, SyncErrorType, waitsOnPerson, type ParkReason } from '../domain/sync-error-types.js';
import { stepFailureOf, WorkerLostType } from './order-sync.js';
import type { OrderSyncTiming } from './order-sync-timing.js';

const WORKER_LOSS_RERUNS = 3;

export type ParkedState = 'waiting_for_reconnect' | 'waiting_for_fix' | 'waiting_for_retry';

/** What a sync workflow (a refund's, a customer's, a product's) lends the step runner. */
export interface ParkingStepHost {
  timing: Pick<OrderSyncTiming, 'recheckWaitingMs' | 'recheckFailedMs' | 'throttleWaitMs'>;
  status: { waitingOn: string | null; lastError: { code: string; message: string } | null; attempts: number };
  /** Set by the workflow's retry signal; the runner clears it when it parks. */
  resume: { requested: boolean };
  setState(state: ParkedState | 'syncing', errorCode: string | null): void;
  /** Writes the row; a park's answer may say its fix came before the row said Waiting (no signal will come for it). */
  record(
    rowStatus: 'waiting' | 'failed' | 'syncing',
    extra: { waitingFor?: ParkReason; waitingOn?: string | null; error?: { code: string; message: string } | null; newAttempt?: boolean },
  ): Promise<{ resolvedMeanwhile?: boolean } | void>;
}

/**
 * A park whose record answers that its fix is already there (the route released between the booking's halt check and
 * its row saying "halted", so the release signalled nothing) goes on at once. Runs recorded before had no answer.
 */
export const ResumesWhenResolvedMeanwhilePatch = 'parking-step-resumes-when-resolved-meanwhile';

/**
 * Runs a step; a failure a person must handle parks the sync (its row says Waiting or Failed, and why), and the step
 * runs again once resumed (a signal, or the re-check timer). Throttling is waited out; a lost worker reruns the step.
 */
export function parkingStepRunner(host: ParkingStepHost): <T>(run: () => Promise<T>) => Promise<T> {
  const { timing, status } = host;
  const recheckAfter: Record<ParkReason, number> = { reconnect: timing.recheckWaitingMs, fix: timing.recheckWaitingMs, retry: timing.recheckFailedMs };
  return async function step<T>(run: () => Promise<T>): Promise<T> {
    let workerLosses = 0;
    for (;;) {
      try {
        return await run();
      } catch (error) {
        const failure = stepFailureOf(error);
        if (!failure) throw error;
        if (failure.code === SyncErrorType.Throttled) {
          await sleep(timing.throttleWaitMs);
          continue;
        }
        if (failure.code === WorkerLostType && workerLosses++ < WORKER_LOSS_RERUNS) continue;
        const reason = parkReasonFor(failure.code) ?? 'retry';
        status.waitingOn = failure.details.waitingOn ?? null;
        status.lastError = { code: failure.code, message: failure.message };
        host.resume.requested = false;
        host.setState(reason === 'reconnect' ? 'waiting_for_reconnect' : reason === 'fix' ? 'waiting_for_fix' : 'waiting_for_retry', failure.code);
        const recorded = await host.record(waitsOnPerson(failure.code) ? 'waiting' : 'failed', { waitingFor: reason, waitingOn: status.waitingOn, error: status.lastError });
        if (recorded?.resolvedMeanwhile && patched(ResumesWhenResolvedMeanwhilePatch)) host.resume.requested = true;
        await condition(() => host.resume.requested, recheckAfter[reason]);
        status.attempts++;
        status.waitingOn = null;
        host.setState('syncing', null);
        await host.record('syncing', { newAttempt: true });
      }
    }
  };
}
