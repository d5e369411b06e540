import { join } from 'node:path';

/**
 * The environment of an API or worker process of ours pointed at the emulators of a test or bench: the apps'
 * credentials, the emulators' addresses, the encryption key and where data and mail go. Callers add the rest.
 */
export function emulatedProcessEnv(input: {
  emulated: { shop: string; shopify: { origin: string }; qbo: { origin: string } };
  shopifyApp: { apiKey: string; apiSecret: string };
  qboApp: { clientId: string; clientSecret: string };
  key: Buffer;
  dataDir: string;
}): NodeJS.ProcessEnv {
  const { emulated, shopifyApp, qboApp, key, dataDir } = input;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SHOPIFY_API_KEY: shopifyApp.apiKey,
    SHOPIFY_API_SECRET: shopifyApp.apiSecret,
    QBO_CLIENT_ID: qboApp.clientId,
    QBO_CLIENT_SECRET: qboApp.clientSecret,
    QBO_ENVIRONMENT: 'sandbox',
    SHOPIFY_EMULATOR_SHOPS: `${emulated.shop}=${emulated.shopify.origin}`,
    QBO_EMULATOR_URL: emulated.qbo.origin,
    LEDGERBRIDGE_ENCRYPTION_KEY: key.toString('base64'),
    LEDGERBRIDGE_DATA_DIR: dataDir,
    MAIL_OUTBOX_DIR: join(dataDir, 'outbox'),
  };
}
