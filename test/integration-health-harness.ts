import './support/quiet-runtime.js';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { createIntegrationHealthActivities } from '../activities/integration-health-activities.js';
import { buildApi } from '../api/app.js';
import { integrationOAuthRoutes, integrationRoutes } from '../api/integration-routes.js';
import { consoleRoutes } from '../api/console/console-plugin.js';
import { CredentialStore } from '../db/credential-store.js';
import { integrations, syncRoutes } from '../db/schema.js';
import { createMailer, type Mailer } from '../notifications/mail-transport.js';
import type { Platform } from '../platforms/platform.js';
import { browserUrlFor } from '../platforms/shopify/index.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { createIntegration } from '../runtime/integration-health-creator.js';
import { createConnectionProblemSink, reportAppUninstalled } from '../runtime/integration-health-problem-sink.js';
import { integrationHealthWorkflowId, signalIntegrationHealth, type IntegrationHealthRuntime } from '../runtime/integration-health-starter.js';
import { qbdOperatorRoutes, qbwcEndpointRoutes, type QbdRouteDeps } from '../api/qbd-routes.js';
import { qbdConnectPageRoutes } from '../api/qbd-connect-page.js';
import { createQbdPlatform, QBWC_PATH, type QbdPlatformConfig } from '../platforms/qbd/qbd-platform.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { deleteOrderPollSchedule } from '../runtime/order-poll-schedule.js';
import { ConnectLinkSigner } from '../security/connect-link.js';
import { integrationHealthQuery } from '../workflows/integration-health.js';
import { createSyncWorker } from '../runtime/sync-worker.js';
import { freePort } from '../scripts/temporal-dev-server.js';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { testDataConverter } from './support/test-data-converter.js';
import { eventually } from './support/sync-harness.js';
import { startEmulatedPlatforms, testCompany, type EmulatedPlatforms } from './support/emulated-platforms.js';
import { TestBrowser, type BrowserPage } from './support/browser.js';
import { startWooCommerceEmulator, type WooCommerceEmulator } from '../emulators/woocommerce/index.js';
import { createWooCommercePlatform } from '../platforms/woocommerce/index.js';
import { wooCommerceWebhookCheck } from '../runtime/woocommerce-webhook-check.js';
import { startEmulatedXero, type EmulatedXero } from './support/emulated-xero.js';
import { startSquarespaceEmulator, type SquarespaceEmulator } from '../emulators/squarespace/index.js';
import { createSquarespacePlatform, squarespaceEndpointsAt } from '../platforms/squarespace/index.js';

export { eventually };

export const SHOPIFY_APP = { apiKey: 'health-shopify-key', apiSecret: 'health-shopify-secret' };
export const QBO_APP = { clientId: 'health-qbo-client', clientSecret: 'health-qbo-secret' };
export const ALERTS = 'books@example.com';
export const OPERATOR_TOKEN = 'operator-secret';
export const SQUARESPACE_APP = { clientId: 'health-squarespace-client', clientSecret: 'health-squarespace-secret' };
/** Where the console's links into Temporal UI point (nothing listens there in tests: the links are checked, not followed). */
export const TEMPORAL_UI_URL = 'http://127.0.0.1:8233';
const SECRET_KEY = Buffer.alloc(32, 9);
/** Signs reconnect links as the production wiring does (runtime/ledgerbridge-services.ts). */
export const connectLinks = new ConnectLinkSigner(SECRET_KEY);

export interface HealthHarnessOptions {
  checkIntervalMs?: number;
  digestWindowMs?: number;
  /** Wraps the QuickBooks Online platform, e.g. to "crash" right after a token refresh. */
  decorateQbo?: (platform: Platform) => Platform;
  qboAccessTokenTtlSeconds?: number;
  /** The Shopify shops' currency (default GBP; a route into a US QuickBooks Desktop company sells in dollars). */
  shopCurrency?: string;
  /** Also offer Xero (its emulator with two organisations, the real xero-node). */
  xero?: boolean;
  /** Poll stores at this interval, the health workflow keeping their schedules (runtime/order-poll-schedule.ts). */
  orderPollIntervalMs?: number;
  /** Also offer WooCommerce (its store emulator, the official client; the grant's callback is our http loopback). */
  woocommerce?: boolean;
  /** Also offer Squarespace (its site emulator; notifications to our http loopback allowed). */
  squarespace?: boolean;
  /**
   * Also offer QuickBooks Desktop: its Web Connector endpoint, operator routes and connect page on the API, as
   * production wires them; the test brings the company and Web Connector emulators (`qbdConfig` says where to poll).
   */
  qbd?: { requestWaitMs: number; sessionLingerMs?: number };
  /** Orders a second the API and the console resume in bulk (default 50). */
  resumeRatePerSecond?: number;
  /** Activities that stand in for the worker's own of the same name (e.g. to hold one until the test has looked). */
  replaceActivities?: (deps: { client: Client; db: TestDatabase['db'] }) => Record<string, (...args: never[]) => Promise<unknown>>;
}

/**
 * Everything the health tests need, real: the shared Temporal dev server, a fresh database, both emulators
 * through the real platform code, a real SMTP server, the integration routes on a loopback port, and one
 * worker (order syncs + health) on a task queue of its own.
 */
export class HealthHarness {
  readonly taskQueue: string;
  readonly shop: string;
  readonly realmId: string;
  readonly operatorToken = OPERATOR_TOKEN;
  worker!: Worker;
  private workerRun!: Promise<void>;

  private constructor(
    readonly database: TestDatabase,
    private readonly emulated: EmulatedPlatforms,
    readonly smtp: SmtpTestServer,
    readonly mailer: Mailer,
    readonly platforms: PlatformRegistry,
    readonly credentials: CredentialStore,
    readonly client: Client,
    readonly runtime: IntegrationHealthRuntime,
    readonly app: FastifyInstance,
    readonly baseUrl: string,
    private readonly nativeConnection: NativeConnection,
    private readonly emulatedXero: EmulatedXero | null,
    private readonly emulatedWoo: WooCommerceEmulator | null,
    private readonly emulatedSquarespace: SquarespaceEmulator | null,
  ) {
    this.taskQueue = runtime.taskQueue;
    this.shop = emulated.shop;
    this.realmId = emulated.realmId;
  }

  get shopify() {
    return this.emulated.shopify;
  }

  /** Another shop on the Shopify emulator (the platform code reaches it too). */
  get secondShop() {
    return this.emulated.secondShop;
  }

  get qbo() {
    return this.emulated.qbo;
  }

  /** The Xero emulator and its organisations (with `xero: true`). */
  get xero(): EmulatedXero {
    if (!this.emulatedXero) throw new Error('start the harness with xero: true');
    return this.emulatedXero;
  }

  /** The WooCommerce store emulator (with `woocommerce: true`). */
  get woo(): WooCommerceEmulator {
    if (!this.emulatedWoo) throw new Error('start the harness with woocommerce: true');
    return this.emulatedWoo;
  }

  /** The Squarespace site emulator (with `squarespace: true`). */
  get squarespace(): SquarespaceEmulator {
    if (!this.emulatedSquarespace) throw new Error('start the harness with squarespace: true');
    return this.emulatedSquarespace;
  }

  static async start(options: HealthHarnessOptions = {}): Promise<HealthHarness> {
    const address = inject('temporalAddress');
    const [database, emulated, smtp, connection, nativeConnection, port] = await Promise.all([
      createTestDatabase(),
      startEmulatedPlatforms({
        shopifyApp: SHOPIFY_APP,
        qboApp: QBO_APP,
        shopName: 'Health Shop',
        shopCurrency: options.shopCurrency,
        ...(options.qboAccessTokenTtlSeconds ? { qboAccessTokenTtlSeconds: options.qboAccessTokenTtlSeconds } : {}),
      }),
      startSmtpTestServer(),
      Connection.connect({ address }),
      NativeConnection.connect({ address }),
      freePort(),
    ]);
    const { realmId, qbo, shopifyPlatform, qboPlatform } = emulated;
    qbo.control.authorizeAs(realmId);
    const xero = options.xero ? await startEmulatedXero() : null;
    const woo = options.woocommerce ? await startWooCommerceEmulator({ name: 'Health Woo Store', httpCallbackHosts: ['127.0.0.1'] }) : null;
    const wooPlatform = woo ? createWooCommercePlatform({ appName: 'ledgerbridge', requestTimeoutMs: 5_000 }) : null;
    const squarespace = options.squarespace ? await startSquarespaceEmulator({ ...SQUARESPACE_APP, siteTitle: 'Health Squarespace Site', httpEndpointHosts: ['127.0.0.1'] }) : null;
    const db = database.db;
    const baseUrl = `http://127.0.0.1:${port}`;
    const qbdConfig: QbdPlatformConfig | null = options.qbd
      ? { webConnectorUrl: `${baseUrl}${QBWC_PATH}`, pollMinutes: 1, requestWaitMs: options.qbd.requestWaitMs, queuePollMs: 25, disconnectedAfterMs: 3 * 3_600_000, sessionLingerMs: options.qbd.sessionLingerMs ?? 1_000 }
      : null;
    const qbd = qbdConfig ? createQbdPlatform(qbdConfig, { requestLimiter: () => ({ acquire: async () => async () => {}, pauseFor: async () => {} }), db }) : null;
    // Squarespace keeps its webhook subscriptions' secrets in the database, sealed like credentials.
    const squarespacePlatform = squarespace ? createSquarespacePlatform({ ...SQUARESPACE_APP, endpoints: squarespaceEndpointsAt(squarespace.origin) }, { db, secrets: secretBoxFromKey(SECRET_KEY) }) : null;
    const platforms = new PlatformRegistry([
      shopifyPlatform,
      options.decorateQbo ? options.decorateQbo(qboPlatform) : qboPlatform,
      ...(xero ? [xero.platform] : []),
      ...(qbd ? [qbd] : []),
      ...(wooPlatform ? [wooPlatform] : []),
      ...(squarespacePlatform ? [squarespacePlatform] : []),
    ]);
    const credentials = new CredentialStore(db, secretBoxFromKey(SECRET_KEY));
    const client = new Client({ connection, dataConverter: testDataConverter });
    const taskQueue = `health-${randomUUID()}`;
    const runtime: IntegrationHealthRuntime = {
      client,
      taskQueue,
      checkIntervalMs: options.checkIntervalMs ?? 60 * 60_000,
      digestWindowMs: options.digestWindowMs ?? 3_000,
      ...(options.orderPollIntervalMs ? { orderPollIntervalMs: options.orderPollIntervalMs } : {}),
    };
    const mailer = createMailer({ from: 'ledgerbridge <alerts@test>', delivery: { kind: 'smtp', url: smtp.url } });

    // The production wiring (api/app.ts, runtime/sync-worker.ts) with the test's dependencies.
    const routeDeps = { db, platforms, credentials, health: runtime, publicBaseUrl: baseUrl, operatorToken: OPERATOR_TOKEN, connectLinks };
    const qbdDeps: QbdRouteDeps | null = qbdConfig
      ? {
          db,
          credentials,
          config: qbdConfig,
          temporal: client,
          resumePerSecond: 50,
          onVisitWhileNotConnected: (integrationId) => signalIntegrationHealth(runtime, integrationId, { name: 'credentialsUpdated' }),
        }
      : null;
    const app = await buildApi({
      db,
      temporal: client,
      taskQueue,
      operatorToken: OPERATOR_TOKEN,
      verifyShopifyWebhook: (rawBody, headers) => shopifyPlatform.verifyWebhook({ rawBody, headers }),
      ...(wooPlatform ? { verifyWooCommerceWebhook: wooCommerceWebhookCheck({ db, credentials, platform: wooPlatform }) } : {}),
      ...(squarespacePlatform ? { verifySquarespaceWebhook: squarespacePlatform.verifyWebhook } : {}),
      resumeRatePerSecond: options.resumeRatePerSecond ?? 50,
      onAppUninstalled: (integrationId) => reportAppUninstalled(runtime, integrationId),
      operatorPlugins: [integrationRoutes(routeDeps), ...(qbdDeps ? [qbdOperatorRoutes(qbdDeps)] : [])],
      plugins: [
        integrationOAuthRoutes(routeDeps),
        ...(qbdDeps ? [qbwcEndpointRoutes(qbdDeps), qbdConnectPageRoutes({ ...qbdDeps, connectLinks, operatorToken: OPERATOR_TOKEN })] : []),
        consoleRoutes({ ...routeDeps, temporalUiUrl: TEMPORAL_UI_URL, resumeRatePerSecond: options.resumeRatePerSecond ?? 50 }),
      ],
      consoleForBrowsers: true,
    });
    await app.listen({ host: '127.0.0.1', port });
    // The shop's webhooks are subscribed by the product itself, when the shop is connected (clickConnect).

    const harness = new HealthHarness(database, emulated, smtp, mailer, platforms, credentials, client, runtime, app, baseUrl, nativeConnection, xero, woo, squarespace);
    harness.qbdConfig = qbdConfig;
    harness.worker = await createSyncWorker({
      connection: nativeConnection,
      taskQueue,
      dataConverter: testDataConverter,
      db,
      platforms,
      secrets: secretBoxFromKey(SECRET_KEY),
      connectionProblems: createConnectionProblemSink(runtime),
      client,
      extraActivities: {
        ...createIntegrationHealthActivities({
          db,
          platforms,
          credentials,
          mailer,
          publicBaseUrl: baseUrl,
          connectLinks,
          client,
          resumePerSecond: options.resumeRatePerSecond ?? 50,
          ...(options.orderPollIntervalMs ? { orderPolling: runtime } : {}),
          log: () => {},
        }),
        ...options.replaceActivities?.({ client, db }),
      },
      workflowBundlePath: inject('workflowBundlePath'),
    });
    harness.workerRun = harness.worker.run();
    return harness;
  }

  get db() {
    return this.database.db;
  }

  /** With `qbd`: QuickBooks Desktop's settings, its Web Connector URL on this API (a .qwc's AppURL). */
  qbdConfig: QbdPlatformConfig | null = null;

  /** Creates an integration the way the API does: numbered display name, health workflow started. */
  async createIntegration(platform: 'shopify' | 'qbo' | 'xero' | 'qbd' | 'woocommerce' | 'squarespace', notifyEmails: string[] = [ALERTS]) {
    const account: Record<string, string> = platform === 'shopify' ? { shop: this.shop } : platform === 'woocommerce' ? { storeUrl: this.woo.origin } : {};
    const created = await createIntegration(this.db, this.platforms, this.runtime, { platform, account, notifyEmails });
    // Its first check has run and its status is recorded: later steps have a settled start.
    await eventually(async () => (await this.health(created.id)).status !== null, `first check of ${created.displayName}`);
    return created;
  }

  /**
   * An operator clicks "Connect": our route (with the operator token) → the platform's consent page → our
   * callback. Returns the final page. The token goes to our own origin only, never to a platform.
   */
  async clickConnect(integrationId: string): Promise<{ status: number; body: string }> {
    let url = `${this.baseUrl}/integrations/${integrationId}/connect`;
    for (let hop = 0; hop < 8; hop++) {
      const ours = new URL(url).origin === new URL(this.baseUrl).origin;
      const response = await fetch(browserUrlFor(url), { redirect: 'manual', headers: ours ? { authorization: `Bearer ${OPERATOR_TOKEN}` } : {} });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).toString();
        continue;
      }
      return { status: response.status, body: await response.text() };
    }
    throw new Error('too many redirects');
  }

  /** A shop and a ledger, both created and connected (through the emulators' consent pages), and a route between them. */
  async connectedShopAndLedger() {
    const shopify = await this.createIntegration('shopify');
    const qbo = await this.createIntegration('qbo');
    await this.clickConnect(shopify.id);
    await this.clickConnect(qbo.id);
    await eventually(async () => (await this.row(qbo.id)).status === 'connected' && (await this.row(shopify.id)).status === 'connected', 'both connected');
    return { shopify, qbo, routeId: await this.createRoute(shopify.id, qbo.id) };
  }

  /**
   * The operator reconnects a QuickBooks integration while signed in to another company (added to the emulator as
   * `companyName`) and confirms the switch on our page. Returns that company's realm, our switch page and its answer.
   */
  async switchToAnotherQboCompany(integrationId: string, companyName: string): Promise<{ realmId: string; refused: BrowserPage; confirmed: BrowserPage }> {
    const realmId = String(BigInt(this.realmId) + 1n);
    this.qbo.control.addCompany({ ...testCompany(realmId), companyName });
    this.qbo.control.authorizeAs(realmId);
    const operator = new TestBrowser(new URL(this.baseUrl).origin, { authorization: `Bearer ${this.operatorToken}` });
    try {
      const refused = await operator.open(`${this.baseUrl}/integrations/${integrationId}/connect`);
      return { realmId, refused, confirmed: await operator.submit(refused) };
    } finally {
      this.qbo.control.authorizeAs(this.realmId);
    }
  }

  async createRoute(sourceIntegrationId: string, targetIntegrationId: string): Promise<string> {
    const routeId = `route-${randomUUID().slice(0, 8)}`;
    await this.db.insert(syncRoutes).values({ id: routeId, sourceIntegrationId, targetIntegrationId });
    return routeId;
  }

  async row(integrationId: string) {
    const [row] = await this.db.select().from(integrations).where(eq(integrations.id, integrationId));
    return row!;
  }

  /** An operator call, with the bearer token. */
  api(method: string, path: string, body?: unknown) {
    return this.app.inject({
      method: method as 'GET',
      url: path,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  }

  healthHandle(integrationId: string) {
    return this.client.workflow.getHandle(integrationHealthWorkflowId(integrationId));
  }

  health(integrationId: string) {
    return this.healthHandle(integrationId).query(integrationHealthQuery);
  }

  async close(): Promise<void> {
    // Stores' poll schedules outlive the test otherwise (createIntegration makes one per shop).
    for (const { id } of await this.db.select({ id: integrations.id }).from(integrations)) await deleteOrderPollSchedule(this.client, id).catch(() => false);
    // Health workflows run forever: end them so no later worker on this queue picks them up.
    for await (const execution of this.client.workflow.list({ query: `TaskQueue = "${this.taskQueue}" AND ExecutionStatus = "Running"` })) {
      await this.client.workflow.getHandle(execution.workflowId).terminate('test finished').catch(() => {});
    }
    this.worker.shutdown();
    await this.workerRun.catch(() => {});
    await this.app.close();
    await Promise.allSettled([this.emulated.close(), this.smtp.close(), this.mailer.close(), ...(this.emulatedXero ? [this.emulatedXero.emulator.close()] : []), ...(this.emulatedWoo ? [this.emulatedWoo.close()] : []), ...(this.emulatedSquarespace ? [this.emulatedSquarespace.close()] : [])]);
    await this.nativeConnection.close();
    await this.client.connection.close();
    await this.database.close();
  }
}
