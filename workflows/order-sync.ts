import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderSyncActivities } from '../activities/order-sync-activities.js';
import { parkReasonFor, SyncErrorType, waitsOnPerson, type ParkReason, type SyncFailureDetails } from '../domain/sync-error-types.js';
import { SyncErrorCodeKey, SyncStateKey } from './search-attributes.js';

export interface OrderSyncInput {
  routeId: string;
  orderId: string;
  /** Display name when the trigger knew it ("#1001"); the fetched order has the final word. */
  orderName?: string | null;
}

export type OrderSyncState =
  | 'syncing'
  | 'waiting_for_reconnect'
  | 'waiting_for_fix'
  | 'waiting_for_retry'
  | 'synced'
  | 'already_synced'
  | 'skipped';

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

const bookkeeping = proxyActivities<OrderSyncActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

// Platform calls: a few minutes of backoff; after that the order shows Failed and retries on a timer.
const platform = proxyActivities<OrderSyncActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
});

const RECHECK_AFTER: Record<ParkReason, string> = { reconnect: '6 hours', fix: '6 hours', retry: '15 minutes' };

/**
 * One order, one ledger, exactly once. Reads as a bookkeeper's triage: fetch the order, stop if the
 * ledger already has it, map lines (park on an unknown SKU or tax), find or create the customer, book
 * the receipt. Any step that needs a person parks the workflow until a signal (or a periodic
 * re-check) and then repeats only that step.
 */
export async function orderSyncWorkflow(input: OrderSyncInput): Promise<OrderSyncResult> {
  const workflowId = workflowInfo().workflowId;
  const status: OrderSyncStatus = {
    state: 'syncing',
    orderName: input.orderName ?? null,
    waitingOn: null,
    lastError: null,
    ledgerDocument: null,
    attempts: 1,
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

  const record = (rowStatus: Parameters<OrderSyncActivities['recordOrderSyncState']>[0]['status'], extra: Partial<Parameters<OrderSyncActivities['recordOrderSyncState']>[0]> = {}) =>
    bookkeeping.recordOrderSyncState({ routeId: input.routeId, orderId: input.orderId, workflowId, status: rowStatus, orderName: status.orderName, ...extra });

  const setState = (state: OrderSyncState, errorCode: string | null) => {
    status.state = state;
    upsertSearchAttributes([
      { key: SyncStateKey, value: state },
      { key: SyncErrorCodeKey, value: errorCode },
    ]);
  };

  /** Runs a step; on a failure a person must handle, parks and repeats the step once resumed. */
  async function step<T>(run: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await run();
      } catch (error) {
        const failure = stepFailureOf(error);
        if (!failure) throw error;
        if (failure.code === SyncErrorType.Throttled) {
          // A long 429 storm outlasted the activity's retries: wait and go on, it is not a failure.
          await sleep('1 minute');
          continue;
        }
        // Anything we did not foresee parks as Failed with a timed retry: never lost, never silent.
        await park(parkReasonFor(failure.code) ?? 'retry', failure);
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
      });
    }
    await condition(() => resumeRequested, RECHECK_AFTER[reason]);
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
  await record('syncing', { newAttempt: true });

  let order = await fetchOrder();
  for (;;) {
    if (order.cancelledAt) {
      return finish({ outcome: 'skipped', message: `Order ${order.name} was cancelled before it was booked; nothing was written to the ledger.`, ledgerDocument: null }, 'skipped');
    }

    const current = order;
    const { docNumber, ledgerName, existing } = await step(() => platform.findLedgerDocument({ routeId: input.routeId, orderName: current.name, orderId: current.id }));
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
    const { customerId } = await step(() => platform.ensureLedgerCustomer({ routeId: input.routeId, order: current }));

    // After waiting on a person (hours, days) book the order as the shop has it now: edited, or cancelled.
    if (parkedSinceFetch && patched('order-sync-refetches-after-park')) {
      const now = await fetchOrder();
      if (now.updatedAt !== current.updatedAt) {
        order = now;
        continue;
      }
    }

    const document = await step(() => platform.createLedgerSalesReceipt({ routeId: input.routeId, order: current, docNumber, lines, customerId }));
    return finish(
      {
        outcome: 'created',
        message: `Order ${order.name} was booked in ${ledgerName} as sales receipt ${document.docNumber} (id ${document.id}).`,
        ledgerDocument: { id: document.id, docNumber: document.docNumber },
      },
      'synced',
    );
  }
}

interface StepFailure {
  code: string;
  message: string;
  details: Partial<SyncFailureDetails>;
}

/** What an activity's failure says, whatever its kind (our typed failures, timeouts, unexpected errors). */
function stepFailureOf(error: unknown): StepFailure | null {
  if (!(error instanceof ActivityFailure)) return null;
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    return { code: cause.type ?? 'Unexpected', message: cause.message, details: (cause.details?.[0] ?? {}) as Partial<SyncFailureDetails> };
  }
  return { code: 'Unexpected', message: `A sync step failed unexpectedly: ${cause?.message ?? error.message}`, details: { detail: String(cause ?? error) } };
}
