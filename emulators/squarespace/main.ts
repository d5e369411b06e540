import { startSquarespaceEmulator } from './server.js';

/**
 * Runs the Squarespace emulator standalone: PORT, SQUARESPACE_CLIENT_ID / SQUARESPACE_CLIENT_SECRET (the app),
 * SQUARESPACE_HTTP_ENDPOINT_HOSTS (comma-separated hosts whose webhook endpoint may be plain http). Point
 * ledgerbridge at it with SQUARESPACE_EMULATOR_URL.
 */
const emulator = await startSquarespaceEmulator({
  port: Number(process.env.PORT ?? 0),
  clientId: process.env.SQUARESPACE_CLIENT_ID ?? 'ledgerbridge-demo-client',
  clientSecret: process.env.SQUARESPACE_CLIENT_SECRET ?? 'ledgerbridge-demo-secret',
  httpEndpointHosts: (process.env.SQUARESPACE_HTTP_ENDPOINT_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean),
  logger: process.env.LOG_REQUESTS === '1',
});
console.log(`Squarespace emulator on ${emulator.origin} (control API: ${emulator.origin}/_emulator/orders, /_emulator/subscriptions)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
