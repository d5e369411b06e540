import { seedDemoShop } from './demo-data.js';
import { startShopifyEmulator } from './server.js';

/** Runs the emulator standalone: PORT, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_SHOPS (comma-separated domains). */
const emulator = await startShopifyEmulator({
  apiKey: process.env.SHOPIFY_API_KEY ?? 'ledgerbridge-dev-key',
  apiSecret: process.env.SHOPIFY_API_SECRET ?? 'ledgerbridge-dev-secret',
  port: Number(process.env.PORT ?? 0),
  shops: (process.env.SHOPIFY_SHOPS ?? 'demo.myshopify.com').split(',').map((domain) => ({ domain: domain.trim(), name: 'Demo Shop' })),
  seed: seedDemoShop,
  logger: process.env.LOG_REQUESTS === '1',
});
console.log(`Shopify emulator on ${emulator.origin} hosting ${emulator.shops.join(', ')} (control API: ${emulator.origin}/_emulator/state)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
