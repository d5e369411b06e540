import { allHandlersFinished, condition, defineQuery, defineSignal, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { EntitySyncActivities, EntitySyncOutcome } from '../activities/entity-sync-activities.js';
import { DatabaseRejectedType } from '../activities/database-failures.js';
import type { SyncedRecordEntity } from '../domain/commerce-entities.js';
import { parkingStepRunner } from './parking-step.js';
import { DEFAULT_ORDER_SYNC_TIMING, type OrderSyncTiming } from './order-sync-timing.js';
import { SyncErrorCodeKey, SyncStateKey } from './search-attributes.js';

export interface EntitySyncInput {
  routeId: string;
  /** The store's id of the customer or product. */
  sourceId: string;
  timing?: Partial<OrderSyncTiming>;
}

export type EntitySyncState = 'syncing' | 'waiting_for_reconnect' | 'waiting_for_fix' | 'waiting_for_retry' | 'synced' | 'skipped';

export interface EntitySyncStatus {
  state: EntitySyncState;
  sourceName: string | null;
  waitingOn: string | null;
  lastError: { code: string; message: string } | null;
  attempts: number;
}

/** Credentials were fixed, the ledger was fixed, or a person asks to try now (POST .../entities/:entity/retry). */
export const entityRetrySignal = defineSignal('entityRetry');
export const entitySyncStatusQuery = defineQuery<EntitySyncStatus>('entitySyncStatus');

/** One store customer into the route's ledger, as one ledger customer, however often it runs. */
export async function customerSyncWorkflow(input: EntitySyncInput): Promise<EntitySyncOutcome> {
  return syncEntity('customers', input);
}

/** One store product: each of its variants with a SKU as one ledger item, however often it runs. */
export async function productSyncWorkflow(input: EntitySyncInput): Promise<EntitySyncOutcome> {
  return syncEntity('products', input);
}

/**
 * The one step of an entity sync (find the link, else the ledger's record, else create it), parked like an order
 * on what a person must fix (reconnect, a ledger refusal), waited out on throttling, re-checked on a timer.
 */
async function syncEntity(entity: SyncedRecordEntity, input: EntitySyncInput): Promise<EntitySyncOutcome> {
  const workflowId = workflowInfo().workflowId;
  const timing: OrderSyncTiming = { ...DEFAULT_ORDER_SYNC_TIMING, ...input.timing };
  const bookkeeping = proxyActivities<Pick<EntitySyncActivities, 'recordEntitySyncState'>>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 12, nonRetryableErrorTypes: [DatabaseRejectedType] },
  });
  const platform = proxyActivities<Pick<EntitySyncActivities, 'syncCustomerToLedger' | 'syncProductToLedger'>>({
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: timing.platformRetryInitialMs, backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8 },
  });
  const status: EntitySyncStatus = { state: 'syncing', sourceName: null, waitingOn: null, lastError: null, attempts: 1 };
  const resume = { requested: false };
  setHandler(entityRetrySignal, () => {
    resume.requested = true;
  });
  setHandler(entitySyncStatusQuery, () => status);

  type RecordInput = Parameters<EntitySyncActivities['recordEntitySyncState']>[0];
  const record = (rowStatus: RecordInput['status'], extra: Partial<RecordInput> = {}) =>
    bookkeeping.recordEntitySyncState({ routeId: input.routeId, entity, sourceId: input.sourceId, workflowId, status: rowStatus, sourceName: status.sourceName, ...extra });
  const setState = (state: EntitySyncState, errorCode: string | null) => {
    status.state = state;
    upsertSearchAttributes([
      { key: SyncStateKey, value: state },
      { key: SyncErrorCodeKey, value: errorCode },
    ]);
  };
  const run = () =>
    entity === 'customers'
      ? platform.syncCustomerToLedger({ routeId: input.routeId, customerId: input.sourceId })
      : platform.syncProductToLedger({ routeId: input.routeId, productId: input.sourceId });

  const step = parkingStepRunner({ timing, status, resume, setState, record });

  setState('syncing', null);
  await record('syncing', { newAttempt: true });
  const outcome = await step(run);
  status.sourceName = outcome.sourceName ?? status.sourceName;
  status.lastError = null;
  setState(outcome.state, null);
  // An edit the ledger could not take stays on the row for the bookkeeper (same command sequence: only the input differs).
  await record(outcome.state, { error: outcome.notice ?? null });
  await condition(allHandlersFinished);
  return outcome;
}
