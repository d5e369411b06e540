import { and, eq } from 'drizzle-orm';
import type { EntitySyncOutcome } from '../../activities/entity-sync-activities.js';
import { entitySyncs, webhookEvents } from '../../db/schema.js';
import type { SyncedRecordEntity } from '../../domain/commerce-entities.js';
import { entitySyncWorkflowId } from '../../runtime/entity-sync-starter.js';
import { eventually, type SyncHarness } from './sync-harness.js';

/** The entity's row on a route (the main route unless given): its status and what it says. */
export async function entityRow(harness: SyncHarness, entity: SyncedRecordEntity, sourceId: string, routeId = harness.routeId) {
  return (await harness.db.select().from(entitySyncs).where(and(eq(entitySyncs.routeId, routeId), eq(entitySyncs.entity, entity), eq(entitySyncs.sourceId, sourceId))))[0];
}

/**
 * The outcome of the run a webhook started on a route (the main route unless given): the record's events (more
 * than `eventsBefore`) have all started their syncs, whose latest run is then awaited.
 */
export async function runAfterWebhook(harness: SyncHarness, entity: SyncedRecordEntity, sourceId: string, eventsBefore: number, routeId = harness.routeId): Promise<EntitySyncOutcome> {
  await eventually(async () => {
    const events = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, sourceId));
    return events.length > eventsBefore && events.every((event) => event.outcome === 'started');
  }, `the ${entity} webhook for ${sourceId} to start its sync`);
  return harness.handle(entitySyncWorkflowId(routeId, entity, sourceId)).result();
}
