import { ActivityFailure, ApplicationFailure, condition, continueAsNew, defineSignal, log, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { DiscoverRefundsResult, RefundDiscoveryActivities } from '../activities/refund-discovery-activities.js';
import { SyncErrorType } from '../domain/sync-error-types.js';

export interface RefundDiscoveryTiming {
  /** First wait before the order is read again while it shows more refunded than its store lists. README: 2 minutes. */
  recheckFirstMs: number;
  /** Each later wait is this many times the one before… */
  recheckBackoff: number;
  /** …up to this long. README: 12 hours. */
  recheckMaxMs: number;
  /** Re-reads at most; after the last the order's change is judged with what the store lists then. README: 10 (about a day). */
  rechecks: number;
  /** First retry of a read the store did not answer (5xx, no answer); it doubles up to readRetryMaxMs, without end. */
  readRetryInitialMs: number;
  readRetryMaxMs: number;
  /** How long a read the store refused for now (throttled) waits before it is made again. */
  throttleWaitMs: number;
  /** How often a store that needs a reconnect (or is paused) is looked at again. README: 15 minutes. */
  reconnectRecheckMs: number;
}

export const DEFAULT_REFUND_DISCOVERY_TIMING: RefundDiscoveryTiming = {
  recheckFirstMs: 2 * 60_000,
  recheckBackoff: 2,
  recheckMaxMs: 12 * 3_600_000,
  rechecks: 10,
  readRetryInitialMs: 2_000,
  readRetryMaxMs: 5 * 60_000,
  throttleWaitMs: 60_000,
  reconnectRecheckMs: 15 * 60_000,
};

export interface RefundDiscoveryInput {
  integrationId: string;
  orderId: string;
  timing?: Partial<RefundDiscoveryTiming>;
  /** Re-reads already made (carried across continue-as-new). */
  rechecksDone?: number;
}

export interface RefundDiscoveryResult {
  /** `judged`: the order's refunds were queued and its change handed to the intake; `gone`: nothing left to read. */
  outcome: 'judged' | 'gone';
  refundsListed: number;
  /** What the order showed refunded that no listed refund explained when it was judged ("5.00 GBP"), if anything. */
  unexplained: string | null;
  rechecks: number;
}

/** The store sent another "refunded" notification for the order: read it again now, with the re-checks afresh. */
export const refundNotifiedSignal = defineSignal('refundNotified');

/** History is kept small: a run that has waited through this many reads continues as new. */
const READS_PER_RUN = 50;

/**
 * Refund discovery of one store order (`refund-discovery/<integration>/<order>`), for a store whose notification says
 * only that the order was refunded: started by the order intake after the notification was answered. Reads the order
 * and the refunds its store lists (the activity queues each refund once, by its id), and while the order shows more
 * refunded than the listed refunds explain (a refund the store lists only later), reads it again on a durable timer,
 * backing off; the order's change is judged once the listing explains it, or after the last re-read (a refund made
 * at the payment gateway, which the store never lists, is then reported as a change after booking). A read the store
 * cannot answer is retried by the activity; a store needing a reconnect is looked at again later, never given up on.
 */
export async function refundDiscoveryWorkflow(input: RefundDiscoveryInput): Promise<RefundDiscoveryResult> {
  const timing: RefundDiscoveryTiming = { ...DEFAULT_REFUND_DISCOVERY_TIMING, ...input.timing };
  const store = proxyActivities<RefundDiscoveryActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: timing.readRetryInitialMs, backoffCoefficient: 2, maximumInterval: timing.readRetryMaxMs },
  });
  let notified = false;
  setHandler(refundNotifiedSignal, () => {
    notified = true;
  });
  let rechecks = input.rechecksDone ?? 0;
  let reads = 0;
  for (;;) {
    if (reads >= READS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof refundDiscoveryWorkflow>({ ...input, rechecksDone: rechecks });
    }
    // A notification before this read is answered by it.
    notified = false;
    reads++;
    const read = await readRefunds(store, { integrationId: input.integrationId, orderId: input.orderId, last: rechecks >= timing.rechecks });
    if (read === 'throttled') {
      await sleep(timing.throttleWaitMs);
      continue;
    }
    if (read === 'reconnect') {
      await condition(() => notified, timing.reconnectRecheckMs);
      continue;
    }
    if (read.status === 'gone') {
      log.info('refund discovery: nothing left to read', { orderId: input.orderId, reason: read.reason });
      return { outcome: 'gone', refundsListed: 0, unexplained: null, rechecks };
    }
    if (read.judged) {
      // Another refund notified while this read ran may not be in it: read once more.
      if (notified) {
        rechecks = 0;
        continue;
      }
      return { outcome: 'judged', refundsListed: read.refundsListed, unexplained: read.unexplained, rechecks };
    }
    const delay = Math.min(timing.recheckFirstMs * timing.recheckBackoff ** rechecks, timing.recheckMaxMs);
    rechecks++;
    if (await condition(() => notified, delay)) rechecks = 0;
  }
}

/**
 * One read, or why the store refused it for now: `throttled` (read again after a wait), `reconnect` (a reconnect
 * needed, paused, or another refusal a person must see to: looked at again later). An outage is retried by the
 * activity itself and never gets here.
 */
async function readRefunds(store: RefundDiscoveryActivities, input: Parameters<RefundDiscoveryActivities['discoverOrderRefunds']>[0]): Promise<DiscoverRefundsResult | 'throttled' | 'reconnect'> {
  try {
    return await store.discoverOrderRefunds(input);
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (!(cause instanceof ApplicationFailure) || !cause.nonRetryable) throw error;
    log.warn('refund discovery: the store refused the read for now; reading again later', { orderId: input.orderId, type: cause.type, error: cause.message });
    return cause.type === SyncErrorType.Throttled ? 'throttled' : 'reconnect';
  }
}
