import type { Client } from '@temporalio/client';
import { and, asc, count, eq, gt, or } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { entitySyncs } from '../db/schema.js';
import { entityRetrySignal } from '../workflows/entity-sync.js';
import { selectionConditions, signalAtRate, type ResumeSelection } from './parked-order-resumer.js';

/** A parked customer or product sync (workflows/entity-sync.ts). */
export interface ParkedEntitySync {
  routeId: string;
  entity: string;
  sourceId: string;
  workflowId: string;
}

/** After this entity sync (keyset paging in the table's key order); null for the first. */
export type ParkedEntityCursor = { routeId: string; entity: string; sourceId: string } | null;

/** How many customer and product syncs the selection covers now (the same filters as its orders). */
export async function countParkedEntitySyncs(db: Database, selection: ResumeSelection): Promise<number> {
  const conditions = await selectionConditions(db, selection, entitySyncs);
  if (!conditions) return 0;
  const [row] = await db.select({ n: count() }).from(entitySyncs).where(and(...conditions));
  return row?.n ?? 0;
}

/** The next `limit` parked customer and product syncs of the selection after `cursor`. */
export async function listParkedEntitySyncs(db: Database, selection: ResumeSelection, cursor: ParkedEntityCursor, limit: number): Promise<ParkedEntitySync[]> {
  const conditions = await selectionConditions(db, selection, entitySyncs);
  if (!conditions) return [];
  if (cursor) {
    conditions.push(
      or(
        gt(entitySyncs.routeId, cursor.routeId),
        and(eq(entitySyncs.routeId, cursor.routeId), gt(entitySyncs.entity, cursor.entity)),
        and(eq(entitySyncs.routeId, cursor.routeId), eq(entitySyncs.entity, cursor.entity), gt(entitySyncs.sourceId, cursor.sourceId)),
      )!,
    );
  }
  return db
    .select({ routeId: entitySyncs.routeId, entity: entitySyncs.entity, sourceId: entitySyncs.sourceId, workflowId: entitySyncs.workflowId })
    .from(entitySyncs)
    .where(and(...conditions))
    .orderBy(asc(entitySyncs.routeId), asc(entitySyncs.entity), asc(entitySyncs.sourceId))
    .limit(limit);
}

/** Tells these parked syncs to try again now (their one resume signal), at most `perSecond` a second. */
export function signalParkedEntitySyncs(client: Client, syncs: ParkedEntitySync[], perSecond: number, onEach: () => void = () => {}) {
  return signalAtRate(syncs, perSecond, onEach, (sync) => client.workflow.getHandle(sync.workflowId).signal(entityRetrySignal));
}
