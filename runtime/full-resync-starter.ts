import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { fullResyncProgressQuery, fullResyncWorkflow, type FullResyncInput, type FullResyncProgress } from '../workflows/full-resync.js';
import { IntegrationIdsKey } from '../workflows/search-attributes.js';

/** Business identity: one re-sync per store at a time; the next one reuses the id once it ended. */
export function fullResyncWorkflowId(integrationId: string): string {
  return `full-resync/${integrationId}`;
}

/** How long reading a running re-sync's progress waits for a worker to answer. */
const QUERY_WAIT_MS = 5_000;

export class ResyncRunningError extends Error {
  constructor() {
    super('A full re-sync of this store is running already: wait for it to finish, or cancel it first.');
  }
}

/** What the API shows of a re-sync: its progress, with how fast it goes. */
export interface FullResyncView extends FullResyncProgress {
  workflowId: string;
  /** Items checked a second, over the whole walk so far. */
  ratePerSecond: number;
  /** Items checked, and (where the store says) how many there are, over every kind. */
  done: number;
  total: number | null;
}

export interface ResyncRuntime {
  client: Client;
  taskQueue: string;
}

/** Starts a store's full re-sync; ResyncRunningError when one is running already. */
export async function startFullResync(runtime: ResyncRuntime, input: FullResyncInput): Promise<FullResyncView> {
  const workflowId = fullResyncWorkflowId(input.integrationId);
  try {
    await runtime.client.workflow.start(fullResyncWorkflow, {
      workflowId,
      taskQueue: runtime.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      // Deleting the integration finds (and ends) it: IntegrationIds = "<id>".
      typedSearchAttributes: [{ key: IntegrationIdsKey, value: [input.integrationId] }],
      staticSummary: `Full re-sync of ${input.integrationId}${input.routeId ? ` (route ${input.routeId})` : ''}`,
    });
  } catch (error) {
    // Said without asking the running one for its progress: that needs a worker, and the answer must not wait for one.
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ResyncRunningError();
    throw error;
  }
  return viewOf(workflowId, startingProgress(input));
}

/** The store's latest re-sync (running or ended), or null when it never had one. */
export async function readFullResync(client: Client, integrationId: string): Promise<FullResyncView | null> {
  const workflowId = fullResyncWorkflowId(integrationId);
  const handle = client.workflow.getHandle<typeof fullResyncWorkflow>(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
  const status = description.status.name;
  if (status === 'COMPLETED') return viewOf(workflowId, await handle.result());
  if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW') {
    try {
      // A query needs a worker: without one, say so rather than keep a page or an API call waiting.
      return viewOf(workflowId, await client.withDeadline(Date.now() + QUERY_WAIT_MS, () => handle.query(fullResyncProgressQuery)));
    } catch {
      const progress = startingProgress({ integrationId });
      return viewOf(workflowId, { ...progress, startedAt: description.startTime.toISOString(), summary: 'Running; its progress cannot be read right now (no worker answered).' });
    }
  }
  // Terminated (the integration was deleted) or failed on a bug: said as such, counts unknown.
  const progress = startingProgress({ integrationId });
  return viewOf(workflowId, { ...progress, state: 'failed', error: `The re-sync ended: ${status.toLowerCase()}.`, summary: `The re-sync ended: ${status.toLowerCase()}.`, endedAt: description.closeTime?.toISOString() ?? null });
}

/** Asks the running re-sync to stop after the item in hand; false when none is running. */
export async function cancelFullResync(client: Client, integrationId: string): Promise<boolean> {
  const handle = client.workflow.getHandle(fullResyncWorkflowId(integrationId));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return false;
    await handle.cancel();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

function viewOf(workflowId: string, progress: FullResyncProgress): FullResyncView {
  const done = progress.kinds.reduce((sum, kind) => sum + kind.counts.checked, 0);
  const totals = progress.kinds.map((kind) => (kind.done ? kind.counts.checked : kind.total));
  const total = totals.includes(null) ? null : (totals as number[]).reduce((sum, n) => sum + n, 0);
  const seconds = Math.max(((progress.endedAt ? Date.parse(progress.endedAt) : Date.now()) - Date.parse(progress.startedAt)) / 1000, 0.001);
  return { ...progress, workflowId, done, total, ratePerSecond: Math.round((done / seconds) * 100) / 100 };
}

function startingProgress(input: Pick<FullResyncInput, 'integrationId' | 'kinds' | 'from' | 'perSecond'>): FullResyncProgress {
  return {
    state: 'running',
    integrationId: input.integrationId,
    routeIds: [],
    from: input.from ?? null,
    perSecond: input.perSecond ?? 0,
    startedAt: new Date().toISOString(),
    endedAt: null,
    kinds: (input.kinds ?? ['orders']).map((kind) => ({ kind, counts: { checked: 0, started: 0, in_progress: 0, already_done: 0, before_start_date: 0, kind_off: 0 }, total: null, notListed: null, done: false })),
    runs: 1,
    summary: 'Starting.',
    error: null,
  };
}
