// Production API process (temporal-docker-compose.yml, `npm run api`): configuration from the environment only.
import { startMetricsServer } from '../observability/metrics-server.js';
import { appConfigFromEnv, ConfigError } from './app-config.js';
import { exitOnConfigError, say } from './process-output.js';
import { openServices, startApi } from './ledgerbridge-services.js';
import { onShutdown } from './shutdown-signals.js';

const config = exitOnConfigError(() => {
  // A token generated here would be known to no one: operators must be able to call the API they run.
  if (!process.env.OPERATOR_TOKEN) throw new ConfigError('OPERATOR_TOKEN is not set. See "Configuration" in README.md.');
  return appConfigFromEnv();
});
const services = await openServices(config);
const app = await startApi(services);
// The handler is in place before we say we listen: a SIGTERM right after that line stops gracefully.
const metricsStarting = config.metrics ? startMetricsServer(config.metrics) : Promise.resolve(null);
onShutdown(async (reason) => {
  say('api', `stopping (${reason})`);
  await app.close();
  await (await metricsStarting)?.close();
  await services.close();
  say('api', 'stopped');
});
const metrics = await metricsStarting;
say('api', `listening on http://${config.apiHost}:${config.apiPort} (pid ${process.pid}, Temporal ${config.temporalAddress}/${config.temporalNamespace}${metrics ? `, metrics ${metrics.url}` : ''})`);

