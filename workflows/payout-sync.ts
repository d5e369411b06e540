import { allHandlersFinished, condition, defineQuery, defineSignal, getExternalWorkflowHandle, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { PayoutSyncActivities, PayoutSyncRecord } from '../activities/payout-sync-activities.js';
import { DatabaseRejectedType } from '../activities/database-failures.js';
import { payoutIsSettled } from '../domain/commerce-payout.js';
import { parkingStepRunner } from './parking-step.js';
import { DEFAULT_ORDER_SYNC_TIMING, type OrderSyncTiming } from './order-sync-timing.js';
import { SyncErrorCodeKey, SyncStateKey } from './search-attributes.js';

export interface PayoutSyncTiming extends OrderSyncTiming {
  /** How often a payout whose orders are not all booked (or that is not paid yet) looks again. README: 5 minutes. */
  ordersRecheckMs: number;
}

export const DEFAULT_PAYOUT_SYNC_TIMING: PayoutSyncTiming = { ...DEFAULT_ORDER_SYNC_TIMING, ordersRecheckMs: 5 * 60_000 };

export interface PayoutSyncInput {
  routeId: string;
  payoutId: string;
  timing?: Partial<PayoutSyncTiming>;
}

export type PayoutSyncState = 'waiting_for_orders' | 'waiting_for_payout' | 'syncing' | 'waiting_for_reconnect' | 'waiting_for_fix' | 'waiting_for_retry' | 'synced' | 'already_synced' | 'skipped';

export interface PayoutSyncStatus {
  state: PayoutSyncState;
  waitingOn: string | null;
  lastError: { code: string; message: string } | null;
  ledgerDocument: { id: string; docNumber: string } | null;
  attempts: number;
}

export interface PayoutSyncResult {
  outcome: 'created' | 'already_synced' | 'skipped';
  message: string;
  ledgerDocument: { id: string; docNumber: string } | null;
}

/** Credentials fixed, an account chosen, the ledger corrected, or a person asks to try now: go on from where the payout stopped. */
export const payoutRetrySignal = defineSignal('payoutRetry');

/**
 * A payout whose clearing check is short only of charges waits for the route's earlier payouts not booked yet (they
 * may pay those charges out) instead of parking on the difference. Runs before it never had the answer.
 */
export const WaitsForEarlierPayoutsPatch = 'payout-sync-waits-for-earlier-payouts';

/** A payout that ends (booked or skipped) wakes the route's later payouts waiting for it, rather than leaving them to their re-check. */
export const WakesWaitingPayoutsPatch = 'payout-sync-wakes-waiting-payouts';
export const payoutSyncStatusQuery = defineQuery<PayoutSyncStatus>('payoutSyncStatus');

const bookkeeping = proxyActivities<Pick<PayoutSyncActivities, 'recordPayoutSyncState' | 'ordersOfPayout' | 'payoutsWaitingFor'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 12, nonRetryableErrorTypes: [DatabaseRejectedType] },
});

/**
 * One payout of one route, into its ledger, exactly once (workflow id `payout-sync/<route>/<payout>`): reads the
 * payout and its balance transactions, waits until every order in it is booked, checks that the deposit leaves
 * nothing in the clearing account for those orders, and books one deposit of the net into the bank account. Finds
 * the deposit by its number before writing, so a replay writes nothing. Parks on anything a person must fix.
 */
export async function payoutSyncWorkflow(input: PayoutSyncInput): Promise<PayoutSyncResult> {
  const workflowId = workflowInfo().workflowId;
  const timing: PayoutSyncTiming = { ...DEFAULT_PAYOUT_SYNC_TIMING, ...input.timing };
  const platform = proxyActivities<Pick<PayoutSyncActivities, 'fetchPayout' | 'preparePayoutDeposit' | 'bookPayoutDeposit'>>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: timing.platformRetryInitialMs, backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  const status: PayoutSyncStatus = { state: 'syncing', waitingOn: null, lastError: null, ledgerDocument: null, attempts: 1 };
  const resume = { requested: false };
  setHandler(payoutRetrySignal, () => {
    resume.requested = true;
  });
  setHandler(payoutSyncStatusQuery, () => status);

  const record = (rowStatus: PayoutSyncRecord['status'], extra: Partial<PayoutSyncRecord> = {}) =>
    bookkeeping.recordPayoutSyncState({ routeId: input.routeId, payoutId: input.payoutId, workflowId, status: rowStatus, ...extra });
  const setState = (state: PayoutSyncState, errorCode: string | null) => {
    status.state = state;
    upsertSearchAttributes([
      { key: SyncStateKey, value: state },
      { key: SyncErrorCodeKey, value: errorCode },
    ]);
  };
  /** Waits for a retry signal or the re-check timer, saying so on the row first. */
  const waitAs = async (state: PayoutSyncState, rowStatus: PayoutSyncRecord['status'], waitingOn: string, message: string | null) => {
    resume.requested = false;
    status.waitingOn = waitingOn;
    status.lastError = message ? { code: state, message } : null;
    setState(state, null);
    await record(rowStatus, { waitingOn, error: status.lastError });
    await condition(() => resume.requested, timing.ordersRecheckMs);
    status.waitingOn = null;
    status.lastError = null;
    setState('syncing', null);
  };

  /** Runs a step; a failure a person must handle parks the payout, and the step runs again once resumed. */
  const step = parkingStepRunner({ timing, status, resume, setState, record });

  const finish = async (result: PayoutSyncResult, state: PayoutSyncState, cleared?: PayoutSyncRecord['cleared']): Promise<PayoutSyncResult> => {
    status.ledgerDocument = result.ledgerDocument;
    status.lastError = null;
    status.waitingOn = null;
    setState(state, null);
    await record(result.outcome === 'skipped' ? 'skipped' : 'synced', { document: result.ledgerDocument, error: result.outcome === 'skipped' ? { code: 'skipped', message: result.message } : null, ...(cleared ? { cleared } : {}) });
    if (patched(WakesWaitingPayoutsPatch)) {
      for (const waiting of await bookkeeping.payoutsWaitingFor({ routeId: input.routeId, payoutId: input.payoutId })) {
        // One that has just stopped waiting (its own re-check) needs no signal.
        await getExternalWorkflowHandle(waiting).signal(payoutRetrySignal).catch(() => undefined);
      }
    }
    await condition(allHandlersFinished);
    return result;
  };

  setState('syncing', null);
  await record('syncing', { newAttempt: true });
  for (;;) {
    const fetched = await step(() => platform.fetchPayout({ routeId: input.routeId, payoutId: input.payoutId }));
    if (!fetched.found) return finish({ outcome: 'skipped', message: `Payout ${input.payoutId} was not booked: ${fetched.reason}.`, ledgerDocument: null }, 'skipped');
    const payout = fetched.payout;
    await record('syncing', { payout: { issuedAt: payout.issuedAt, net: payout.net, currency: payout.currency } });
    if (payout.direction === 'withdrawal') {
      return finish(
        { outcome: 'skipped', message: `Payout ${payout.id} took ${payout.net} ${payout.currency} from the bank: ledgerbridge books only payouts into it. Book this one by hand.`, ledgerDocument: null },
        'skipped',
      );
    }
    // Only a paid payout is final: one in transit or scheduled may still fail or change.
    if (!payoutIsSettled(payout.status)) {
      await waitAs('waiting_for_payout', 'waiting_for_payout', `payout:${payout.id}`, `Payout ${payout.id} is ${payout.status.toLowerCase().replace(/_/g, ' ')}: it is booked once it is paid.`);
      continue;
    }
    const named = new Map(payout.transactions.flatMap((t) => (t.order ? [[t.order.id, t.order.name] as const] : [])));
    const orders = await bookkeeping.ordersOfPayout({ routeId: input.routeId, orders: [...named].map(([id, name]) => ({ id, name })) });
    if (orders.notBooked.length > 0) {
      const names = orders.notBooked.map((o) => o.orderName).join(', ');
      await waitAs('waiting_for_orders', 'waiting_for_orders', orders.notBooked.map((o) => `order:${o.orderId}`).join(' '), `Payout ${payout.id} waits for ${names} to be booked first.`);
      continue;
    }
    if (orders.neverBooked.length > 0) {
      const names = orders.neverBooked.map((o) => o.orderName).join(', ');
      await waitAs('waiting_for_fix', 'waiting', orders.neverBooked.map((o) => `order:${o.orderId}`).join(' '), `Payout ${payout.id} pays out ${names}, which ledgerbridge did not book (skipped): book ${orders.neverBooked.length === 1 ? 'it' : 'them'} or deposit the payout by hand, then retry.`);
      continue;
    }
    const prepared = await step(() => platform.preparePayoutDeposit({ routeId: input.routeId, payout, orders: orders.booked }));
    if (!prepared.supported) {
      return finish({ outcome: 'skipped', message: `Payout ${payout.id} (${payout.net} ${payout.currency}) was not booked: ledgerbridge cannot book payouts in ${prepared.ledgerName} yet. Book it by hand.`, ledgerDocument: null }, 'skipped');
    }
    if (prepared.waitForPayouts?.length && patched(WaitsForEarlierPayoutsPatch)) {
      const earlier = prepared.waitForPayouts;
      await waitAs(
        'waiting_for_payout',
        'waiting_for_payout',
        earlier.map((id) => `payout:${id}`).join(' '),
        `Payout ${payout.id} waits for earlier payout${earlier.length === 1 ? '' : 's'} ${earlier.join(', ')} to be booked first: ${earlier.length === 1 ? 'it' : 'they'} may pay out charges of its orders.`,
      );
      continue;
    }
    if (prepared.existing) {
      const document = { id: prepared.existing.id, docNumber: prepared.existing.docNumber };
      // What it cleared is recorded here too: the run that wrote it may have stopped before recording it.
      return finish(
        { outcome: 'already_synced', message: `Payout ${payout.id} is already in ${prepared.ledgerName} as ${prepared.documentKind} ${document.docNumber} (id ${document.id}); nothing new was written.`, ledgerDocument: document },
        'already_synced',
        prepared.cleared,
      );
    }
    const booked = await step(() => platform.bookPayoutDeposit({ routeId: input.routeId, payout, docNumber: prepared.docNumber, lines: prepared.lines }));
    const document = { id: booked.id, docNumber: booked.docNumber };
    return finish(
      { outcome: 'created', message: `Payout ${payout.id} (${payout.net} ${payout.currency}) was booked in ${prepared.ledgerName} as ${booked.kind ?? prepared.documentKind} ${booked.docNumber} (id ${booked.id}).`, ledgerDocument: document },
      'synced',
      prepared.cleared,
    );
  }
}
