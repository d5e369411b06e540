import { condition, sleep } from '@temporalio/workflow';
import { parkReasonFor, SyncErrorType, waitsOnPerson, type ParkReason } from '../domain/sync-error-types.js';
import { stepFailureOf, WorkerLostType } from './order-sync.js';

const WORKER_LOSS_RERUNS = 3;

/** A refund or payout sync as its steps park it: its status, its resume flag, its state and its row. */
export interface ParkingSync {
  throttleWaitMs: number;
  recheckAfter: Record<ParkReason, number>;
  status: { waitingOn: string | null; lastError: { code: string; message: string } | null; attempts: number };
  /** Set by the sync's retry signal. */
  resume: { requested: boolean };
  setState(state: 'waiting_for_reconnect' | 'waiting_for_fix' | 'waiting_for_retry' | 'syncing', errorCode: string | null): void;
  record(
    rowStatus: 'waiting' | 'failed' | 'syncing',
    extra: { waitingFor?: ParkReason; waitingOn?: string | null; error?: { code: string; message: string } | null; newAttempt?: boolean },
  ): Promise<unknown>;
}

/**
 * Runs a step of a refund or payout sync: throttling waits and runs it again, a lost worker re-runs it a few times,
 * and any failure a person must handle parks it (Waiting or Failed, on its row and in the search attributes) until a
 * retry signal or the re-check timer, then runs it again as a new attempt.
 */
export async function parkingStep<T>(run: () => Promise<T>, sync: ParkingSync): Promise<T> {
  let workerLosses = 0;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      const failure = stepFailureOf(error);
      if (!failure) throw error;
      if (failure.code === SyncErrorType.Throttled) {
        await sleep(sync.throttleWaitMs);
        continue;
      }
      if (failure.code === WorkerLostType && workerLosses++ < WORKER_LOSS_RERUNS) continue;
      const reason = parkReasonFor(failure.code) ?? 'retry';
      const { status } = sync;
      status.waitingOn = failure.details.waitingOn ?? null;
      status.lastError = { code: failure.code, message: failure.message };
      sync.resume.requested = false;
      sync.setState(reason === 'reconnect' ? 'waiting_for_reconnect' : reason === 'fix' ? 'waiting_for_fix' : 'waiting_for_retry', failure.code);
      await sync.record(waitsOnPerson(failure.code) ? 'waiting' : 'failed', { waitingFor: reason, waitingOn: status.waitingOn, error: status.lastError });
      await condition(() => sync.resume.requested, sync.recheckAfter[reason]);
      status.attempts++;
      status.waitingOn = null;
      sync.setState('syncing', null);
      await sync.record('syncing', { newAttempt: true });
    }
  }
}
