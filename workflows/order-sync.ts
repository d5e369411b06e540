import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  makeContinueAsNewFunc,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { currentDetailsFor } from '../domain/order-triage.js';
import { parkReasonFor, SyncErrorType, waitsOnPerson, type ParkReason, type SyncFailureDetails } from '../domain/sync-error-types.js';
import { bookkeepingActivities, platformActivities, type BookkeepingActivities } from './order-sync-activity-proxies.js';
import { DEFAULT_ORDER_SYNC_TIMING, type OrderSyncTiming } from './order-sync-timing.js';
import { SyncErrorCodeKey, SyncStateKey } from './search-attributes.js';

export { DEFAULT_ORDER_SYNC_TIMING, type OrderSyncTiming } from './order-sync-timing.js';

export interface OrderSyncInput {
  routeId: string;
  orderId: string;
  /** Display name when the trigger knew it ("#1001"); the fetched order has the final word. */
  orderName?: string | null;
  /** Waits and re-checks; defaults in DEFAULT_ORDER_SYNC_TIMING (tests shorten them). */
  timing?: Partial<OrderSyncTiming>;
  /** What the previous run knew, when this run continues it (continue-as-new). */
  carried?: { attempts: number };
}

export type OrderSyncState = 'syncing' | 'waiting_for_reconnect' | 'waiting_for_fix' | 'waiting_for_retry' | 'synced' | 'already_synced' | 'skipped';

export interface OrderSyncStatus {
  state: OrderSyncState;
  orderName: string | null;
  /** What the order waits on: "sku:ABC-1", "tax:VAT@20", an integration id. */
  waitingOn: string | null;
  lastError: { code: string; message: string; detail: string; suggestions: SyncFailureDetails['suggestions'] } | null;
  ledgerDocument: { id: string; docNumber: string } | null;
  attempts: number;
}

export interface OrderSyncResult {
  outcome: 'created' | 'already_synced' | 'skipped';
  message: string;
  ledgerDocument: { id: string; docNumber: string } | null;
}

/** Credentials were fixed (OAuth reconnect, integration resumed): go on from where the order stopped. */
export const reconnectedSignal = defineSignal('reconnected');
/** A person asks to try again now (after fixing something in the ledger, or after an outage). */
export const retrySignal = defineSignal('retry');
/** A SKU or tax mapping was saved; `waitingOn` names it ("sku:ABC-1"). */
export const mappingSavedSignal = defineSignal<[{ waitingOn: string }]>('mappingSaved');
export const orderSyncStatusQuery = defineQuery<OrderSyncStatus>('orderSyncStatus');

/** A worker that died mid-step (heartbeat or start-to-close timeout): not the order's failure. */
export const WorkerLostType = 'WorkerLost';
/** A step whose workers keep dying is re-run this many times before the order shows Failed. */
const WORKER_LOSS_RERUNS = 3;

const ContinuesAsNewPatch = 'order-sync-continues-as-new';
const RerunsAfterWorkerLossPatch = 'order-sync-reruns-step-after-worker-loss';
const RebooksFromFetchPatch = 'order-sync-rebooks-from-fetch-after-last-step-park';
const WaitsOutBookkeepingOutagePatch = 'order-sync-waits-out-bookkeeping-outage';
const RebooksFromFetchAfterCustomerParkPatch = 'order-sync-rebooks-from-fetch-after-customer-step-park';
const ContinuedRunKeepsAttemptPatch = 'order-sync-continued-run-keeps-attempt';

/** Thrown inside the workflow when a park at the last step resumed: the booking starts again from the fetch. */
class BookAgain {}

/**
 * One order, one ledger, exactly once. Reads as a bookkeeper's triage: fetch the order, stop if the
 * ledger already has it, map lines (park on an unknown SKU or tax), find or create the customer, book
 * the receipt. Any step that needs a person parks the workflow until a signal (or a periodic
 * re-check) and then repeats only that step.
 */
export async function orderSyncWorkflow(input: OrderSyncInput): Promise<OrderSyncResult> {
  const workflowId = workflowInfo().workflowId;
  const timing: OrderSyncTiming = { ...DEFAULT_ORDER_SYNC_TIMING, ...input.timing };
  const bookkeeping = bookkeepingActivities();
  const platform = platformActivities(timing);
  const recheckAfter: Record<ParkReason, number> = { reconnect: timing.recheckWaitingMs, fix: timing.recheckWaitingMs, retry: timing.recheckFailedMs };
  const status: OrderSyncStatus = {
    state: 'syncing',
    orderName: input.orderName ?? null,
    waitingOn: null,
    lastError: null,
    ledgerDocument: null,
    attempts: input.carried?.attempts ?? 1,
  };
  let resumeRequested = false;
  /** The order was fetched before a park: by the time it resumes the shop may have changed or cancelled it. */
  let parkedSinceFetch = false;
  const resume = () => {
    resumeRequested = true;
  };
  setHandler(reconnectedSignal, resume);
  setHandler(retrySignal, resume);
  setHandler(mappingSavedSignal, resume);
  setHandler(orderSyncStatusQuery, () => status);

  type RecordInput = Parameters<BookkeepingActivities['recordOrderSyncState']>[0];
  const record = async (rowStatus: RecordInput['status'], extra: Partial<RecordInput> = {}) => {
    for (;;) {
      try {
        return await bookkeeping.recordOrderSyncState({ routeId: input.routeId, orderId: input.orderId, workflowId, status: rowStatus, orderName: status.orderName, ...extra });
      } catch (error) {
        // Our database is down for longer than the bookkeeping retries: wait it out cheaply, the order is not at fault.
        // A permanent database error (the route was deleted, say) ends the workflow instead.
        if (!isBookkeepingOutage(error) || !patched(WaitsOutBookkeepingOutagePatch)) throw error;
        await sleep(timing.recheckFailedMs);
      }
    }
  };

  const continueAsNew = makeContinueAsNewFunc<typeof orderSyncWorkflow>({ typedSearchAttributes: workflowInfo().typedSearchAttributes });
  /** A park/retry cycle every few minutes for weeks: a fresh run before the history gets large. */
  async function continueAsNewIfSuggested(): Promise<void> {
    if (!workflowInfo().continueAsNewSuggested || !patched(ContinuesAsNewPatch)) return;
    await condition(allHandlersFinished);
    // The next run starts a new attempt from the fetch: every step is idempotent, and the order may have changed.
    await continueAsNew({ ...input, orderName: status.orderName, carried: { attempts: status.attempts } });
  }

  const setState = (state: OrderSyncState, errorCode: string | null) => {
    status.state = state;
    // Temporal UI's workflow list reads like the sync log. Not a command: histories replay unchanged.
    setCurrentDetails(currentDetailsFor(state, status.waitingOn));
    upsertSearchAttributes([
      { key: SyncStateKey, value: state },
      { key: SyncErrorCodeKey, value: errorCode },
    ]);
  };

  /**
   * Runs a step; on a failure a person must handle, parks and repeats the step once resumed. With
   * `restartAfterPark` (the patch that introduced it), a resumed park starts the booking again from the
   * fetch instead (fresh values).
   */
  async function step<T>(run: () => Promise<T>, options: { restartAfterPark?: string } = {}): Promise<T> {
    let workerLosses = 0;
    for (;;) {
      try {
        return await run();
      } catch (error) {
        const failure = stepFailureOf(error);
        if (!failure) throw error;
        if (failure.code === SyncErrorType.Throttled) {
          // A long 429 storm outlasted the activity's own waiting: wait and go on, it is not a failure.
          await sleep(timing.throttleWaitMs);
          await continueAsNewIfSuggested();
          continue;
        }
        if (failure.code === WorkerLostType && workerLosses < WORKER_LOSS_RERUNS && patched(RerunsAfterWorkerLossPatch)) {
          // The worker died (SIGKILL, deploy) during the last attempt: run the step again, no Failed state.
          workerLosses++;
          continue;
        }
        // Anything we did not foresee parks as Failed with a timed retry: never lost, never silent.
        await park(parkReasonFor(failure.code) ?? 'retry', failure);
        if (options.restartAfterPark && patched(options.restartAfterPark)) throw new BookAgain();
        await continueAsNewIfSuggested();
      }
    }
  }

  async function park(reason: ParkReason, failure: StepFailure): Promise<void> {
    const { code, details } = failure;
    status.waitingOn = details.waitingOn ?? null;
    status.lastError = { code, message: failure.message, detail: details.detail ?? '', suggestions: details.suggestions ?? [] };
    // Cleared before the row says Waiting: a signal sent once an operator can see the row is never lost.
    resumeRequested = false;
    setState(reason === 'reconnect' ? 'waiting_for_reconnect' : reason === 'fix' ? 'waiting_for_fix' : 'waiting_for_retry', code);
    const { resolvedMeanwhile } = await record(waitsOnPerson(code) ? 'waiting' : 'failed', {
      waitingFor: reason,
      waitingOn: status.waitingOn,
      error: { code, message: failure.message },
    });
    if (resolvedMeanwhile) resumeRequested = true;
    if (reason === 'reconnect' && details.integrationId) {
      await bookkeeping.reportConnectionProblem({
        integrationId: details.integrationId,
        errorType: code,
        message: failure.message,
        detail: details.detail ?? '',
        routeId: input.routeId,
        orderId: input.orderId,
        orderName: status.orderName,
        grantGeneration: details.grantGeneration ?? null,
      });
    }
    await condition(() => resumeRequested, recheckAfter[reason]);
    parkedSinceFetch = true;
    status.attempts++;
    status.waitingOn = null;
    setState('syncing', null);
    await record('syncing', { newAttempt: true });
  }

  const finish = async (result: OrderSyncResult, state: OrderSyncState): Promise<OrderSyncResult> => {
    status.ledgerDocument = result.ledgerDocument;
    status.lastError = null;
    setState(state, null);
    await record(result.outcome === 'skipped' ? 'skipped' : 'synced', { document: result.ledgerDocument, error: null });
    await condition(allHandlersFinished);
    return result;
  };

  const fetchOrder = async () => {
    const fetched = await step(() => platform.fetchOrder({ routeId: input.routeId, orderId: input.orderId }));
    status.orderName = fetched.name;
    parkedSinceFetch = false;
    return fetched;
  };

  setState('syncing', null);
  // A run continued as new goes on with the attempt it carried, which the row has counted already; counting it
  // again made the row show one attempt more than the order had for every continue-as-new (a long throttle, re-checks).
  await record('syncing', { newAttempt: !input.carried || !patched(ContinuedRunKeepsAttemptPatch) });

  let order = await fetchOrder();
  for (;;) {
    try {
      return await bookOnce(order);
    } catch (error) {
      if (!(error instanceof BookAgain)) throw error;
      // Parked at the last step and resumed: map again with today's mappings, ledger and order.
      order = await fetchOrder();
    }
  }

  /** One pass from the fetched order to the ledger document; loops itself when the shop edited the order meanwhile. */
  async function bookOnce(fetched: CommerceOrder): Promise<OrderSyncResult> {
    let order = fetched;
    for (;;) {
      if (order.cancelledAt) {
        return finish(
          { outcome: 'skipped', message: `Order ${order.name} was cancelled before it was booked; nothing was written to the ledger.`, ledgerDocument: null },
          'skipped',
        );
      }

      const current = order;
      const { docNumber, ledgerName, existing } = await step(() => platform.findLedgerDocument({ routeId: input.routeId, orderName: current.name, orderId: current.id, orderTotal: current.total }));
      if (existing) {
        return finish(
          {
            outcome: 'already_synced',
            message: existing.bookedElsewhere
              ? `${ledgerName} already has a document numbered ${existing.docNumber} (id ${existing.id}) that ledgerbridge did not book; it is taken ` +
                `to be order ${order.name}, and nothing new was written. If it is another sale, give this route a document number prefix and sync the order again.`
              : `Order ${order.name} is already in ${ledgerName} as document ${existing.docNumber} (id ${existing.id}); nothing new was written.`,
            ledgerDocument: { id: existing.id, docNumber: existing.docNumber },
          },
          'already_synced',
        );
      }

      const lines = await step(() => platform.mapOrderLines({ routeId: input.routeId, order: current }));
      // Mapped before this step: a park here (a reconnect, a company switch) may outlast the mappings and lists used.
      const { customerId } = await step(() => platform.ensureLedgerCustomer({ routeId: input.routeId, order: current }), {
        restartAfterPark: RebooksFromFetchAfterCustomerParkPatch,
      });

      // After waiting on a person (hours, days) book the order as the shop has it now: edited, or cancelled.
      if (parkedSinceFetch && patched('order-sync-refetches-after-park')) {
        const now = await fetchOrder();
        if (now.updatedAt !== current.updatedAt) {
          order = now;
          continue;
        }
      }

      const document = await step(() => platform.createLedgerSalesReceipt({ routeId: input.routeId, order: current, docNumber, lines, customerId }), { restartAfterPark: RebooksFromFetchPatch });
      return finish(
        {
          outcome: 'created',
          message: `Order ${order.name} was booked in ${ledgerName} as ${documentKindOf(document)} ${document.docNumber} (id ${document.id}).`,
          ledgerDocument: { id: document.id, docNumber: document.docNumber },
        },
        'synced',
      );
    }
  }
}

/**
 * What the ledger calls the document it booked ("sales receipt", "invoice"). Activity results recorded before
 * ledgers named their documents carry none: those were all QuickBooks Online sales receipts.
 */
function documentKindOf(document: { kind?: string }): string {
  return document.kind ?? 'sales receipt';
}

interface StepFailure {
  code: string;
  message: string;
  details: Partial<SyncFailureDetails>;
}

/** What an activity's failure says, whatever its kind (our typed failures, timeouts, unexpected errors). */
export function stepFailureOf(error: unknown): StepFailure | null {
  if (!(error instanceof ActivityFailure)) return null;
  const cause = error.cause;
  if (cause instanceof TimeoutFailure) {
    return {
      code: WorkerLostType,
      message: 'The worker running this order stopped before the step finished; it is run again.',
      details: { detail: `${error.activityType}: ${cause.timeoutType !== undefined ? `timeout type ${cause.timeoutType}` : cause.message}` },
    };
  }
  if (cause instanceof ApplicationFailure) {
    return { code: cause.type ?? 'Unexpected', message: cause.message, details: (cause.details?.[0] ?? {}) as Partial<SyncFailureDetails> };
  }
  return { code: 'Unexpected', message: `A sync step failed unexpectedly: ${cause?.message ?? error.message}`, details: { detail: String(cause ?? error) } };
}

/** Bookkeeping that failed on an outage (retries used up), not on a permanent database error. */
function isBookkeepingOutage(error: unknown): boolean {
  if (!(error instanceof ActivityFailure)) return false;
  const cause = error.cause;
  return !(cause instanceof ApplicationFailure && cause.nonRetryable);
}
