import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { createIntegrationHealthActivities } from '../activities/integration-health-activities.js';
import { buildApi } from '../api/app.js';
import { integrationOAuthRoutes, integrationRoutes } from '../api/integration-routes.js';
import { consoleRoutes } from '../api/console/console-plugin.js';
import { qbdOperatorRoutes, qbwcEndpointRoutes } from '../api/qbd-routes.js';
import { qbdConnectPageRoutes } from '../api/qbd-connect-page.js';
import { CredentialStore } from '../db/credential-store.js';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { createMailer, type Mailer } from '../notifications/mail-transport.js';
import { createBookedOrderChangeNotifier } from './booked-order-change-notifier.js';
import { createRouteHaltNotifier } from './route-halt-notifier.js';
import { SharedRequestLimiter } from '../db/shared-request-limiter.js';
import { createInstalledPlatforms } from '../platforms/installed.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import type { ShopifyPlatform } from '../platforms/shopify/index.js';
import type { SquarespacePlatform } from '../platforms/squarespace/index.js';
import type { WooCommercePlatform } from '../platforms/woocommerce/index.js';
import { wooCommerceWebhookCheck } from './woocommerce-webhook-check.js';
import { ConnectLinkSigner } from '../security/connect-link.js';
import type { AppConfig } from './app-config.js';
import { createConnectionProblemSink, reportAppUninstalled } from './integration-health-problem-sink.js';
import { signalIntegrationHealth, type IntegrationHealthRuntime } from './integration-health-starter.js';
import { createKeyring, type EncryptionKeyring } from '../security/keyring.js';
import { encryptingDataConverter, KeyringPayloadCodec } from '../security/payload-codec.js';
import { secretBoxFromKeyring } from './secret-box.js';
import { createSyncWorker } from './sync-worker.js';
import { observeWebhookIntake } from './webhook-intake-observer.js';
import { drainerLogThrough, runIntakeDrainer } from './intake-drainer-runner.js';

/** The shared parts of a ledgerbridge process: database, platforms, Temporal client. */
export interface LedgerbridgeServices {
  config: AppConfig;
  database: OpenDatabase;
  platforms: PlatformRegistry;
  shopify: ShopifyPlatform;
  wooCommerce: WooCommercePlatform;
  squarespace: SquarespacePlatform;
  credentials: CredentialStore;
  client: Client;
  health: IntegrationHealthRuntime;
  /** The key that encrypts and the keys that still decrypt. */
  keyring: EncryptionKeyring;
  /** Reconnect links: the worker signs them into emails, the API checks them. */
  connectLinks: ConnectLinkSigner;
  close(): Promise<void>;
}

export async function openServices(config: AppConfig): Promise<LedgerbridgeServices> {
  if (!config.databaseUrl) mkdirSync(dirname(config.pgliteDir), { recursive: true }); // PGlite creates only the last level
  const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: config.pgliteDir });
  // One limiter per platform over the shared database: every worker process together stays within each company's limits.
  const keyring = createKeyring(config.encryptionKey, config.decryptionKeys);
  const { registry: platforms, byId } = createInstalledPlatforms(config.platforms, {
    requestLimiter: (limits) => new SharedRequestLimiter(database.db, limits),
    db: database.db,
    secrets: secretBoxFromKeyring(keyring),
  });
  // Shopify's webhooks are checked by the API before any route is known.
  const shopify = byId.shopify;
  const wooCommerce = byId.woocommerce;
  const squarespace = byId.squarespace;
  const credentials = new CredentialStore(database.db, secretBoxFromKeyring(keyring));
  const connection = await Connection.connect({ address: config.temporalAddress, ...config.temporalConnection });
  // Customer names, emails and addresses travel in payloads: Temporal only ever stores them encrypted.
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter: encryptingDataConverter(keyring) });
  const health: IntegrationHealthRuntime = {
    client,
    taskQueue: config.taskQueue,
    checkIntervalMs: config.healthCheckIntervalMs,
    orderPollIntervalMs: config.orderPollIntervalMs,
  };
  return {
    config,
    database,
    platforms,
    shopify,
    wooCommerce,
    squarespace,
    credentials,
    client,
    health,
    keyring,
    connectLinks: new ConnectLinkSigner(keyring.keys.map((entry) => entry.key)),
    close: async () => {
      await connection.close();
      await database.close();
    },
  };
}

/** The worker: every workflow and activity, order sync and integration health. */
export async function startWorker(services: LedgerbridgeServices, options: { workflowBundlePath?: string } = {}): Promise<{ worker: Worker; mailer: Mailer; done: Promise<void> }> {
  const { config } = services;
  const connection = await NativeConnection.connect({ address: config.temporalAddress, ...config.temporalConnection });
  const mailer = createMailer(config.mail);
  const worker = await createSyncWorker({
    connection,
    taskQueue: config.taskQueue,
    dataConverter: encryptingDataConverter(services.keyring),
    db: services.database.db,
    platforms: services.platforms,
    secrets: secretBoxFromKeyring(services.keyring),
    connectionProblems: createConnectionProblemSink(services.health),
    client: services.client,
    bookedOrderChanges: createBookedOrderChangeNotifier({ db: services.database.db, mailer, publicBaseUrl: config.publicBaseUrl }),
    routeHalts: createRouteHaltNotifier({ db: services.database.db, mailer, publicBaseUrl: config.publicBaseUrl }),
    extraActivities: createIntegrationHealthActivities({
      db: services.database.db,
      platforms: services.platforms,
      credentials: services.credentials,
      mailer,
      publicBaseUrl: config.publicBaseUrl,
      connectLinks: services.connectLinks,
      client: services.client,
      resumePerSecond: config.resumeRatePerSecond,
      orderPolling: services.health,
    }),
    ...(options.workflowBundlePath ? { workflowBundlePath: options.workflowBundlePath } : {}),
    ...(config.workerMaxCachedWorkflows !== null ? { maxCachedWorkflows: config.workerMaxCachedWorkflows } : {}),
  });
  // INTAKE_DRAINER=worker: this process starts the syncs of the webhooks the API recorded.
  const intake =
    config.intakeDrainer === 'worker'
      ? await runIntakeDrainer(services.database, {
          db: services.database.db,
          temporal: services.client,
          taskQueue: config.taskQueue,
          bookedOrderChanges: createBookedOrderChangeNotifier({ db: services.database.db, mailer, publicBaseUrl: config.publicBaseUrl }),
          log: drainerLogThrough(Runtime.instance().logger),
        })
      : null;
  const done = worker.run().finally(async () => {
    await intake?.stop();
    await mailer.close();
    await connection.close();
  });
  return { worker, mailer, done };
}

/** The API, listening on the configured host and port. */
export async function startApi(services: LedgerbridgeServices, logger: boolean | object = true): Promise<FastifyInstance> {
  const { config } = services;
  const routeDeps = {
    db: services.database.db,
    platforms: services.platforms,
    credentials: services.credentials,
    health: services.health,
    publicBaseUrl: config.publicBaseUrl,
    operatorToken: config.operatorToken,
    connectLinks: services.connectLinks,
  };
  const qbdDeps = {
    db: services.database.db,
    credentials: services.credentials,
    config: config.platforms.qbd,
    temporal: services.client,
    resumePerSecond: config.resumeRatePerSecond,
    onVisitWhileNotConnected: (integrationId: string) => signalIntegrationHealth(services.health, integrationId, { name: 'credentialsUpdated' }),
  };
  const mailer = createMailer(config.mail);
  const app = await buildApi({
    db: services.database.db,
    temporal: services.client,
    taskQueue: config.taskQueue,
    operatorToken: config.operatorToken,
    verifyShopifyWebhook: (rawBody, headers) => services.shopify.verifyWebhook({ rawBody, headers }),
    verifyWooCommerceWebhook: wooCommerceWebhookCheck({ db: services.database.db, credentials: services.credentials, platform: services.wooCommerce }),
    verifySquarespaceWebhook: (rawBody, headers) => services.squarespace.verifyWebhook(rawBody, headers),
    resumeRatePerSecond: config.resumeRatePerSecond,
    resyncPerSecond: config.resyncRatePerSecond,
    platforms: services.platforms,
    drainIntake: config.intakeDrainer === 'api',
    bookedOrderChanges: createBookedOrderChangeNotifier({ db: services.database.db, mailer, publicBaseUrl: config.publicBaseUrl }),
    onAppUninstalled: (integrationId) => reportAppUninstalled(services.health, integrationId),
    operatorPlugins: [integrationRoutes(routeDeps), qbdOperatorRoutes(qbdDeps)],
    plugins: [
      integrationOAuthRoutes(routeDeps),
      qbwcEndpointRoutes(qbdDeps),
      qbdConnectPageRoutes({ ...qbdDeps, connectLinks: services.connectLinks, operatorToken: config.operatorToken }),
      consoleRoutes({ ...routeDeps, temporalUiUrl: config.temporalUiUrl, resumeRatePerSecond: config.resumeRatePerSecond, resyncPerSecond: config.resyncRatePerSecond }),
    ],
    consoleForBrowsers: true,
    payloadCodec: { codec: new KeyringPayloadCodec(services.keyring), uiOrigins: config.temporalUiOrigins },
    logger,
  });
  app.addHook('onClose', async () => mailer.close());
  observeWebhookIntake(app);
  await app.listen({ host: config.apiHost, port: config.apiPort });
  return app;
}
