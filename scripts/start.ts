// `npm start`: the whole product on one machine — Temporal dev server with its Web UI, the platform
// emulators with demo data, the worker and the API — connected through the real OAuth flows.
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { approveConsent } from '../emulators/common/oauth-consent.js';
import { startQboEmulator } from '../emulators/qbo/emulator.js';
import { DEMO_QBD_COMPANY } from '../emulators/qbd/demo-company.js';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';
import { WebConnectorEmulator } from '../emulators/qbd/web-connector.js';
import { DEMO_ORGANISATION } from '../emulators/xero/demo-organisation.js';
import { startXeroEmulator } from '../emulators/xero/emulator.js';
import { seedDemoShop, startShopifyEmulator, type ShopifyEmulator } from '../emulators/shopify/index.js';
import { seedDemoSite, startSquarespaceEmulator, type SquarespaceEmulator } from '../emulators/squarespace/index.js';
import { squarespaceEndpointsAt } from '../platforms/squarespace/index.js';
import { browserUrlFor } from '../platforms/shopify/index.js';
import { qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { appConfigFromEnv, ConfigError, type AppConfig } from '../runtime/app-config.js';
import { createIntegration } from '../runtime/integration-health-creator.js';
import { openServices, startApi, startWorker } from '../runtime/ledgerbridge-services.js';
import { syncRoutes } from '../db/schema.js';
import { saveOperator } from '../api/console/operator-accounts.js';
import { DEMO_OPERATOR } from './demo-operator.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { DEMO_COMPANY } from '../emulators/qbo/demo-company.js';
import { registerSearchAttributes } from './register-search-attributes.js';
import { startDevServer } from './temporal-dev-server.js';

const DEMO_SHOP = 'demo.myshopify.com';
const demo = process.env.LEDGERBRIDGE_DEMO !== '0';
const say = (line: string) => console.log(`[ledgerbridge] ${line}`);

// Demo state lives beside the real one and starts fresh each time: the emulators keep theirs in memory.
const temporalDir = resolve('.temporal');
const dataDir = resolve('.data', demo ? 'demo' : '');
if (demo) await rm(dataDir, { recursive: true, force: true });
await mkdir(temporalDir, { recursive: true });
await mkdir(dataDir, { recursive: true });

// Configuration first: a missing secret is reported before anything starts.
const demoApp = {
  SHOPIFY_API_KEY: 'demo-shopify-app',
  SHOPIFY_API_SECRET: 'demo-shopify-secret',
  QBO_CLIENT_ID: 'demo-intuit-app',
  QBO_CLIENT_SECRET: 'demo-intuit-secret',
  XERO_CLIENT_ID: 'demo-xero-app',
  XERO_CLIENT_SECRET: 'demo-xero-secret',
  SQUARESPACE_CLIENT_ID: 'demo-squarespace-app',
  SQUARESPACE_CLIENT_SECRET: 'demo-squarespace-secret',
};
/** How often the demo's Web Connector visits: seconds, where the real one's schedule is minutes (QBD_POLL_MINUTES). */
const DEMO_WEB_CONNECTOR_INTERVAL_MS = 5_000;
let config: AppConfig;
try {
  config = appConfigFromEnv(process.env, {
    LEDGERBRIDGE_DATA_DIR: dataDir,
    ...(demo ? { ...demoApp, QBO_ENVIRONMENT: 'sandbox', OPERATOR_TOKEN: 'demo-operator-token', QBD_POLL_MINUTES: '1' } : {}),
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`[ledgerbridge] ${error.message}`);
  process.exit(1);
}

let stopTemporal = async () => {};
let temporalAddress = process.env.TEMPORAL_ADDRESS;
if (!temporalAddress) {
  const dbFile = resolve(temporalDir, demo ? 'demo.sqlite' : 'dev.sqlite');
  if (demo) await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(dbFile + suffix, { force: true })));
  say('Starting the Temporal dev server…');
  const server = await startDevServer({
    dbFile,
    port: Number(process.env.TEMPORAL_PORT ?? 7233),
    uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    // The UI decodes encrypted payloads through the API (operators only: see README, "Encrypted Temporal payloads").
    uiCodecEndpoint: `${config.publicBaseUrl}/codec`,
    searchAttributes: allSearchAttributeKeys,
    log: say,
  });
  temporalAddress = server.address;
  stopTemporal = () => server.stop();
  // Our own local dev server: no TLS or API key from a temporal.toml profile meant for another cluster.
  config.temporalConnection = {};
  config.temporalNamespace = 'default';
  const uiPort = process.env.TEMPORAL_UI_PORT ?? 8233;
  config.temporalUiOrigins = [...new Set([...config.temporalUiOrigins, `http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`])];
}
const added = await registerSearchAttributes(temporalAddress, config.temporalNamespace, config.temporalConnection);
if (added.length) say(`Registered search attributes: ${added.join(', ')}`);

config.temporalAddress = temporalAddress;

const emulators: { close(): Promise<void> }[] = [];
let demoShopify: ShopifyEmulator | null = null;
let demoSquarespace: SquarespaceEmulator | null = null;
// QuickBooks Desktop has no server to start: its company sits behind the Web Connector emulator, started once the API listens.
let webConnector: WebConnectorEmulator | null = null;
if (demo) {
  const shopify = await startShopifyEmulator({ apiKey: demoApp.SHOPIFY_API_KEY, apiSecret: demoApp.SHOPIFY_API_SECRET, shops: [{ domain: DEMO_SHOP, name: 'Demo Shop', currencyCode: 'USD' }] });
  const qbo = await startQboEmulator({ clientId: demoApp.QBO_CLIENT_ID, clientSecret: demoApp.QBO_CLIENT_SECRET, companies: [DEMO_COMPANY], throttleRetryAfterSeconds: 5 });
  const xero = await startXeroEmulator({ clientId: demoApp.XERO_CLIENT_ID, clientSecret: demoApp.XERO_CLIENT_SECRET, organisations: [DEMO_ORGANISATION] });
  // The demo API listens on plain http: the site may post its notifications there.
  const squarespace = await startSquarespaceEmulator({
    clientId: demoApp.SQUARESPACE_CLIENT_ID,
    clientSecret: demoApp.SQUARESPACE_CLIENT_SECRET,
    siteTitle: 'Demo Squarespace Site',
    httpEndpointHosts: [new URL(config.publicBaseUrl).hostname],
  });
  emulators.push(shopify, qbo, xero, squarespace);
  config.platforms.squarespace.endpoints = squarespaceEndpointsAt(squarespace.origin);
  demoSquarespace = squarespace;
  config.platforms.shopify.emulatorShops = { [DEMO_SHOP]: shopify.origin };
  Object.assign(config.platforms.qbo, qboEndpointsAt(qbo.urls));
  config.platforms.xero.endpoints = xero.urls;
  say(`Shopify emulator:             ${shopify.origin} (shop ${DEMO_SHOP}; control API under /_emulator)`);
  say(`QuickBooks Online emulator:   ${qbo.origin} (realm ${DEMO_COMPANY.realmId}; control API under /_emulator)`);
  say(`Xero emulator:                ${xero.origin} (organisation ${DEMO_ORGANISATION.tenantId}; control API under /_emulator)`);
  say(`Squarespace emulator:         ${squarespace.origin} (website ${squarespace.control.site.websiteId}; control API under /_emulator)`);
  demoShopify = shopify;
}

const services = await openServices(config);
const { worker, done: workerDone } = await startWorker(services);
const api = await startApi(services, { level: 'warn' });

if (demoShopify) {
  const shopify = demoShopify;
  const db = services.database.db;
  const shop = await createIntegration(db, services.platforms, services.health, { platform: 'shopify', account: { shop: DEMO_SHOP }, notifyEmails: ['bookkeeper@example.com'] });
  const newLedger = (platform: 'qbo' | 'xero' | 'qbd') => createIntegration(db, services.platforms, services.health, { platform, notifyEmails: ['bookkeeper@example.com'] });
  const books = await newLedger('qbo');
  const xeroBooks = await newLedger('xero');
  const desktopBooks = await newLedger('qbd');
  const site = await createIntegration(db, services.platforms, services.health, { platform: 'squarespace', notifyEmails: ['bookkeeper@example.com'] });
  // The OAuth click-through a person would do: our connect link → the platform's consent page → our callback.
  for (const integration of [shop, books, xeroBooks, site]) {
    const connect = await fetch(`${config.publicBaseUrl}/integrations/${integration.id}/connect`, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${config.operatorToken}` },
    });
    const { callbackUrl } = await approveConsent(connect.headers.get('location')!, browserUrlFor);
    const callback = await fetch(callbackUrl);
    if (!callback.ok) throw new Error(`Connecting ${integration.displayName} failed: ${await callback.text()}`);
    say(`Connected ${integration.displayName} through its OAuth flow.`);
  }
  // QuickBooks Desktop: the operator creates the Web Connector login; the person adds the .qwc and types the password.
  const login = await fetch(`${config.publicBaseUrl}/integrations/${desktopBooks.id}/qbd/web-connector`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.operatorToken}` },
  });
  if (!login.ok) throw new Error(`Creating the Web Connector login of ${desktopBooks.displayName} failed: ${await login.text()}`);
  const { userName, password } = (await login.json()) as { userName: string; password: string };
  webConnector = new WebConnectorEmulator({
    appUrl: config.platforms.qbd.webConnectorUrl,
    userName,
    password,
    company: new QbdCompanyEmulator({ company: DEMO_QBD_COMPANY }),
    intervalMs: DEMO_WEB_CONNECTOR_INTERVAL_MS,
    noOpDelayMs: 1_000,
  });
  // Its first visit now ("Update Selected"), then Auto-Run; the health check then sees the visit and says Connected.
  const firstVisit = await webConnector.runOnce();
  webConnector.start();
  const check = await fetch(`${config.publicBaseUrl}/integrations/${desktopBooks.id}/check`, { method: 'POST', headers: { authorization: `Bearer ${config.operatorToken}` } });
  const health = check.ok ? ((await check.json()) as { status: string; reason: string | null }) : { status: `not checked (${check.status})`, reason: await check.text() };
  say(`${health.status === 'connected' ? 'Connected' : 'Could not connect'} ${desktopBooks.displayName} through the Web Connector emulator (first visit: ${firstVisit.outcome}${health.status === 'connected' ? '' : `; health: ${health.status}, ${health.reason}`}).`);
  say(`  It visits ${config.platforms.qbd.webConnectorUrl} every ${DEMO_WEB_CONNECTOR_INTERVAL_MS / 1000} s as ${userName}.`);
  say(`  Its .qwc file: curl -H "Authorization: Bearer ${config.operatorToken}" -o ledgerbridge.qwc ${config.publicBaseUrl}/integrations/${desktopBooks.id}/qbd/qwc`);
  await db.insert(syncRoutes).values([
    { id: 'demo', sourceIntegrationId: shop.id, targetIntegrationId: books.id },
    { id: 'demo-xero', sourceIntegrationId: shop.id, targetIntegrationId: xeroBooks.id },
    { id: 'demo-qbd', sourceIntegrationId: shop.id, targetIntegrationId: desktopBooks.id },
    // Its order numbers start at #1001 like the Shopify demo shop's, in the same ledger: a prefix keeps them apart.
    { id: 'demo-squarespace', sourceIntegrationId: site.id, targetIntegrationId: books.id, documentNumberPrefix: 'SQ-' },
  ]);
  say(`Routes: demo → ${books.displayName}, demo-xero → ${xeroBooks.displayName}, demo-qbd → ${desktopBooks.displayName}, demo-squarespace: ${site.displayName} → ${books.displayName}.`);
  // Connecting the shop subscribed it to our webhooks through the Admin API (webhookSubscriptionCreate).
  const subscribed = shopify.control.webhooks.listSubscriptions(DEMO_SHOP).map((s) => s.topic);
  say(`Shopify sends ${subscribed.join(', ')} to ${config.publicBaseUrl}/webhooks/shopify.`);
  // Saved (not only created) so a demo that kept its database starts with the same account.
  await saveOperator(db, DEMO_OPERATOR.email, DEMO_OPERATOR.password, { replace: true });
  seedDemoShop(shopify.control);
  say('Demo orders created in the shop; their webhooks start the syncs into all three ledgers (one waits for a SKU mapping).');
  if (demoSquarespace) {
    seedDemoSite(demoSquarespace.control);
    say(`Demo orders created on the Squarespace site; its notifications (${config.publicBaseUrl}/webhooks/squarespace) book them into ${books.displayName} (one waits for a mapping).`);
  }
}

say(`API:              ${config.publicBaseUrl}  (OpenAPI: ${config.publicBaseUrl}/openapi.json)`);
say(`Operator token:   ${config.operatorToken}`);
say(
  demoShopify
    ? `Console:          ${config.publicBaseUrl}/console  (sign in as ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password})`
    : `Console:          ${config.publicBaseUrl}/console  (create an account: npm run operator -- add you@example.com)`,
);
say(`Decrypted payloads in the Web UI: sign in once at ${config.publicBaseUrl}/codec/session, then turn on "Include cross-origin credentials" in the UI's codec settings.`);
say(`Temporal Web UI:  http://127.0.0.1:${process.env.TEMPORAL_UI_PORT ?? 8233}  (try: SyncState = "waiting_for_fix")`);
say(`Email:            ${config.mail.delivery.kind === 'smtp' ? config.mail.delivery.url : `${config.mail.delivery.dir}/*.eml`}`);
say(`Try:  curl -H "Authorization: Bearer ${config.operatorToken}" ${config.publicBaseUrl}/routes/demo/orders   (also demo-xero, demo-qbd, demo-squarespace)`);
say('Ctrl-C stops everything.');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  say('Stopping…');
  await webConnector?.stop();
  await api.close();
  // The Temporal runtime stops workers on SIGINT/SIGTERM by itself; only ask when it has not.
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await workerDone;
  await services.close();
  await Promise.allSettled(emulators.map((e) => e.close()));
  await stopTemporal();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
