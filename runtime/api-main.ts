// Production API process (temporal-docker-compose.yml): configuration from the environment only.
import { appConfigFromEnv } from './app-config.js';
import { openServices, startApi } from './ledgerbridge-services.js';

const services = await openServices(appConfigFromEnv());
const app = await startApi(services);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    await services.close();
  });
}
