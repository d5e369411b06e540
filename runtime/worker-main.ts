// Production worker process (temporal-docker-compose.yml, `npm run worker`): configuration from the environment only.
import { count } from 'drizzle-orm';
import { integrations } from '../db/schema.js';
import { integrationStatusGauge } from '../observability/metrics.js';
import { startMetricsServer } from '../observability/metrics-server.js';
import { appConfigFromEnv } from './app-config.js';
import { exitOnConfigError, say } from './process-output.js';
import { openServices, startWorker } from './ledgerbridge-services.js';
import { prebuiltWorkflowBundle } from './prebuilt-workflow-bundle.js';
import { onShutdown } from './shutdown-signals.js';
import { installWorkerRuntime } from './worker-runtime.js';

const config = exitOnConfigError(() => appConfigFromEnv());
const workflowBundlePath = prebuiltWorkflowBundle();
const { sdkMetricsUrl } = await installWorkerRuntime({ metrics: config.metrics !== null });
const services = await openServices(config);
const { worker, done } = await startWorker(services, workflowBundlePath ? { workflowBundlePath } : {});
// Before saying we run: a SIGTERM (or a launcher stopped) right after that line must find the handler in place.
onShutdown((reason) => {
  say('worker', `stopping (${reason}): finishing in-flight tasks`);
  if (worker.getState() === 'RUNNING') worker.shutdown();
});
let metrics = null;
if (config.metrics) {
  const db = services.database.db;
  integrationStatusGauge(async () =>
    (await db.select({ platform: integrations.platform, status: integrations.status, count: count() }).from(integrations).groupBy(integrations.platform, integrations.status)).map((row) => ({ ...row, count: Number(row.count) })),
  );
  metrics = await startMetricsServer({ ...config.metrics, ...(sdkMetricsUrl ? { sdkMetricsUrl } : {}) });
}
say('worker', `running (pid ${process.pid}, task queue ${config.taskQueue}, Temporal ${config.temporalAddress}/${config.temporalNamespace}` +
  `, ${workflowBundlePath ? `prebuilt workflow bundle ${workflowBundlePath}` : 'workflows bundled from the sources'}${metrics ? `, metrics ${metrics.url}` : ''})`);

await done;
await metrics?.close();
await services.close();
say('worker', 'stopped');
