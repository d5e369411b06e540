import type { ConnectionProblem, ConnectionProblemSink } from '../activities/order-sync-activities.js';
import { signalIntegrationHealth, type IntegrationHealthRuntime } from './integration-health-starter.js';

/**
 * What order syncs call when they hit a credentials error: signal-with-start of the integration's health
 * workflow, which re-checks at once instead of at its next interval.
 */
export function createConnectionProblemSink(runtime: IntegrationHealthRuntime): ConnectionProblemSink {
  return {
    async connectionFailed(problem: ConnectionProblem): Promise<void> {
      await signalIntegrationHealth(runtime, problem.integrationId, { name: 'connectionProblem', problem });
    },
  };
}

/** For the webhook handler: Shopify sent app/uninstalled for this integration's shop. */
export async function reportAppUninstalled(runtime: IntegrationHealthRuntime, integrationId: string): Promise<void> {
  await signalIntegrationHealth(runtime, integrationId, { name: 'appUninstalled' });
}
