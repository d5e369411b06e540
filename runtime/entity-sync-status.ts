import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { entitySyncs, orderSyncs, syncRoutes } from '../db/schema.js';
import { SYNC_ENTITIES, type SyncEntity } from '../domain/commerce-entities.js';
import { retrySignal } from '../workflows/order-sync.js';
import { entityRetrySignal } from '../workflows/entity-sync.js';
import { startEntitySync } from './entity-sync-starter.js';
import { startOrderSync } from './order-sync-starter.js';

export const ENTITY_LABELS: Record<SyncEntity, string> = { customers: 'Customers', orders: 'Orders', products: 'Products' };

export interface EntityCounts {
  pending: number;
  syncing: number;
  synced: number;
  /** Parked on something a person must do (a reconnect, a mapping, a fix in the ledger). */
  waiting: number;
  failed: number;
}

export interface EntityStatus {
  entity: SyncEntity;
  label: string;
  counts: EntityCounts;
  /** The newest error of a record still waiting or failed: what to look at first. */
  lastError: { code: string; message: string; at: string; record: string } | null;
}

/** Rows' statuses as the four (and Waiting) a person reads: a skipped record needs nothing, like a synced one. */
function bucketOf(status: string): keyof EntityCounts {
  if (status === 'skipped' || status === 'synced') return 'synced';
  if (status === 'waiting_for_sale') return 'waiting';
  return (['pending', 'syncing', 'waiting', 'failed'] as const).find((s) => s === status) ?? 'pending';
}

const PARKED = ['failed', 'waiting'];

/** Routes an integration takes part in, as the store it reads from or the ledger it books into. */
async function routeIdsOf(db: Database, integrationId: string): Promise<string[]> {
  const rows = await db
    .select({ id: syncRoutes.id })
    .from(syncRoutes)
    .where(or(eq(syncRoutes.sourceIntegrationId, integrationId), eq(syncRoutes.targetIntegrationId, integrationId)));
  return rows.map((row) => row.id);
}

/** Customers, Orders and Products of an integration's routes: Pending / Syncing / Synced / Waiting / Failed and the last error. */
export async function entityStatusesOf(db: Database, integrationId: string): Promise<EntityStatus[]> {
  const routeIds = await routeIdsOf(db, integrationId);
  const statuses = new Map<SyncEntity, EntityStatus>(
    SYNC_ENTITIES.map((entity) => [entity, { entity, label: ENTITY_LABELS[entity], counts: { pending: 0, syncing: 0, synced: 0, waiting: 0, failed: 0 }, lastError: null }]),
  );
  if (routeIds.length === 0) return [...statuses.values()];
  const [orderCounts, entityCounts, orderError, entityErrors] = await Promise.all([
    db.select({ status: orderSyncs.status, n: sql<number>`count(*)::int` }).from(orderSyncs).where(inArray(orderSyncs.routeId, routeIds)).groupBy(orderSyncs.status),
    db
      .select({ entity: entitySyncs.entity, status: entitySyncs.status, n: sql<number>`count(*)::int` })
      .from(entitySyncs)
      .where(inArray(entitySyncs.routeId, routeIds))
      .groupBy(entitySyncs.entity, entitySyncs.status),
    db
      .select({ code: orderSyncs.lastErrorCode, message: orderSyncs.lastErrorMessage, at: orderSyncs.updatedAt, name: orderSyncs.orderName, id: orderSyncs.orderId })
      .from(orderSyncs)
      .where(and(inArray(orderSyncs.routeId, routeIds), inArray(orderSyncs.status, PARKED), isNotNull(orderSyncs.lastErrorMessage)))
      .orderBy(desc(orderSyncs.updatedAt))
      .limit(1),
    Promise.all(
      (['customers', 'products'] as const).map(async (entity) => {
        const [row] = await db
          .select({ code: entitySyncs.lastErrorCode, message: entitySyncs.lastErrorMessage, at: entitySyncs.updatedAt, name: entitySyncs.sourceName, id: entitySyncs.sourceId })
          .from(entitySyncs)
          .where(and(inArray(entitySyncs.routeId, routeIds), eq(entitySyncs.entity, entity), inArray(entitySyncs.status, PARKED), isNotNull(entitySyncs.lastErrorMessage)))
          .orderBy(desc(entitySyncs.updatedAt))
          .limit(1);
        return [entity, row] as const;
      }),
    ),
  ]);
  for (const row of orderCounts) statuses.get('orders')!.counts[bucketOf(row.status)] += Number(row.n);
  for (const row of entityCounts) {
    const status = statuses.get(row.entity as SyncEntity);
    if (status) status.counts[bucketOf(row.status)] += Number(row.n);
  }
  const errorOf = (row: { code: string | null; message: string | null; at: Date; name: string | null; id: string } | undefined) =>
    row ? { code: row.code ?? 'Unexpected', message: row.message!, at: row.at.toISOString(), record: row.name ?? row.id } : null;
  statuses.get('orders')!.lastError = errorOf(orderError[0]);
  for (const [entity, row] of entityErrors) statuses.get(entity)!.lastError = errorOf(row);
  return [...statuses.values()];
}

/**
 * "Retry this entity": every failed or waiting record of the integration's routes goes again, and nothing else.
 * A parked sync is signalled to try now; one no longer running (it ended, was terminated) is started again and
 * finds what it already wrote.
 */
export async function retryEntity(temporal: Client, db: Database, taskQueue: string, integrationId: string, entity: SyncEntity): Promise<{ retried: number; restarted: number }> {
  const routeIds = await routeIdsOf(db, integrationId);
  if (routeIds.length === 0) return { retried: 0, restarted: 0 };
  const parked =
    entity === 'orders'
      ? (
          await db
            .select({ routeId: orderSyncs.routeId, sourceId: orderSyncs.orderId, workflowId: orderSyncs.workflowId, name: orderSyncs.orderName })
            .from(orderSyncs)
            .where(and(inArray(orderSyncs.routeId, routeIds), inArray(orderSyncs.status, PARKED)))
        )
      : await db
          .select({ routeId: entitySyncs.routeId, sourceId: entitySyncs.sourceId, workflowId: entitySyncs.workflowId, name: entitySyncs.sourceName })
          .from(entitySyncs)
          .where(and(inArray(entitySyncs.routeId, routeIds), eq(entitySyncs.entity, entity), inArray(entitySyncs.status, PARKED)));
  let retried = 0;
  let restarted = 0;
  for (const row of parked) {
    try {
      await temporal.workflow.getHandle(row.workflowId).signal(entity === 'orders' ? retrySignal : entityRetrySignal);
      retried++;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      if (entity === 'orders') await startOrderSync(temporal, db, taskQueue, { routeId: row.routeId, orderId: row.sourceId, orderName: row.name });
      else await startEntitySync(temporal, db, taskQueue, { routeId: row.routeId, entity, sourceId: row.sourceId, sourceName: row.name });
      restarted++;
    }
  }
  return { retried, restarted };
}
