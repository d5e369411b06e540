import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { ConnectionProblem } from '../activities/order-sync-activities.js';
import {
  appUninstalledSignal,
  credentialsUpdatedSignal,
  integrationHealthWorkflow,
  pauseSignal,
  resumeSignal,
  connectionProblemSignal,
  type IntegrationHealthInput,
} from '../workflows/integration-health.js';
import { IntegrationIdsKey } from '../workflows/search-attributes.js';

/** Where and how health workflows run; one per deployment (tests pass their own task queue and intervals). */
export interface IntegrationHealthRuntime {
  client: Client;
  taskQueue: string;
  checkIntervalMs?: number;
  digestWindowMs?: number;
  /** Between reconciliation polls of a store (runtime/order-poll-schedule.ts); default 5 minutes. */
  orderPollIntervalMs?: number;
}

/** Business identity: exactly one health workflow per integration. */
export function integrationHealthWorkflowId(integrationId: string): string {
  return `integration-health/${integrationId}`;
}

function startOptions(runtime: IntegrationHealthRuntime, integrationId: string) {
  const input: IntegrationHealthInput = { integrationId };
  if (runtime.checkIntervalMs !== undefined) input.checkIntervalMs = runtime.checkIntervalMs;
  if (runtime.digestWindowMs !== undefined) input.digestWindowMs = runtime.digestWindowMs;
  return {
    workflowId: integrationHealthWorkflowId(integrationId),
    taskQueue: runtime.taskQueue,
    args: [input] as [IntegrationHealthInput],
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    // Lets operators (and delete) find every workflow of an integration: IntegrationIds = "<id>".
    typedSearchAttributes: [{ key: IntegrationIdsKey, value: [integrationId] }],
  };
}

/** Starts the integration's health workflow, or joins the one already running. */
export async function startIntegrationHealth(runtime: IntegrationHealthRuntime, integrationId: string): Promise<{ workflowId: string; runId: string }> {
  const handle = await runtime.client.workflow.start(integrationHealthWorkflow, {
    ...startOptions(runtime, integrationId),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

type HealthSignal =
  | { name: 'connectionProblem'; problem: ConnectionProblem }
  /** With the new grant's generation when the caller saved one (CredentialStore.save). */
  | { name: 'credentialsUpdated'; grantGeneration?: number }
  | { name: 'appUninstalled' | 'pause' | 'resume' };

/**
 * Signals the health workflow, starting it when it is not running (an integration created before this
 * code, or a workflow someone terminated): a report is never lost to a missing workflow.
 */
export async function signalIntegrationHealth(runtime: IntegrationHealthRuntime, integrationId: string, signal: HealthSignal): Promise<void> {
  const options = startOptions(runtime, integrationId);
  const client = runtime.client.workflow;
  switch (signal.name) {
    case 'connectionProblem':
      await client.signalWithStart(integrationHealthWorkflow, { ...options, signal: connectionProblemSignal, signalArgs: [signal.problem] });
      return;
    case 'appUninstalled':
      await client.signalWithStart(integrationHealthWorkflow, { ...options, signal: appUninstalledSignal, signalArgs: [] });
      return;
    case 'credentialsUpdated':
      await client.signalWithStart(integrationHealthWorkflow, {
        ...options,
        signal: credentialsUpdatedSignal,
        signalArgs: signal.grantGeneration === undefined ? [] : [{ grantGeneration: signal.grantGeneration }],
      });
      return;
    case 'pause':
      await client.signalWithStart(integrationHealthWorkflow, { ...options, signal: pauseSignal, signalArgs: [] });
      return;
    case 'resume':
      await client.signalWithStart(integrationHealthWorkflow, { ...options, signal: resumeSignal, signalArgs: [] });
      return;
  }
}
