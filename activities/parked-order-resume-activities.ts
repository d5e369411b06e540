import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import {
  countAllParkedOtherSyncs,
  describeOtherSync,
  listParkedOtherSyncs,
  OTHER_SYNC_KINDS,
  otherSyncKindsOf,
  signalParkedOtherSyncs,
  type OtherSyncKind,
} from '../runtime/parked-other-syncs.js';
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

/** Where a pass over another kind of sync starts: the cursor's form for it (entities keep the form runs recorded). */
function cursorOf(kind: OtherSyncKind, key: string[] | null): ParkedOrderCursor {
  if (kind === 'entities') return { entities: key ? { routeId: key[0]!, entity: key[1]!, sourceId: key[2]! } : null };
  return kind === 'refunds' ? { refunds: key } : { payouts: key };
}

/** The other kind a cursor is in, and the key it is after; null for an order's cursor. */
function otherPassOf(after: ParkedOrderCursor): { kind: OtherSyncKind; key: string[] | null } | null {
  if (!after) return null;
  if ('entities' in after) return { kind: 'entities', key: after.entities ? [after.entities.routeId, after.entities.entity, after.entities.sourceId] : null };
  if ('refunds' in after) return { kind: 'refunds', key: after.refunds };
  if ('payouts' in after) return { kind: 'payouts', key: after.payouts };
  return null;
}

/**
 * Activities of parkedOrderResumeWorkflow: count the selection, then signal it batch by batch — its orders, then the
 * other syncs it wakes (a reconnect's: customer and product syncs, refunds, payouts), the cursor saying which.
 */
export function createParkedOrderResumeActivities({ client, db }: ParkedOrderResumeDeps) {
  const log = () => activityContext()?.log ?? console;

  /** The first pass after `kind` (after the orders when null) that the selection wakes; null when none is left. */
  function nextPass(selection: ResumeSelection, kind: OtherSyncKind | null): ParkedOrderCursor {
    const rank = (k: OtherSyncKind) => OTHER_SYNC_KINDS.indexOf(k);
    const following = otherSyncKindsOf(selection).find((k) => kind === null || rank(k) > rank(kind));
    return following ? cursorOf(following, null) : null;
  }

  async function resumeOrders(input: BatchInput, after: OrderCursor | null): Promise<ResumeBatchResult> {
    const batch = await listParkedOrders(db, input.selection, after, input.limit);
    const context = activityContext();
    const report = await signalParkedOrders(client, batch, input.signal, input.selection.waitingOn, input.perSecond, () => context?.heartbeat());
    for (const failure of report.failed) log().warn(`ledgerbridge: could not resume order ${failure.orderId} (${failure.workflowId}): ${failure.reason}`);
    const last = batch.at(-1);
    const ordersDone = batch.length < input.limit || !last;
    const next: ParkedOrderCursor = !ordersDone ? { routeId: last.routeId, orderId: last.orderId } : nextPass(input.selection, null);
    return { resumed: report.resumed, failed: report.failed.length, next };
  }

  async function resumeOtherSyncs(input: BatchInput, kind: OtherSyncKind, after: string[] | null): Promise<ResumeBatchResult> {
    const batch = await listParkedOtherSyncs(db, kind, input.selection, after, input.limit);
    const context = activityContext();
    const report = await signalParkedOtherSyncs(client, batch, input.perSecond, () => context?.heartbeat());
    for (const { item, reason } of report.failed) log().warn(`ledgerbridge: could not resume ${describeOtherSync(item)}: ${reason}`);
    const last = batch.at(-1);
    const next: ParkedOrderCursor = batch.length < input.limit || !last ? nextPass(input.selection, kind) : cursorOf(kind, last.key);
    return { resumed: report.resumed, failed: report.failed.length, next };
  }

  return {
    /** The orders (and the other syncs the selection wakes: a reconnect's customer, product, refund and payout syncs) the selection covers now. */
    async countParkedOrders(input: { selection: ResumeSelection }): Promise<number> {
      return (await countParkedOrders(db, input.selection)) + (await countAllParkedOtherSyncs(db, input.selection));
    },

    async resumeParkedOrderBatch(input: BatchInput): Promise<ResumeBatchResult> {
      const pass = otherPassOf(input.after);
      return pass ? resumeOtherSyncs(input, pass.kind, pass.key) : resumeOrders(input, input.after as OrderCursor | null);
    },
  };
}

export type ParkedOrderResumeActivities = ReturnType<typeof createParkedOrderResumeActivities>;
