// `npm start`: the whole product on one machine — Temporal dev server with its Web UI, the platform
// emulators with demo data, the worker and the API — connected through the real OAuth flows.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
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
import { answerKeyGrant, seedDemoWooStore, startWooCommerceEmulator, type WooCommerceEmulator } from '../emulators/woocommerce/index.js';
import { restorePersistedParts, savePersistedParts, type PersistedParts } from '../emulators/common/persisted-state.js';
import { browserUrlFor } from '../platforms/shopify/index.js';
import { qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { appConfigFromEnv, ConfigError, type AppConfig } from '../runtime/app-config.js';
import { createIntegration } from '../runtime/integration-health-creator.js';
import { openServices, startApi, startWorker } from '../runtime/ledgerbridge-services.js';
import { integrations, syncRoutes } from '../db/schema.js';
import { saveOperator } from '../api/console/operator-accounts.js';
import { DEMO_OPERATOR } from './demo-operator.js';
import { choosePayoutAccounts, DEMO_PAYOUT_ROUTES, operatorApi, seedDemoMoney } from './demo-money.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { DEMO_COMPANY } from '../emulators/qbo/demo-company.js';
import { registerSearchAttributes } from './register-search-attributes.js';
import { startDevServer } from './temporal-dev-server.js';
import { temporalUiCodecWiring } from './temporal-ui-codec.js';

const DEMO_SHOP = 'demo.myshopify.com';
const demo = process.env.LEDGERBRIDGE_DEMO !== '0';
const say = (line: string) => console.log(`[ledgerbridge] ${line}`);

// Demo state lives beside the real one and is kept across restarts (database, Temporal, the emulators' accounts,
// orders and documents) unless started with --fresh. Kept only whole: without the emulators' file (first start, or a
// demo killed before it saved once) everything starts afresh, so the database never names accounts the emulators lack.
const temporalDir = resolve('.temporal');
const dataDir = resolve('.data', demo ? 'demo' : '');
const emulatorStateFile = resolve(dataDir, 'emulators.v8');
const temporalDbFile = resolve(temporalDir, demo ? 'demo.sqlite' : 'dev.sqlite');
const keptDemo = demo && !process.argv.includes('--fresh') && existsSync(emulatorStateFile);
if (demo && !keptDemo) {
  await rm(dataDir, { recursive: true, force: true });
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(temporalDbFile + suffix, { force: true })));
}
await mkdir(temporalDir, { recursive: true });
await mkdir(dataDir, { recursive: true });
/** Fixed ports in the demo: a kept WooCommerce integration names its store by URL, and bookmarks keep working. */
const DEMO_PORTS = { shopify: 4701, qbo: 4702, xero: 4703, woocommerce: 4704, squarespace: 4705 } as const;
/** How often the demo writes the emulators' state (and once more when stopped). */
const DEMO_SAVE_EVERY_MS = 10_000;

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
  say('Starting the Temporal dev server…');
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  // The UI decodes encrypted payloads through the API (operators only: see README, "Encrypted Temporal payloads").
  const uiCodec = temporalUiCodecWiring(config.publicBaseUrl, uiPort);
  const server = await startDevServer({
    dbFile: temporalDbFile,
    port: Number(process.env.TEMPORAL_PORT ?? 7233),
    uiPort,
    uiCodecEndpoint: uiCodec.uiCodecEndpoint,
    searchAttributes: allSearchAttributeKeys,
    log: say,
  });
  temporalAddress = server.address;
  stopTemporal = () => server.stop();
  // Our own local dev server: no TLS or API key from a temporal.toml profile meant for another cluster.
  config.temporalConnection = {};
  config.temporalNamespace = 'default';
  config.temporalUiOrigins = [...new Set([...config.temporalUiOrigins, ...uiCodec.uiOrigins])];
}
const added = await registerSearchAttributes(temporalAddress, config.temporalNamespace, config.temporalConnection);
if (added.length) say(`Registered search attributes: ${added.join(', ')}`);

config.temporalAddress = temporalAddress;

const emulators: { close(): Promise<void> }[] = [];
let demoShopify: ShopifyEmulator | null = null;
let demoSquarespace: SquarespaceEmulator | null = null;
let demoWoo: WooCommerceEmulator | null = null;
// QuickBooks Desktop has no server to start: its company sits behind the Web Connector emulator, started once the API listens.
let webConnector: WebConnectorEmulator | null = null;
const demoQbdCompany = demo ? new QbdCompanyEmulator({ company: DEMO_QBD_COMPANY }) : null;
/** Every emulator's part of the demo's state, written to emulatorStateFile. */
const persisted: Record<string, PersistedParts> = {};
if (demo) {
  const publicHost = new URL(config.publicBaseUrl).hostname;
  const shopify = await startShopifyEmulator({ port: DEMO_PORTS.shopify, apiKey: demoApp.SHOPIFY_API_KEY, apiSecret: demoApp.SHOPIFY_API_SECRET, shops: [{ domain: DEMO_SHOP, name: 'Demo Shop', currencyCode: 'USD' }] });
  const qbo = await startQboEmulator({ port: DEMO_PORTS.qbo, clientId: demoApp.QBO_CLIENT_ID, clientSecret: demoApp.QBO_CLIENT_SECRET, companies: [DEMO_COMPANY], throttleRetryAfterSeconds: 5 });
  const xero = await startXeroEmulator({ port: DEMO_PORTS.xero, clientId: demoApp.XERO_CLIENT_ID, clientSecret: demoApp.XERO_CLIENT_SECRET, organisations: [DEMO_ORGANISATION] });
  // WooCommerce posts keys only to https callbacks; the demo API is plain http on this machine (emulators/woocommerce/FIDELITY.md).
  const woo = await startWooCommerceEmulator({ port: DEMO_PORTS.woocommerce, name: 'Demo Woo Store', httpCallbackHosts: [publicHost] });
  // The demo API listens on plain http: the site may post its notifications there.
  const squarespace = await startSquarespaceEmulator({
    port: DEMO_PORTS.squarespace,
    clientId: demoApp.SQUARESPACE_CLIENT_ID,
    clientSecret: demoApp.SQUARESPACE_CLIENT_SECRET,
    siteTitle: 'Demo Squarespace Site',
    httpEndpointHosts: [publicHost],
  });
  emulators.push(shopify, qbo, xero, woo, squarespace);
  config.platforms.squarespace.endpoints = squarespaceEndpointsAt(squarespace.origin);
  demoSquarespace = squarespace;
  Object.assign(persisted, {
    shopify: shopify.control.persistentParts(),
    qbo: qbo.control.persistentParts(),
    xero: xero.control.persistentParts(),
    woocommerce: woo.control.persistentParts(),
    squarespace: squarespace.control.persistentParts(),
    qbd: demoQbdCompany!.persistentParts(),
  });
  if (keptDemo) {
    await restorePersistedParts(emulatorStateFile, persisted);
    say(`Kept the demo from last time (${dataDir}; npm start -- --fresh starts over).`);
  }
  config.platforms.shopify.emulatorShops = { [DEMO_SHOP]: shopify.origin };
  Object.assign(config.platforms.qbo, qboEndpointsAt(qbo.urls));
  config.platforms.xero.endpoints = xero.urls;
  say(`Shopify emulator:             ${shopify.origin} (shop ${DEMO_SHOP}; control API under /_emulator)`);
  say(`QuickBooks Online emulator:   ${qbo.origin} (realm ${DEMO_COMPANY.realmId}; control API under /_emulator)`);
  say(`Xero emulator:                ${xero.origin} (organisation ${DEMO_ORGANISATION.tenantId}; control API under /_emulator)`);
  say(`Squarespace emulator:         ${squarespace.origin} (website ${squarespace.control.site.websiteId}; control API under /_emulator)`);
  say(`WooCommerce emulator:         ${woo.origin} (store "Demo Woo Store"; control API under /_emulator)`);
  demoShopify = shopify;
  demoWoo = woo;
}
// One save at a time (the timer's and the last one on stop write the same file).
let demoSaved: Promise<void> = Promise.resolve();
const saveDemo = () =>
  (demoSaved = demoSaved.then(() =>
    savePersistedParts(emulatorStateFile, persisted).catch((error) => console.error(`[ledgerbridge] Could not save the demo's emulators: ${(error as Error).message}`)),
  ));

const services = await openServices(config);
const { worker, done: workerDone } = await startWorker(services);
const api = await startApi(services, { level: 'warn' });

if (demoShopify && demoWoo) {
  const shopify = demoShopify;
  const woo = demoWoo;
  const db = services.database.db;
  const operator = { authorization: `Bearer ${config.operatorToken}` };
  const kept = keptDemo ? await db.select().from(integrations) : [];
  const keptOne = (platform: string) => kept.find((row) => row.platform === platform) ?? null;
  const newIntegration = (platform: string, account?: Record<string, string>) =>
    createIntegration(db, services.platforms, services.health, { platform, ...(account ? { account } : {}), notifyEmails: ['bookkeeper@example.com'] });
  const shop = keptOne('shopify') ?? (await newIntegration('shopify', { shop: DEMO_SHOP }));
  const wooStore = keptOne('woocommerce') ?? (await newIntegration('woocommerce', { storeUrl: woo.origin }));
  const site = keptOne('squarespace') ?? (await newIntegration('squarespace'));
  const books = keptOne('qbo') ?? (await newIntegration('qbo'));
  const xeroBooks = keptOne('xero') ?? (await newIntegration('xero'));
  const desktopBooks = keptOne('qbd') ?? (await newIntegration('qbd'));
  if (!keptDemo) {
    // The OAuth click-through a person would do: our connect link → the platform's consent page → our callback.
    for (const integration of [shop, books, xeroBooks, site]) {
      const connect = await fetch(`${config.publicBaseUrl}/integrations/${integration.id}/connect`, { redirect: 'manual', headers: operator });
      const { callbackUrl } = await approveConsent(connect.headers.get('location')!, browserUrlFor);
      const callback = await fetch(callbackUrl);
      if (!callback.ok) throw new Error(`Connecting ${integration.displayName} failed: ${await callback.text()}`);
      say(`Connected ${integration.displayName} through its OAuth flow.`);
    }
    // WooCommerce's key grant: the store owner approves, the store posts the keys to us, the browser comes back.
    const connect = await fetch(`${config.publicBaseUrl}/integrations/${wooStore.id}/connect`, { redirect: 'manual', headers: operator });
    const { returnUrl } = await answerKeyGrant(connect.headers.get('location')!);
    const callback = await fetch(returnUrl);
    if (!callback.ok) throw new Error(`Connecting ${wooStore.displayName} failed: ${await callback.text()}`);
    say(`Connected ${wooStore.displayName} through WooCommerce's key grant.`);
  }
  // QuickBooks Desktop: the operator creates the Web Connector login; the person adds the .qwc and types the password.
  // The password is shown once and kept nowhere in clear, so a kept demo makes a new login each start (as a person would).
  const login = await fetch(`${config.publicBaseUrl}/integrations/${desktopBooks.id}/qbd/web-connector`, { method: 'POST', headers: operator });
  if (!login.ok) throw new Error(`Creating the Web Connector login of ${desktopBooks.displayName} failed: ${await login.text()}`);
  const { userName, password } = (await login.json()) as { userName: string; password: string };
  webConnector = new WebConnectorEmulator({
    appUrl: config.platforms.qbd.webConnectorUrl,
    userName,
    password,
    company: demoQbdCompany!,
    intervalMs: DEMO_WEB_CONNECTOR_INTERVAL_MS,
    noOpDelayMs: 1_000,
  });
  // Its first visit now ("Update Selected"), then Auto-Run; the health check then sees the visit and says Connected.
  const firstVisit = await webConnector.runOnce();
  webConnector.start();
  const check = await fetch(`${config.publicBaseUrl}/integrations/${desktopBooks.id}/check`, { method: 'POST', headers: operator });
  const health = check.ok ? ((await check.json()) as { status: string; reason: string | null }) : { status: `not checked (${check.status})`, reason: await check.text() };
  say(`${health.status === 'connected' ? 'Connected' : 'Could not connect'} ${desktopBooks.displayName} through the Web Connector emulator (first visit: ${firstVisit.outcome}${health.status === 'connected' ? '' : `; health: ${health.status}, ${health.reason}`}).`);
  say(`  It visits ${config.platforms.qbd.webConnectorUrl} every ${DEMO_WEB_CONNECTOR_INTERVAL_MS / 1000} s as ${userName}.`);
  say(`  Its .qwc file: curl -H "Authorization: Bearer ${config.operatorToken}" -o ledgerbridge.qwc ${config.publicBaseUrl}/integrations/${desktopBooks.id}/qbd/qwc`);
  if (!keptDemo) {
    await db.insert(syncRoutes).values([
      { id: 'demo', sourceIntegrationId: shop.id, targetIntegrationId: books.id },
      { id: 'demo-xero', sourceIntegrationId: shop.id, targetIntegrationId: xeroBooks.id },
      { id: 'demo-qbd', sourceIntegrationId: shop.id, targetIntegrationId: desktopBooks.id },
      { id: 'demo-woo', sourceIntegrationId: wooStore.id, targetIntegrationId: books.id },
      // Its order numbers start at #1001 like the Shopify demo shop's, in the same ledger: a prefix keeps them apart.
      { id: 'demo-squarespace', sourceIntegrationId: site.id, targetIntegrationId: books.id, documentNumberPrefix: 'SQ-' },
    ]);
    // Before any order: only sales booked after the choice are paid into the clearing account that payouts clear.
    await choosePayoutAccounts(operatorApi(config.publicBaseUrl, config.operatorToken), DEMO_PAYOUT_ROUTES);
    say(`Payouts: ${DEMO_PAYOUT_ROUTES.map((r) => r.routeId).join(', ')} pay sales into "Shopify Clearing" and deposit payouts to the bank, fees to "Shopify Fees".`);
  }
  const routes = await db.select().from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, shop.id));
  say(`Routes: ${routes.map((r) => r.id).join(', ')} from ${shop.displayName}; demo-woo from ${wooStore.displayName} and demo-squarespace from ${site.displayName}, both → ${books.displayName}.`);
  // Connecting the shop subscribed it to our webhooks through the Admin API (webhookSubscriptionCreate).
  const subscribed = shopify.control.webhooks.listSubscriptions(DEMO_SHOP).map((s) => s.topic);
  say(`Shopify sends ${subscribed.join(', ')} to ${config.publicBaseUrl}/webhooks/shopify.`);
  // Saved (not only created) so a demo that kept its database starts with the same account.
  await saveOperator(db, DEMO_OPERATOR.email, DEMO_OPERATOR.password, { replace: true });
  if (!keptDemo) {
    seedDemoShop(shopify.control);
    seedDemoWooStore(woo.control);
    if (demoSquarespace) seedDemoSite(demoSquarespace.control);
    say(`Demo orders created in the three stores; their webhooks (Squarespace's to ${config.publicBaseUrl}/webhooks/squarespace) start the syncs into the ledgers (one Shopify order and one Squarespace order wait for a mapping).`);
  }
  await saveDemo();
  setInterval(() => void saveDemo(), DEMO_SAVE_EVERY_MS).unref();
  // The money side, once #1001 is booked: a refund, a payout and an audit (each made once, a kept demo's found again).
  say('The money side: a refund of #1001, a payout and an audit (each waits for the bookings before it)…');
  try {
    const money = await seedDemoMoney(operatorApi(config.publicBaseUrl, config.operatorToken), shopify.control, {
      shop: DEMO_SHOP,
      orderName: '#1001',
      routeIds: DEMO_PAYOUT_ROUTES.map((r) => r.routeId),
    });
    for (const line of money.lines) say(line);
  } catch (error) {
    say(`The demo's refund, payout or audit is not all there yet: ${(error as Error).message} See the console's Orders and Payouts pages.`);
  }
}

say(`API:              ${config.publicBaseUrl}  (OpenAPI: ${config.publicBaseUrl}/openapi.json)`);
say(`Operator token:   ${config.operatorToken}`);
say(
  demoShopify
    ? `Console:          ${config.publicBaseUrl}/console  (sign in as ${DEMO_OPERATOR.email} / ${DEMO_OPERATOR.password})`
    : `Console:          ${config.publicBaseUrl}/console  (create an account: npm run operator -- add you@example.com)`,
);
say(
  `Decrypted payloads in the Web UI: sign in once at ${config.publicBaseUrl}/codec/session, then in the UI's codec settings choose ` +
    `"Use my browser setting", endpoint ${config.publicBaseUrl}/codec, "Include cross-origin credentials" on (README, "Encrypted Temporal payloads").`,
);
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
  if (demo) await saveDemo();
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
