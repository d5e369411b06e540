import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import type { syncRoutes } from '../db/schema.js';
import { IntegrationIdsKey, OrderIdKey, RouteIdKey, SyncStateKey } from '../workflows/search-attributes.js';

/**
 * How every order and refund sync starts: a running one is joined, a finished one may run again (and finds its
 * document), and operators can filter it by route, integrations, order and state in the Temporal UI.
 */
export function syncStartOptions(route: typeof syncRoutes.$inferSelect, orderId: string) {
  return {
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: RouteIdKey, value: route.id },
      { key: IntegrationIdsKey, value: [route.sourceIntegrationId, route.targetIntegrationId] },
      { key: OrderIdKey, value: orderId },
      { key: SyncStateKey, value: 'syncing' },
    ],
  };
}
