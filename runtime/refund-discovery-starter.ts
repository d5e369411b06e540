import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { refundDiscoveryWorkflow, refundNotifiedSignal, type RefundDiscoveryTiming } from '../workflows/refund-discovery.js';
import { IntegrationIdsKey, OrderIdKey } from '../workflows/search-attributes.js';

/** Business identity: one discovery per store integration and order at a time. */
export function refundDiscoveryWorkflowId(integrationId: string, orderId: string): string {
  return `refund-discovery/${integrationId}/${orderId}`;
}

/**
 * Starts the order's refund discovery, or tells the running one that the store notified another refund (signal with
 * start): it reads the order again, so a second refund is neither lost nor given a second workflow. A finished one
 * runs again.
 */
export async function startRefundDiscovery(
  client: Client,
  taskQueue: string,
  input: { integrationId: string; orderId: string; timing?: Partial<RefundDiscoveryTiming> },
): Promise<{ workflowId: string }> {
  const workflowId = refundDiscoveryWorkflowId(input.integrationId, input.orderId);
  await client.workflow.signalWithStart(refundDiscoveryWorkflow, {
    workflowId,
    taskQueue,
    args: [{ integrationId: input.integrationId, orderId: input.orderId, ...(input.timing ? { timing: input.timing } : {}) }],
    signal: refundNotifiedSignal,
    signalArgs: [],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: IntegrationIdsKey, value: [input.integrationId] },
      { key: OrderIdKey, value: input.orderId },
    ],
  });
  return { workflowId };
}
