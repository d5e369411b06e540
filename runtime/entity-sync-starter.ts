import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { entitySyncs, integrations, syncRoutes } from '../db/schema.js';
import type { SyncedRecordEntity } from '../domain/commerce-entities.js';
import { customerSyncWorkflow, productSyncWorkflow } from '../workflows/entity-sync.js';
import { OrderIdKey } from '../workflows/search-attributes.js';
import { syncStartOptions } from './sync-start-options.js';

/** Business identity: one workflow per route and store record ("customer-sync/demo/42", "product-sync/demo/7"). */
export function entitySyncWorkflowId(routeId: string, entity: SyncedRecordEntity, sourceId: string): string {
  return `${entity === 'customers' ? 'customer' : 'product'}-sync/${routeId}/${sourceId}`;
}

export interface EntitySyncRequest {
  routeId: string;
  entity: SyncedRecordEntity;
  /** The store's id of the customer or product. */
  sourceId: string;
  /** Optional: the name the row shows until the sync has read the record. */
  sourceName?: string | null;
}

/**
 * Starts (or joins) the sync of one customer or product into one route's ledger: what webhooks, a retry and a full
 * re-sync call. A running sync is joined; a finished one runs again, and finds its link (nothing is created twice).
 */
export async function startEntitySync(client: Client, db: Database, taskQueue: string, request: EntitySyncRequest): Promise<{ workflowId: string; runId: string }> {
  const [found] = await db
    .select({ route: syncRoutes, ledgerName: integrations.displayName })
    .from(syncRoutes)
    .leftJoin(integrations, eq(integrations.id, syncRoutes.targetIntegrationId))
    .where(eq(syncRoutes.id, request.routeId));
  if (!found) throw new Error(`Unknown sync route ${request.routeId}`);
  const workflowId = entitySyncWorkflowId(request.routeId, request.entity, request.sourceId);
  // Pending from the moment we hear of it, so the counts show it even before a worker picks it up.
  await db
    .insert(entitySyncs)
    .values({ routeId: request.routeId, entity: request.entity, sourceId: request.sourceId, sourceName: request.sourceName ?? null, workflowId, status: 'pending' })
    .onConflictDoNothing();
  const options = syncStartOptions(found.route, request.sourceId);
  const handle = await client.workflow.start(request.entity === 'customers' ? customerSyncWorkflow : productSyncWorkflow, {
    workflowId,
    taskQueue,
    args: [{ routeId: request.routeId, sourceId: request.sourceId }],
    ...options,
    // OrderId is for orders: an entity is found by its workflow id (or RouteId).
    typedSearchAttributes: options.typedSearchAttributes.filter((attribute) => attribute.key !== OrderIdKey),
    staticSummary: `${request.entity === 'customers' ? 'Customer' : 'Product'} ${request.sourceName ?? request.sourceId} → ${found.ledgerName ?? found.route.targetIntegrationId}`,
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}
