// Production API process (temporal-docker-compose.yml, `npm run api`): configuration from the environment only.
import { startMetricsServer } from '../observability/metrics-server.js';
import { appConfigFromEnv } from './app-config.js';
import { exitOnConfigError, say } from './process-output.js';
import { openServices, startApi } from './ledgerbridge-services.js';
import { onShutdown } from './shutdown-signals.js';

const config = exitOnConfigError(() => appConfigFromEnv());
const services = await openServices(config);
const app = await startApi(services);
const metrics = config.metrics ? await startMetricsServer(config.metrics) : null;
say('api', `listening on http://${config.apiHost}:${config.apiPort} (pid ${process.pid}, Temporal ${config.temporalAddress}/${config.temporalNamespace}${metrics ? `, metrics ${metrics.url}` : ''})`);

onShutdown(async (reason) => {
  say('api', `stopping (${reason})`);
  await app.close();
  await metrics?.close();
  await services.close();
  say('api', 'stopped');
});
