import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { redactSecrets } from '../security/redact-secrets.js';
import { orderSyncStatusQuery, type OrderSyncStatus } from '../workflows/order-sync.js';

// The detail page must answer even when no worker is there to answer the query.
const QUERY_DEADLINE_MS = 3_000;

type LiveError = NonNullable<OrderSyncStatus['lastError']> & { suggestions: NonNullable<NonNullable<OrderSyncStatus['lastError']>['suggestions']> };

export interface OrderSyncWorkflowView {
  workflowId: string;
  runId: string;
  status: string;
  live: (Omit<OrderSyncStatus, 'lastError'> & { lastError: LiveError | null }) | null;
  liveUnavailableReason: string | null;
}

/** The order's workflow as Temporal sees it, with the running workflow's own status; null if none exists. */
export async function orderSyncWorkflowView(temporal: Client, workflowId: string): Promise<OrderSyncWorkflowView | null> {
  const handle = temporal.workflow.getHandle(workflowId);
  let description;
  try {
    description = await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.describe());
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
  const view: OrderSyncWorkflowView = {
    workflowId,
    runId: description.runId,
    status: description.status.name,
    live: null,
    liveUnavailableReason: null,
  };
  if (description.status.name !== 'RUNNING') {
    view.liveUnavailableReason = 'The sync has ended; the order row holds its final state.';
    return view;
  }
  try {
    const live = await temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(orderSyncStatusQuery));
    // Details are for an engineer, but they travel to a browser: no token or authorization code goes with them.
    const lastError = live.lastError
      ? { ...live.lastError, message: redactSecrets(live.lastError.message), detail: redactSecrets(live.lastError.detail), suggestions: live.lastError.suggestions ?? [] }
      : null;
    view.live = { ...live, lastError };
  } catch (error) {
    view.liveUnavailableReason = `The running sync did not answer (is a worker running?): ${redactSecrets((error as Error).message)}`;
  }
  return view;
}
