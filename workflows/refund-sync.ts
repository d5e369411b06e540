import { allHandlersFinished, condition, defineQuery, defineSignal, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RefundSyncActivities } from '../activities/refund-sync-activities.js';
import { DatabaseRejectedType } from '../activities/database-failures.js';
import { parkingStepRunner } from './parking-step.js';
import { DEFAULT_ORDER_SYNC_TIMING, type OrderSyncTiming } from './order-sync-timing.js';
import { SyncErrorCodeKey, SyncStateKey } from './search-attributes.js';

export interface RefundSyncTiming extends OrderSyncTiming {
  /** How often a refund whose sale is not booked yet looks again (the order's sync signals nothing). README: 1 minute. */
  saleRecheckMs: number;
}

export const DEFAULT_REFUND_SYNC_TIMING: RefundSyncTiming = { ...DEFAULT_ORDER_SYNC_TIMING, saleRecheckMs: 60_000 };

export interface RefundSyncInput {
  routeId: string;
  orderId: string;
  /** The shop's refund id, or "cancellation" for the reversal of a cancelled order. */
  refundId: string;
  orderName?: string | null;
  timing?: Partial<RefundSyncTiming>;
}

export type RefundSyncState = 'waiting_for_sale' | 'syncing' | 'waiting_for_reconnect' | 'waiting_for_fix' | 'waiting_for_retry' | 'synced' | 'already_synced' | 'skipped';

export interface RefundSyncStatus {
  state: RefundSyncState;
  orderName: string | null;
  waitingOn: string | null;
  lastError: { code: string; message: string } | null;
  ledgerDocument: { id: string; docNumber: string } | null;
  attempts: number;
}

export interface RefundSyncResult {
  outcome: 'created' | 'already_synced' | 'skipped';
  message: string;
  ledgerDocument: { id: string; docNumber: string } | null;
}

/** Credentials were fixed, a mapping saved, or a person asks to try now: go on from where the refund stopped. */
export const refundRetrySignal = defineSignal('refundRetry');
export const refundSyncStatusQuery = defineQuery<RefundSyncStatus>('refundSyncStatus');

const bookkeeping = proxyActivities<Pick<RefundSyncActivities, 'recordRefundSyncState' | 'saleOfOrder'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 12, nonRetryableErrorTypes: [DatabaseRejectedType] },
});

/**
 * One refund (or a cancellation's reversal) of one order, into one ledger, exactly once: waits until the order's
 * sale is booked, reads the refund, finds its document or maps its lines like the sale's, and books the ledger's
 * refund document. Never edits the sale's document. Parks like an order sync on anything a person must fix.
 */
export async function refundSyncWorkflow(input: RefundSyncInput): Promise<RefundSyncResult> {
  const workflowId = workflowInfo().workflowId;
  const timing: RefundSyncTiming = { ...DEFAULT_REFUND_SYNC_TIMING, ...input.timing };
  const platform = proxyActivities<Pick<RefundSyncActivities, 'fetchRefund' | 'findLedgerRefund' | 'mapRefundLines' | 'ensureRefundCustomer' | 'bookLedgerRefund'>>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: timing.platformRetryInitialMs, backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  const status: RefundSyncStatus = { state: 'syncing', orderName: input.orderName ?? null, waitingOn: null, lastError: null, ledgerDocument: null, attempts: 1 };
  const resume = { requested: false };
  setHandler(refundRetrySignal, () => {
    resume.requested = true;
  });
  setHandler(refundSyncStatusQuery, () => status);

  type RecordInput = Parameters<RefundSyncActivities['recordRefundSyncState']>[0];
  const record = (rowStatus: RecordInput['status'], extra: Partial<RecordInput> = {}) =>
    bookkeeping.recordRefundSyncState({ routeId: input.routeId, orderId: input.orderId, refundId: input.refundId, workflowId, status: rowStatus, orderName: status.orderName, ...extra });
  const setState = (state: RefundSyncState, errorCode: string | null) => {
    status.state = state;
    upsertSearchAttributes([
      { key: SyncStateKey, value: state },
      { key: SyncErrorCodeKey, value: errorCode },
    ]);
  };

  /** Runs a step; a failure a person must handle parks the refund, and the step runs again once resumed. */
  const step = parkingStepRunner({ timing, status, resume, setState, record });

  const finish = async (result: RefundSyncResult, state: RefundSyncState): Promise<RefundSyncResult> => {
    status.ledgerDocument = result.ledgerDocument;
    status.lastError = null;
    setState(state, null);
    await record(result.outcome === 'skipped' ? 'skipped' : 'synced', { document: result.ledgerDocument, error: null });
    await condition(allHandlersFinished);
    return result;
  };
  const what = input.refundId === 'cancellation' ? 'The cancellation' : `Refund ${input.refundId}`;

  // The refund gives money back for a booked sale: until the order's sync has booked it, wait (cheaply, on a timer).
  setState('syncing', null);
  await record('syncing', { newAttempt: true });
  let sale = await bookkeeping.saleOfOrder({ routeId: input.routeId, orderId: input.orderId });
  if (sale.state === 'not_booked') {
    setState('waiting_for_sale', null);
    for (;;) {
      resume.requested = false;
      // The row says Waiting before the sale is looked at again: a notice sent once it says so is never lost.
      await record('waiting_for_sale', { waitingOn: `order:${input.orderId}` });
      sale = await bookkeeping.saleOfOrder({ routeId: input.routeId, orderId: input.orderId });
      if (sale.state !== 'not_booked') break;
      await condition(() => resume.requested, timing.saleRecheckMs);
    }
    setState('syncing', null);
    await record('syncing', { waitingOn: null });
  }
  status.orderName = sale.orderName ?? status.orderName;
  if (sale.state === 'never_booked') {
    return finish({ outcome: 'skipped', message: `${what} of order ${status.orderName ?? input.orderId} needs nothing in the ledger: the order was never booked.`, ledgerDocument: null }, 'skipped');
  }
  const saleDocument = sale.sale;

  const fetched = await step(() => platform.fetchRefund({ routeId: input.routeId, orderId: input.orderId, refundId: input.refundId }));
  if (!fetched.found) {
    return finish({ outcome: 'skipped', message: `${what} of order ${status.orderName ?? input.orderId} was not booked: ${fetched.reason}.`, ledgerDocument: null }, 'skipped');
  }
  const order = fetched.order;
  status.orderName = order.name;
  // What the shop gave back in its own currency, also when the refund is booked in the buyer's (payouts count it).
  // Its currency comes with it (a field of the activity's input and result only: the history's commands are unchanged).
  await record('syncing', { refundTotal: order.shopTotal ?? order.total, refundCurrency: fetched.givenBackCurrency ?? null });
  // The refund's total goes with the lookup (an activity's input only: the history's commands are unchanged), so a
  // document found with another total waits for the bookkeeper instead of being called synced.
  const found = await step(() =>
    platform.findLedgerRefund({ routeId: input.routeId, order: { id: order.id, name: order.name }, refundId: fetched.refundId, ordinal: fetched.ordinal, sale: saleDocument, total: order.total }),
  );
  if (!found.supported) {
    return finish(
      {
        outcome: 'skipped',
        message: `${what} of order ${order.name} (${order.total} ${order.currency}) was not booked: ledgerbridge cannot book refunds in ${found.ledgerName} yet. Book it by hand against document ${saleDocument.docNumber}.`,
        ledgerDocument: null,
      },
      'skipped',
    );
  }
  if (found.existing) {
    return finish(
      { outcome: 'already_synced', message: `${what} of order ${order.name} is already in ${found.ledgerName} as ${found.documentKind} ${found.existing.docNumber} (id ${found.existing.id}); nothing new was written.`, ledgerDocument: { id: found.existing.id, docNumber: found.existing.docNumber } },
      'already_synced',
    );
  }
  const lines = await step(() => platform.mapRefundLines({ routeId: input.routeId, order }));
  const { customerId } = await step(() => platform.ensureRefundCustomer({ routeId: input.routeId, order }));
  const document = await step(() =>
    platform.bookLedgerRefund({ routeId: input.routeId, order, refundId: fetched.refundId, docNumber: found.docNumber, lines, customerId, sale: saleDocument, date: fetched.createdAt.slice(0, 10) }),
  );
  return finish(
    {
      outcome: 'created',
      message: `${what} of order ${order.name} (${order.total} ${order.currency}) was booked in ${found.ledgerName} as ${document.kind ?? found.documentKind} ${document.docNumber} (id ${document.id}), against ${saleDocument.docNumber}.`,
      ledgerDocument: { id: document.id, docNumber: document.docNumber },
    },
    'synced',
  );
}
