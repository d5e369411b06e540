import { startWooCommerceEmulator } from './server.js';

/**
 * Runs the store emulator standalone: PORT, WOOCOMMERCE_HTTP_CALLBACK_HOSTS (comma-separated hosts whose key-grant
 * callback may be plain http, e.g. 127.0.0.1 for a local API). A WooCommerce integration's store URL is its origin.
 */
const emulator = await startWooCommerceEmulator({
  port: Number(process.env.PORT ?? 0),
  httpCallbackHosts: (process.env.WOOCOMMERCE_HTTP_CALLBACK_HOSTS ?? '').split(',').map((host) => host.trim()).filter(Boolean),
  logger: process.env.LOG_REQUESTS === '1',
});
console.log(`WooCommerce emulator on ${emulator.origin} (store URL; control API: ${emulator.origin}/_emulator/webhooks, /_emulator/orders)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
