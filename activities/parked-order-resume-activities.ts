import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import {
  countParkedOrders,
  listParkedOrders,
  signalParkedOrders,
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

/** Activities of parkedOrderResumeWorkflow: count the selection, then signal it batch by batch. */
export function createParkedOrderResumeActivities({ client, db }: ParkedOrderResumeDeps) {
  return {
    async countParkedOrders(input: { selection: ResumeSelection }): Promise<number> {
      return countParkedOrders(db, input.selection);
    },

    async resumeParkedOrderBatch(input: {
      selection: ResumeSelection;
      signal: ResumeSignal;
      perSecond: number;
      after: ParkedOrderCursor;
      limit: number;
    }): Promise<ResumeBatchResult> {
      const batch = await listParkedOrders(db, input.selection, input.after, input.limit);
      const context = activityContext();
      const report = await signalParkedOrders(client, batch, input.signal, input.selection.waitingOn, input.perSecond, () => context?.heartbeat());
      for (const failure of report.failed) {
        (context?.log ?? console).warn(`ledgerbridge: could not resume order ${failure.orderId} (${failure.workflowId}): ${failure.reason}`);
      }
      const last = batch.at(-1);
      return { resumed: report.resumed, failed: report.failed.length, next: batch.length < input.limit || !last ? null : { routeId: last.routeId, orderId: last.orderId } };
    },
  };
}

export type ParkedOrderResumeActivities = ReturnType<typeof createParkedOrderResumeActivities>;
