// Production worker process (temporal-docker-compose.yml): configuration from the environment only.
import { appConfigFromEnv } from './app-config.js';
import { openServices, startWorker } from './ledgerbridge-services.js';

const services = await openServices(appConfigFromEnv());
const { done } = await startWorker(services);
// The Temporal runtime shuts the worker down on SIGINT/SIGTERM; `done` settles when it has drained.
await done;
await services.close();
