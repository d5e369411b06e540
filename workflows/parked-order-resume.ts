import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ParkedOrderResumeActivities } from '../activities/parked-order-resume-activities.js';
import type { ParkedOrderCursor, ResumeSelection, ResumeSignal } from '../runtime/parked-order-resumer.js';

export interface ParkedOrderResumeInput {
  selection: ResumeSelection;
  signal: ResumeSignal;
  /** Orders signalled per second: the platforms see the backlog at this rate. */
  perSecond: number;
  /** Orders per batch (each batch moves the progress); BATCH when not given (runs started before it existed). */
  batchSize?: number;
  /** Progress of the previous run (continue-as-new). */
  carried?: { total: number; done: number; failed: number; after: ParkedOrderCursor };
}

export interface ParkedOrderResumeProgress {
  /** Parked orders the selection covered when the resume started. */
  total: number;
  /** Signalled so far (resumed or failed). */
  done: number;
  failed: number;
  finished: boolean;
}

export const parkedOrderResumeProgressQuery = defineQuery<ParkedOrderResumeProgress>('parkedOrderResumeProgress');

/** Orders signalled per activity at most: one heartbeat-covered batch, small enough to retry cheaply. */
export const BATCH = 100;

const resumer = proxyActivities<ParkedOrderResumeActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});

/**
 * Resumes parked orders (after a reconnect, a saved mapping, an operator's replay) batch by batch, at a
 * bounded rate, with progress an operator can query. It runs on its own so the health workflow and the API
 * never wait for it, and survives API restarts.
 */
export async function parkedOrderResumeWorkflow(input: ParkedOrderResumeInput): Promise<ParkedOrderResumeProgress> {
  const progress: ParkedOrderResumeProgress = {
    total: input.carried?.total ?? 0,
    done: input.carried?.done ?? 0,
    failed: input.carried?.failed ?? 0,
    finished: false,
  };
  let after: ParkedOrderCursor = input.carried?.after ?? null;
  setHandler(parkedOrderResumeProgressQuery, () => progress);
  if (!input.carried) progress.total = await resumer.countParkedOrders({ selection: input.selection });

  for (;;) {
    const batch = await resumer.resumeParkedOrderBatch({ selection: input.selection, signal: input.signal, perSecond: input.perSecond, after, limit: input.batchSize ?? BATCH });
    progress.done += batch.resumed + batch.failed;
    progress.failed += batch.failed;
    // Orders parked after the count are resumed too: the total grows rather than the progress passing it.
    progress.total = Math.max(progress.total, progress.done);
    if (!batch.next) break;
    after = batch.next;
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof parkedOrderResumeWorkflow>({ ...input, carried: { total: progress.total, done: progress.done, failed: progress.failed, after } });
    }
  }
  progress.finished = true;
  return progress;
}
