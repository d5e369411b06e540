import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { and, asc, count, eq, gt, or, type Column, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/database.js';
import { entitySyncs, payoutSyncs, refundSyncs } from '../db/schema.js';
import { entityRetrySignal } from '../workflows/entity-sync.js';
import { payoutRetrySignal } from '../workflows/payout-sync.js';
import { refundRetrySignal } from '../workflows/refund-sync.js';
import { selectionConditions, signalAtRate, type ParkedRowColumns, type ResumeSelection } from './parked-order-resumer.js';

/**
 * The parked syncs a resume wakes after its orders, in this order: customer and product syncs, refunds, payouts.
 * Each has its table, its key (keyset paging, so syncs resumed meanwhile do not shift pages) and its one resume signal.
 */
export type OtherSyncKind = 'entities' | 'refunds' | 'payouts';

export const OTHER_SYNC_KINDS: readonly OtherSyncKind[] = ['entities', 'refunds', 'payouts'];

/** After this customer or product sync (the cursor's form in runs recorded before refunds and payouts joined); null for the first. */
export type ParkedEntityCursor = { routeId: string; entity: string; sourceId: string } | null;

/** A parked sync of another kind, its key values in the kind's key order. */
export interface ParkedOtherSync {
  kind: OtherSyncKind;
  key: string[];
  workflowId: string;
}

interface KindTable {
  columns: ParkedRowColumns & { workflowId: PgColumn };
  /** The table's primary key, in paging order. */
  key: PgColumn[];
  signal: SignalDefinition<[]>;
  /**
   * Whether the sync maps the order's lines again when resumed, like an order: then a saved mapping may be the fix of a
   * document the ledger refused (`orRefusedByLedger`). A payout maps no lines: a mapping never fixes its refusal.
   */
  mapsLines: boolean;
}

const KINDS: Record<OtherSyncKind, KindTable> = {
  entities: { columns: entitySyncs, key: [entitySyncs.routeId, entitySyncs.entity, entitySyncs.sourceId], signal: entityRetrySignal, mapsLines: false },
  refunds: { columns: refundSyncs, key: [refundSyncs.routeId, refundSyncs.orderId, refundSyncs.refundId], signal: refundRetrySignal, mapsLines: true },
  payouts: { columns: payoutSyncs, key: [payoutSyncs.routeId, payoutSyncs.payoutId], signal: payoutRetrySignal, mapsLines: false },
};

const TABLES = { entities: entitySyncs, refunds: refundSyncs, payouts: payoutSyncs } as const;

/** The kinds this selection wakes after its orders. A reconnect's (`includeEntitySyncs`) wakes every kind. */
export function otherSyncKindsOf(selection: ResumeSelection): OtherSyncKind[] {
  const all = !!selection.includeEntitySyncs;
  return OTHER_SYNC_KINDS.filter((kind) => all || (kind === 'refunds' && selection.includeRefundSyncs) || (kind === 'payouts' && selection.includePayoutSyncs));
}

function conditionsOf(db: Database, kind: OtherSyncKind, selection: ResumeSelection): Promise<SQL[] | null> {
  const own = KINDS[kind];
  return selectionConditions(db, own.mapsLines ? selection : { ...selection, orRefusedByLedger: false }, own.columns);
}

/** Rows after these key values: (k0 > v0) or (k0 = v0 and k1 > v1) or … */
function afterKey(columns: Column[], values: string[]): SQL {
  return or(...columns.map((column, i) => and(...columns.slice(0, i).map((earlier, j) => eq(earlier, values[j]!)), gt(column, values[i]!))))!;
}

/** How many parked syncs of this kind the selection covers now (the same filters as its orders). */
export async function countParkedOtherSyncs(db: Database, kind: OtherSyncKind, selection: ResumeSelection): Promise<number> {
  const conditions = await conditionsOf(db, kind, selection);
  if (!conditions) return 0;
  const [row] = await db.select({ n: count() }).from(TABLES[kind]).where(and(...conditions));
  return row?.n ?? 0;
}

/** How many parked syncs of every kind the selection wakes after its orders. */
export async function countAllParkedOtherSyncs(db: Database, selection: ResumeSelection): Promise<number> {
  let total = 0;
  for (const kind of otherSyncKindsOf(selection)) total += await countParkedOtherSyncs(db, kind, selection);
  return total;
}

/** The next `limit` parked syncs of this kind after the one with key `after` (null: from the first). */
export async function listParkedOtherSyncs(db: Database, kind: OtherSyncKind, selection: ResumeSelection, after: string[] | null, limit: number): Promise<ParkedOtherSync[]> {
  const own = KINDS[kind];
  const conditions = await conditionsOf(db, kind, selection);
  if (!conditions) return [];
  if (after) conditions.push(afterKey(own.key, after));
  const fields: Record<string, PgColumn> = { workflowId: own.columns.workflowId };
  own.key.forEach((column, i) => (fields[`key${i}`] = column));
  const rows: Record<string, unknown>[] = await db
    .select(fields)
    .from(TABLES[kind])
    .where(and(...conditions))
    .orderBy(...own.key.map((column) => asc(column)))
    .limit(limit);
  return rows.map((row) => ({ kind, key: own.key.map((_, i) => String(row[`key${i}`])), workflowId: String(row.workflowId) }));
}

/** Tells these parked syncs to try again now (their kind's one resume signal), at most `perSecond` a second. */
export function signalParkedOtherSyncs(client: Client, syncs: ParkedOtherSync[], perSecond: number, onEach: () => void = () => {}) {
  return signalAtRate(syncs, perSecond, onEach, (sync) => client.workflow.getHandle(sync.workflowId).signal(KINDS[sync.kind].signal));
}

/** Every parked sync of every kind the selection wakes after its orders, signalled in one go (small selections). */
export async function resumeAllParkedOtherSyncs(client: Client, db: Database, selection: ResumeSelection, perSecond: number) {
  const report: { resumed: number; failed: { sync: ParkedOtherSync; reason: string }[] } = { resumed: 0, failed: [] };
  for (const kind of otherSyncKindsOf(selection)) {
    const parked = await listParkedOtherSyncs(db, kind, selection, null, 1_000_000);
    const signalled = await signalParkedOtherSyncs(client, parked, perSecond);
    report.resumed += signalled.resumed;
    report.failed.push(...signalled.failed.map(({ item, reason }) => ({ sync: item, reason })));
  }
  return report;
}

/** "the refunds sync route-1/1001/r-9 (workflow-id)": which sync a log line is about. */
export function describeOtherSync(sync: ParkedOtherSync): string {
  return `the ${sync.kind} sync ${sync.key.join('/')} (${sync.workflowId})`;
}
