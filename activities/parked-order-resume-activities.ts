import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import { countParkedEntitySyncs, listParkedEntitySyncs, signalParkedEntitySyncs, type ParkedEntityCursor } from '../runtime/parked-entity-syncs.js';
import {
  countParkedOrders,
  listParkedOrders,
  signalParkedOrders,
  type OrderCursor,
  type ParkedOrderCursor,
  type ResumeSelection,
  type ResumeSignal,
} from '../runtime/parked-order-resumer.js';
import { activityContext } from './activity-heartbeat.js';

export interface ParkedOrderResumeDeps {
  client: Client;
  db: Database;
}

export interface ResumeBatchResult {
  resumed: number;
  failed: number;
  /** Where the next batch starts; null when this was the last. */
  next: ParkedOrderCursor;
}

interface BatchInput {
  selection: ResumeSelection;
  signal: ResumeSignal;
  perSecond: number;
  after: ParkedOrderCursor;
  limit: number;
}

/**
 * Activities of parkedOrderResumeWorkflow: count the selection, then signal it batch by batch — its orders, then
 * (`includeEntitySyncs`, a reconnect's) its customer and product syncs, the cursor saying which.
 */
export function createParkedOrderResumeActivities({ client, db }: ParkedOrderResumeDeps) {
  const log = () => activityContext()?.log ?? console;

  async function resumeOrders(input: BatchInput, after: OrderCursor | null): Promise<ResumeBatchResult> {
    const batch = await listParkedOrders(db, input.selection, after, input.limit);
    const context = activityContext();
    const report = await signalParkedOrders(client, batch, input.signal, input.selection.waitingOn, input.perSecond, () => context?.heartbeat());
    for (const failure of report.failed) log().warn(`ledgerbridge: could not resume order ${failure.orderId} (${failure.workflowId}): ${failure.reason}`);
    const last = batch.at(-1);
    const ordersDone = batch.length < input.limit || !last;
    const next: ParkedOrderCursor = !ordersDone ? { routeId: last.routeId, orderId: last.orderId } : input.selection.includeEntitySyncs ? { entities: null } : null;
    return { resumed: report.resumed, failed: report.failed.length, next };
  }

  async function resumeEntitySyncs(input: BatchInput, after: ParkedEntityCursor): Promise<ResumeBatchResult> {
    const batch = await listParkedEntitySyncs(db, input.selection, after, input.limit);
    const context = activityContext();
    const report = await signalParkedEntitySyncs(client, batch, input.perSecond, () => context?.heartbeat());
    for (const { item, reason } of report.failed) log().warn(`ledgerbridge: could not resume the ${item.entity} sync ${item.sourceId} (${item.workflowId}): ${reason}`);
    const last = batch.at(-1);
    const next: ParkedOrderCursor = batch.length < input.limit || !last ? null : { entities: { routeId: last.routeId, entity: last.entity, sourceId: last.sourceId } };
    return { resumed: report.resumed, failed: report.failed.length, next };
  }

  return {
    /** The orders (and with `includeEntitySyncs` the customer and product syncs) the selection covers now. */
    async countParkedOrders(input: { selection: ResumeSelection }): Promise<number> {
      const orders = await countParkedOrders(db, input.selection);
      return input.selection.includeEntitySyncs ? orders + (await countParkedEntitySyncs(db, input.selection)) : orders;
    },

    async resumeParkedOrderBatch(input: BatchInput): Promise<ResumeBatchResult> {
      const after = input.after;
      return after && 'entities' in after ? resumeEntitySyncs(input, after.entities) : resumeOrders(input, after);
    },
  };
}

export type ParkedOrderResumeActivities = ReturnType<typeof createParkedOrderResumeActivities>;
