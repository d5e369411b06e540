import './quiet-runtime.js';
import type { FullResyncView } from '../../runtime/full-resync-starter.js';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import type { AccountingTarget } from '../../domain/accounting-target.js';
import type { BookedOrderChangeSink } from '../../domain/booked-order-change.js';
import type { Database } from '../../db/database.js';
import { CredentialStore } from '../../db/credential-store.js';
import { integrations, orderSyncs, refundSyncs, syncRoutes, webhookEvents } from '../../db/schema.js';
import { recordIntegrationStatus } from '../../db/integration-status-log.js';
import { approveConsent } from '../../emulators/common/oauth-consent.js';
import type { ConnectionProblem, ConnectionProblemSink } from '../../activities/order-sync-activities.js';
import type { RouteHaltSink } from '../../activities/route-breaker.js';
import type { AccountingPlatform, Platform } from '../../platforms/platform.js';
import { browserUrlFor } from '../../platforms/shopify/index.js';
import { PlatformRegistry } from '../../platforms/registry.js';
import { secretBoxFromKey } from '../../runtime/secret-box.js';
import { createSyncWorker, type SyncWorkerOptions } from '../../runtime/sync-worker.js';
import { RouteConnections } from '../../activities/route-connections.js';
import { keepCommerceWebhooks } from '../../activities/commerce-webhook-keeper.js';
import { orderSyncWorkflowId, startOrderSync } from '../../runtime/order-sync-starter.js';
import { orderSyncWorkflow, type OrderSyncResult, type OrderSyncTiming } from '../../workflows/order-sync.js';
import type { RefundSyncResult } from '../../workflows/refund-sync.js';
import type { RefundDiscoveryTiming } from '../../workflows/refund-discovery.js';
import { refundSyncWorkflowId } from '../../runtime/refund-sync-starter.js';
import { IntegrationIdsKey, OrderIdKey, RouteIdKey, SyncStateKey } from '../../workflows/search-attributes.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testDataConverter } from './test-data-converter.js';
import { orderSyncTimingInterceptor } from './order-sync-timing-interceptor.js';
import { SharedRequestLimiter } from '../../db/shared-request-limiter.js';
import type { RequestLimits } from '../../domain/request-limiter.js';
import { startEmulatedPlatforms, type EmulatedPlatforms, type EmulatedPlatformsOptions } from './emulated-platforms.js';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/app.js';
import type { ShopifyPlatform } from '../../platforms/shopify/index.js';
import type { QbdCompanySeed } from '../../emulators/qbd/company-data.js';
import { QbdCompanyEmulator } from '../../emulators/qbd/company-emulator.js';
import { WebConnectorEmulator } from '../../emulators/qbd/web-connector.js';
import { qbdOperatorRoutes, qbwcEndpointRoutes, type QbdRouteDeps } from '../../api/qbd-routes.js';
import { createQbdPlatform, QBWC_PATH, type QbdPlatformConfig } from '../../platforms/qbd/qbd-platform.js';
import { startEmulatedXero, type EmulatedXero } from './emulated-xero.js';
import { answerKeyGrant, startWooCommerceEmulator, type WooCommerceEmulator } from '../../emulators/woocommerce/index.js';
import { createWooCommercePlatform, type WooCommercePlatform } from '../../platforms/woocommerce/index.js';
import { connectGrantRoutes } from '../../api/connect-grant-routes.js';
import { beginConnect, completeConnect, type OAuthDeps } from '../../runtime/integration-health-oauth.js';
import { integrationHealthWorkflowId } from '../../runtime/integration-health-starter.js';
import { wooCommerceWebhookCheck } from '../../runtime/woocommerce-webhook-check.js';
import { startSquarespaceEmulator, type SquarespaceEmulator, type SquarespaceEmulatorOptions } from '../../emulators/squarespace/index.js';
import { createSquarespacePlatform, squarespaceEndpointsAt, type SquarespacePlatform } from '../../platforms/squarespace/index.js';

export const SHOPIFY_APP = { apiKey: 'test-shopify-key', apiSecret: 'test-shopify-secret' };
export const QBO_APP = { clientId: 'test-qbo-client', clientSecret: 'test-qbo-secret' };
export const OPERATOR_TOKEN = 'test-operator-token';
export const SQUARESPACE_APP = { clientId: 'test-squarespace-client', clientSecret: 'test-squarespace-secret' };
/** The Temporal UI origin the API's codec endpoint lets a browser call it from. */
export const TEMPORAL_UI_ORIGIN = 'http://127.0.0.1:8233';
const REDIRECT_URI = 'http://127.0.0.1:3999/oauth/callback';

export interface SyncHarnessOptions {
  /** Defaults to the test run's server and bundle (vitest `inject`); the bench passes its own. */
  temporalAddress?: string;
  workflowBundlePath?: string;
  /** The API's port (default: any free one), for a Temporal UI told the codec endpoint's address before the API starts. */
  apiPort?: number;
  /** Origins of Temporal UI the codec endpoint answers browsers from (default: TEMPORAL_UI_ORIGIN). */
  temporalUiOrigins?: readonly string[];
  qboRateLimits?: EmulatedPlatformsOptions['qboRateLimits'];
  /** The QuickBooks company booked into: 'GB' (VAT on every line, the default) or 'US' (TAX/NON and a sale tax code). */
  qboCompany?: EmulatedPlatformsOptions['qboCompany'];
  shopifyBucket?: EmulatedPlatformsOptions['shopifyBucket'];
  /** Orders per page of Shopify's "changed since" listing (polling, full re-sync): small to test paging. */
  shopifyUpdatedOrdersPageSize?: number;
  /** The limits the product keeps to, through the limiter production uses; none when absent. */
  qboRequestLimits?: RequestLimits;
  qboRequestIdMode?: EmulatedPlatformsOptions['qboRequestIdMode'];
  /** How long the product waits after a QuickBooks 429 without Retry-After (default 1 s; production 60 s). */
  qboDefaultRetryAfterMs?: EmulatedPlatformsOptions['qboDefaultRetryAfterMs'];
  /** Timings every order sync started through the harness's client gets, the API's included (order-sync-timing-interceptor.ts). */
  orderSyncTiming?: Partial<OrderSyncTiming>;
  qboDuplicateDocNumbersAllowed?: EmulatedPlatformsOptions['qboDuplicateDocNumbersAllowed'];
  /** Wraps the worker's activities, e.g. to hold one at a gate (test/support/hold-gate.ts). */
  decorateActivities?: SyncWorkerOptions['decorateActivities'];
  /** Wraps the ledger client, e.g. to stop right after a write. */
  decorateTarget?: (target: AccountingTarget) => AccountingTarget;
  connectionProblems?: ConnectionProblemSink;
  /** Who hears of changes to booked orders, in the worker and the API (e.g. the real email notifier). */
  bookedOrderChanges?: (db: Database) => BookedOrderChangeSink;
  /** Who is told that a route stopped posting (e.g. the real email notifier). */
  routeHalts?: (db: Database) => RouteHaltSink;
  /** How long activities wait out throttling themselves (0: hand it to the workflow at once). */
  throttlePatienceMs?: number;
  /**
   * Book into QuickBooks Desktop instead: the route's ledger is "QuickBooks Desktop #1", its company the QBD company
   * emulator, reached only through the Web Connector emulator polling the API's endpoint over HTTP.
   */
  qbd?: { company: QbdCompanySeed; requestWaitMs: number; pollIntervalMs: number; sessionLingerMs?: number; noOpDelayMs?: number };
  /**
   * The Shopify shops' currency (default GBP): a route into QuickBooks Desktop's US test company books dollars
   * (qbdTestCompany's QBD_TEST_SHOP_CURRENCY), as its orders in another currency wait for a setting.
   */
  shopCurrency?: string;
  /** The QuickBooks emulator in a process of its own (`qboProcess`), as the real ledger is elsewhere; `qbo` is then unavailable. */
  qboInOwnProcess?: boolean;
  /**
   * The ledger the route books into: QuickBooks Online (default) or Xero (its emulator and the real xero-node).
   * The QuickBooks Online integration exists and is connected either way.
   */
  ledger?: 'qbo' | 'xero';
  /** With `ledger: 'xero'`: the limits the product keeps to per organisation (XERO_REQUEST_LIMITS in production); none when absent. */
  xeroRequestLimits?: RequestLimits;
  /** With `ledger: 'xero'`: what a paid order becomes (XERO_SALE_DOCUMENT); an invoice and its payment by default. */
  xeroSaleDocument?: 'invoice-and-payment' | 'receive-money';
  /**
   * Routes from the same shop into these ledgers as well, each connected like the main route's ('qbd' takes its
   * settings from `qbd`, and the main route then books into QuickBooks Online or `ledger`). Their ids: `extraRouteIds`.
   */
  alsoRouteTo?: ('xero' | 'qbd')[];
  /**
   * The shop the route reads from: Shopify (default) or WooCommerce (its emulator and the official JS client, connected
   * through WooCommerce's key grant into our grant route). The Shopify integration exists and is connected either way.
   */
  shop?: 'shopify' | 'woocommerce' | 'squarespace';
  /** With `shop: 'squarespace'`: the site's limits and pages, and how long the product waits out a 429 (Squarespace: a minute). */
  squarespace?: Pick<SquarespaceEmulatorOptions, 'rateLimit' | 'pageSize' | 'listOrder' | 'accessTokenTtlMs' | 'refundListing'> & { coolDownMs?: number };
  /** The re-read waits of refund discoveries the API's intake starts (short in tests). */
  refundDiscovery?: Partial<RefundDiscoveryTiming>;
}

/** The QuickBooks Desktop side of a harness: the company, and the Web Connector (started by the test). */
export interface QbdSide {
  company: QbdCompanyEmulator;
  connector: WebConnectorEmulator;
  integrationId: string;
  config: QbdPlatformConfig;
}

/**
 * Everything an end-to-end order sync needs, real: the shared Temporal dev server, a fresh database,
 * both emulators driven through the real SDKs, integrations connected by OAuth, and a worker on a
 * task queue of its own.
 */
export class SyncHarness {
  readonly taskQueue = `sync-${randomUUID()}`;
  readonly realmId: string;
  readonly shop: string;
  readonly routeId = `route-${randomUUID().slice(0, 8)}`;
  readonly shopifyIntegrationId = `shopify-${randomUUID().slice(0, 8)}`;
  readonly qboIntegrationId = `qbo-${randomUUID().slice(0, 8)}`;
  readonly xeroIntegrationId = `xero-${randomUUID().slice(0, 8)}`;
  readonly qbdIntegrationId = `qbd-${randomUUID().slice(0, 8)}`;
  readonly wooIntegrationId = `woocommerce-${randomUUID().slice(0, 8)}`;
  readonly squarespaceIntegrationId = `squarespace-${randomUUID().slice(0, 8)}`;
  /** The integration the route reads from: "Shopify #1", or "WooCommerce #1" with `shop: 'woocommerce'`. */
  readonly shopIntegrationId: string;
  /** The routes of `alsoRouteTo`, by ledger. */
  readonly extraRouteIds: Partial<Record<'xero' | 'qbd', string>> = {};
  readonly connectionProblemsSeen: ConnectionProblem[] = [];
  /** The ledger integration of the route: QuickBooks Online #1, Xero #1 with `ledger: 'xero'`, or QuickBooks Desktop #1 with `qbd`. */
  readonly ledgerIntegrationId: string;
  qbd: QbdSide | null = null;
  worker: Worker | null = null;
  private workerRun: Promise<void> | null = null;
  api!: FastifyInstance;
  /** Where the API listens, so the Shopify emulator can deliver webhooks to it. */
  apiOrigin = '';

  private constructor(
    readonly database: TestDatabase,
    private readonly emulated: EmulatedPlatforms,
    readonly platforms: PlatformRegistry,
    readonly credentials: CredentialStore,
    readonly client: Client,
    private readonly nativeConnection: NativeConnection,
    private readonly options: SyncHarnessOptions,
    private readonly emulatedXero: EmulatedXero | null,
    private readonly emulatedWoo: { emulator: WooCommerceEmulator; platform: WooCommercePlatform } | null,
    private readonly emulatedSquarespace: { emulator: SquarespaceEmulator; platform: SquarespacePlatform } | null = null,
  ) {
    this.shop = emulated.shop;
    this.realmId = emulated.realmId;
    const qbdIsMain = options.qbd && !options.alsoRouteTo?.includes('qbd');
    this.ledgerIntegrationId = qbdIsMain ? this.qbdIntegrationId : options.ledger === 'xero' ? this.xeroIntegrationId : this.qboIntegrationId;
    this.shopIntegrationId = emulatedWoo ? this.wooIntegrationId : emulatedSquarespace ? this.squarespaceIntegrationId : this.shopifyIntegrationId;
  }

  /** The Squarespace site emulator (with `shop: 'squarespace'`). */
  get squarespace(): SquarespaceEmulator {
    if (!this.emulatedSquarespace) throw new Error("this harness does not read from Squarespace; start it with shop: 'squarespace'");
    return this.emulatedSquarespace.emulator;
  }

  /** The WooCommerce store emulator (with `shop: 'woocommerce'`). */
  get woo(): WooCommerceEmulator {
    if (!this.emulatedWoo) throw new Error("this harness reads from Shopify; start it with shop: 'woocommerce'");
    return this.emulatedWoo.emulator;
  }

  get shopify() {
    return this.emulated.shopify;
  }

  get qbo() {
    return this.emulated.qbo;
  }

  /** The QuickBooks emulator when it runs in its own process (`qboInOwnProcess`). */
  get qboProcess() {
    if (!this.emulated.qboProcess) throw new Error('the QuickBooks emulator runs in this process: use qbo');
    return this.emulated.qboProcess;
  }

  /** The Xero emulator (with `ledger: 'xero'`). */
  get xero(): EmulatedXero {
    if (!this.emulatedXero) throw new Error("this harness books into QuickBooks Online; start it with ledger: 'xero'");
    return this.emulatedXero;
  }

  static async start(options: SyncHarnessOptions = {}): Promise<SyncHarness> {
    if (!options.temporalAddress || !options.workflowBundlePath) {
      const { inject } = await import('vitest');
      options = { temporalAddress: inject('temporalAddress'), workflowBundlePath: inject('workflowBundlePath'), ...options };
    }
    const address = options.temporalAddress!;
    const [{ database, emulated }, connection, nativeConnection] = await Promise.all([
      createTestDatabase().then(async (database) => ({
        database,
        emulated: await startEmulatedPlatforms({
          shopifyApp: SHOPIFY_APP,
          qboApp: QBO_APP,
          shopName: 'Test Shop',
          shopCurrency: options.shopCurrency,
          qboRateLimits: options.qboRateLimits,
          shopifyBucket: options.shopifyBucket,
          shopifyUpdatedOrdersPageSize: options.shopifyUpdatedOrdersPageSize,
          qboRequestIdMode: options.qboRequestIdMode,
          qboDefaultRetryAfterMs: options.qboDefaultRetryAfterMs,
          qboDuplicateDocNumbersAllowed: options.qboDuplicateDocNumbersAllowed,
          qboCompany: options.qboCompany,
          qboInOwnProcess: options.qboInOwnProcess,
          ...(options.qboRequestLimits ? { qboRequestLimiter: new SharedRequestLimiter(database.db, options.qboRequestLimits) } : {}),
        }),
      })),
      Connection.connect({ address }),
      NativeConnection.connect({ address }),
    ]);
    const { shopifyPlatform, qboPlatform } = emulated;
    const xero = options.ledger === 'xero' || options.alsoRouteTo?.includes('xero') ? await startEmulatedXero({
          ...(options.xeroRequestLimits ? { requestLimiter: new SharedRequestLimiter(database.db, options.xeroRequestLimits) } : {}),
          ...(options.xeroSaleDocument ? { saleDocument: options.xeroSaleDocument } : {}),
        }) : null;
    const ledger = xero && options.ledger === 'xero' ? xero.platform : qboPlatform;
    const woo =
      options.shop === 'woocommerce'
        ? // WooCommerce wants an https callback_url; the API here listens on plain http at 127.0.0.1.
          { emulator: await startWooCommerceEmulator({ name: 'Test Woo Store', httpCallbackHosts: ['127.0.0.1'] }), platform: createWooCommercePlatform({ appName: 'ledgerbridge' }) }
        : null;
    const squarespace = options.shop === 'squarespace' ? await startEmulatedSquarespace(database.db, options.squarespace ?? {}) : null;
    const decorate = (platform: AccountingPlatform): Platform => (options.decorateTarget && platform === ledger ? decorated(platform, options.decorateTarget) : platform);
    const qbdConfig: QbdPlatformConfig | null = options.qbd
      ? { webConnectorUrl: `http://127.0.0.1${QBWC_PATH}`, pollMinutes: 1, requestWaitMs: options.qbd.requestWaitMs, queuePollMs: 25, disconnectedAfterMs: 3 * 3_600_000, sessionLingerMs: options.qbd.sessionLingerMs ?? 1_000 }
      : null;
    const qbd = qbdConfig ? createQbdPlatform(qbdConfig, { requestLimiter: () => ({ acquire: async () => async () => {}, pauseFor: async () => {} }), db: database.db }) : null;
    const platforms = new PlatformRegistry([shopifyPlatform, decorate(qboPlatform), ...(xero ? [decorate(xero.platform)] : []), ...(qbd ? [qbd] : []), ...(woo ? [woo.platform] : []), ...(squarespace ? [squarespace.platform] : [])]);
    const credentials = new CredentialStore(database.db, secretBoxFromKey(Buffer.alloc(32, 7)));
    const harness = new SyncHarness(database, emulated, platforms, credentials, new Client({
      connection,
      dataConverter: testDataConverter,
      ...(options.orderSyncTiming ? { interceptors: { workflow: [orderSyncTimingInterceptor(options.orderSyncTiming)] } } : {}),
    }), nativeConnection, options, xero, woo, squarespace);
    if (qbdConfig) harness.qbdConfig = qbdConfig;
    await harness.createRoute();
    await harness.startApi(shopifyPlatform);
    if (qbdConfig) await harness.connectQbd(qbdConfig);
    if (woo) await harness.connectWooCommerce();
    if (squarespace) await harness.connectSquarespace();
    await harness.startWorker();
    return harness;
  }

  get db() {
    return this.database.db;
  }

  /** Creates both integrations and the route, and connects both through their OAuth flows. */
  private async createRoute(): Promise<void> {
    await this.db.insert(integrations).values([
      { id: this.shopifyIntegrationId, platform: 'shopify', number: 1, displayName: 'Shopify #1', account: { shop: this.shop } },
      { id: this.qboIntegrationId, platform: 'qbo', number: 1, displayName: 'QuickBooks Online #1', account: { realmId: this.realmId } },
    ]);
    if (this.options.qbd) {
      await this.db.insert(integrations).values({ id: this.qbdIntegrationId, platform: 'qbd', number: 1, displayName: 'QuickBooks Desktop #1', account: {} });
    }
    if (this.emulatedWoo) {
      await this.db.insert(integrations).values({ id: this.wooIntegrationId, platform: 'woocommerce', number: 1, displayName: 'WooCommerce #1', account: { storeUrl: this.woo.origin } });
    }
    if (this.emulatedSquarespace) {
      // A Squarespace integration learns its website when it is connected.
      await this.db.insert(integrations).values({ id: this.squarespaceIntegrationId, platform: 'squarespace', number: 1, displayName: 'Squarespace #1', account: {} });
    }
    if (this.emulatedXero) {
      // A Xero integration learns its organisation when it is connected.
      await this.db.insert(integrations).values({ id: this.xeroIntegrationId, platform: 'xero', number: 1, displayName: 'Xero #1', account: {} });
    }
    await this.db.insert(syncRoutes).values({ id: this.routeId, sourceIntegrationId: this.shopIntegrationId, targetIntegrationId: this.ledgerIntegrationId });
    const extraTargets = { xero: this.xeroIntegrationId, qbd: this.qbdIntegrationId };
    for (const ledger of this.options.alsoRouteTo ?? []) {
      const routeId = `route-${ledger}-${randomUUID().slice(0, 8)}`;
      await this.db.insert(syncRoutes).values({ id: routeId, sourceIntegrationId: this.shopIntegrationId, targetIntegrationId: extraTargets[ledger] });
      this.extraRouteIds[ledger] = routeId;
    }
    await this.connect(this.shopifyIntegrationId, { shop: this.shop });
    // An emulator in its own process has only this company, which its consent grants by default.
    if (!this.emulated.qboProcess) this.qbo.control.authorizeAs(this.realmId);
    await this.connect(this.qboIntegrationId, { realmId: this.realmId });
    if (this.emulatedXero) await this.connect(this.xeroIntegrationId, {});
  }

  /**
   * A route from the emulator's second shop into the same ledger, connected like the first; for tests of
   * two shops booking into one ledger.
   */
  async addSecondShopRoute(documentNumberPrefix: string | null = null): Promise<{ routeId: string; shop: string; integrationId: string }> {
    const integrationId = `shopify-${randomUUID().slice(0, 8)}`;
    const routeId = `route-${randomUUID().slice(0, 8)}`;
    const shop = this.emulated.secondShop;
    await this.db.insert(integrations).values({ id: integrationId, platform: 'shopify', number: 2, displayName: 'Shopify #2', account: { shop } });
    await this.db.insert(syncRoutes).values({ id: routeId, sourceIntegrationId: integrationId, targetIntegrationId: this.ledgerIntegrationId, documentNumberPrefix });
    await this.connect(integrationId, { shop });
    if (this.apiOrigin) await this.subscribeWebhooks(integrationId);
    return { routeId, shop, integrationId };
  }

  /** The OAuth click-through: authorize URL → consent → callback → tokens saved. */
  async connect(integrationId: string, account: Record<string, string>): Promise<void> {
    const [row] = await this.db.select().from(integrations).where(eq(integrations.id, integrationId));
    const platform = this.platforms.get(row!.platform);
    const { query } = await approveConsent(platform.authorizeUrl(account, `state-${randomUUID()}`, REDIRECT_URI), browserUrlFor);
    const { account: connected, credentials } = await platform.completeAuthorization(query, REDIRECT_URI);
    await this.credentials.save(integrationId, credentials);
    await this.db.update(integrations).set({ account: connected }).where(eq(integrations.id, integrationId));
    await recordIntegrationStatus(this.db, integrationId, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }

  /**
   * "Connect" WooCommerce #1 as the product does: the connect state, the store owner approving on WooCommerce's
   * grant page, the key posted to our grant route, then the callback (completeConnect), which subscribes the
   * webhooks. Again after a revoked key: a new key, and the webhooks take its secret.
   */
  async connectWooCommerce(): Promise<void> {
    const oauth = this.shopConnectDeps();
    const { query } = await answerKeyGrant(await beginConnect(oauth, this.wooIntegrationId));
    const outcome = await completeConnect(oauth, query);
    if (outcome.kind !== 'connected') throw new Error(`WooCommerce #1 did not connect: ${outcome.kind}`);
    await recordIntegrationStatus(this.db, this.wooIntegrationId, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }

  /**
   * "Connect" Squarespace #1 as the product does: the connect state, the merchant allowing access on Squarespace's
   * consent page, the callback (completeConnect): tokens saved, the website learned, the webhook subscription made.
   */
  async connectSquarespace(): Promise<void> {
    const oauth = this.shopConnectDeps();
    const { query } = await approveConsent(await beginConnect(oauth, this.squarespaceIntegrationId));
    const outcome = await completeConnect(oauth, query);
    if (outcome.kind !== 'connected') throw new Error(`Squarespace #1 did not connect: ${outcome.kind}`);
    await recordIntegrationStatus(this.db, this.squarespaceIntegrationId, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }

  private shopConnectDeps(): OAuthDeps {
    return {
      db: this.db,
      platforms: this.platforms,
      credentials: this.credentials,
      // Connecting tells the integration's health workflow; no worker here serves that queue (health has tests of its own).
      health: { client: this.client, taskQueue: `${this.taskQueue}-health-unserved` },
      redirectUri: `${this.apiOrigin}/integrations/oauth/callback`,
      publicBaseUrl: this.apiOrigin,
    };
  }

  private qbdConfig: QbdPlatformConfig | null = null;

  /** "Connect": the operator creates the Web Connector login; the person adds the .qwc and types the password. */
  private async connectQbd(config: QbdPlatformConfig): Promise<void> {
    const login = await this.operator('POST', `/integrations/${this.qbdIntegrationId}/qbd/web-connector`);
    if (login.status !== 200) throw new Error(`Web Connector login: ${JSON.stringify(login.body)}`);
    const company = new QbdCompanyEmulator({ company: this.options.qbd!.company });
    const connector = new WebConnectorEmulator({
      appUrl: config.webConnectorUrl,
      userName: login.body.userName,
      password: login.body.password,
      company,
      intervalMs: this.options.qbd!.pollIntervalMs,
      noOpDelayMs: this.options.qbd!.noOpDelayMs ?? 10,
    });
    this.qbd = { company, connector, integrationId: this.qbdIntegrationId, config };
    await recordIntegrationStatus(this.db, this.qbdIntegrationId, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }

  private async startApi(shopify: ShopifyPlatform): Promise<void> {
    const qbdDeps: QbdRouteDeps | null = this.qbdConfig
      ? { db: this.db, credentials: this.credentials, config: this.qbdConfig, temporal: this.client, resumePerSecond: 50 }
      : null;
    this.api = await buildApi({
      db: this.db,
      temporal: this.client,
      taskQueue: this.taskQueue,
      operatorToken: OPERATOR_TOKEN,
      verifyShopifyWebhook: (rawBody, headers) => shopify.verifyWebhook({ rawBody, headers }),
      ...(this.emulatedWoo ? { verifyWooCommerceWebhook: wooCommerceWebhookCheck({ db: this.db, credentials: this.credentials, platform: this.emulatedWoo.platform }) } : {}),
      ...(this.emulatedSquarespace ? { verifySquarespaceWebhook: this.emulatedSquarespace.platform.verifyWebhook } : {}),
      ...(this.options.refundDiscovery ? { orderIntake: { refundDiscovery: this.options.refundDiscovery } } : {}),
      resumeRatePerSecond: 50,
      platforms: this.platforms,
      bookedOrderChanges: this.options.bookedOrderChanges?.(this.db),
      payloadCodec: { codec: testDataConverter.payloadCodecs![0]!, uiOrigins: this.options.temporalUiOrigins ?? [TEMPORAL_UI_ORIGIN] },
      plugins: [connectGrantRoutes({ db: this.db, platforms: this.platforms, credentials: this.credentials }), ...(qbdDeps ? [qbwcEndpointRoutes(qbdDeps)] : [])],
      ...(qbdDeps ? { operatorPlugins: [qbdOperatorRoutes(qbdDeps)] } : {}),
    });
    this.apiOrigin = await this.api.listen({ host: '127.0.0.1', port: this.options.apiPort ?? 0 });
    // The .qwc's AppURL: where this API listens (the Web Connector emulator reads it at each update).
    if (this.qbdConfig) this.qbdConfig.webConnectorUrl = `${this.apiOrigin}${QBWC_PATH}`;
    await this.subscribeWebhooks(this.shopifyIntegrationId);
  }

  /** The shop subscribes to our webhooks the way the product does on connect (webhookSubscriptionCreate). */
  async subscribeWebhooks(integrationId: string) {
    return keepCommerceWebhooks({ db: this.db, platforms: this.platforms, credentials: this.credentials, publicBaseUrl: this.apiOrigin }, integrationId);
  }

  /** Stops the API process's server and starts a new one (an API restart; the worker keeps running). */
  async restartApi(): Promise<void> {
    await this.api.close();
    await this.startApi(this.emulated.shopifyPlatform);
  }

  /** Starts a full re-sync of the integration (POST /integrations/:id/resync) and waits for it to end: its view, summary included. */
  async resyncToEnd(integrationId: string, body: Record<string, unknown> = {}): Promise<FullResyncView> {
    const started = await this.operator('POST', `/integrations/${integrationId}/resync`, body);
    if (started.status !== 202) throw new Error(`the re-sync did not start: HTTP ${started.status} ${JSON.stringify(started.body)}`);
    return eventually(async () => {
      const view = (await this.operator('GET', `/integrations/${integrationId}/resync`)).body as FullResyncView;
      return view.state !== 'running' ? view : undefined;
    }, 'the re-sync to finish');
  }

  /** An operator call to our API, with the bearer token. */
  async operator(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
    const response = await this.api.inject({
      method,
      url,
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: response.statusCode, body: response.json() as any };
  }

  /** The ledger id of a QuickBooks list entry (Item, TaxCode) by name. */
  ledgerId(entity: 'Item' | 'TaxCode', name: string): string {
    const found = this.qbo.control.list(this.realmId, entity).find((record) => record.Name === name);
    if (!found) throw new Error(`No ${entity} named ${name} in the test company`);
    return String(found.Id);
  }

  async startWorker(): Promise<void> {
    const connectionProblems: ConnectionProblemSink = this.options.connectionProblems ?? {
      connectionFailed: async (problem) => {
        this.connectionProblemsSeen.push(problem);
        // As the health workflow does: a report of a grant replaced since (it came after the reconnect) changes nothing.
        const [row] = await this.db.select({ grantGeneration: integrations.grantGeneration }).from(integrations).where(eq(integrations.id, problem.integrationId));
        if (typeof problem.grantGeneration === 'number' && row && problem.grantGeneration < row.grantGeneration) return;
        await recordIntegrationStatus(this.db, problem.integrationId, { status: 'reconnect_required', reason: problem.message, cause: problem.errorType, check: 'order_sync' });
      },
    };
    this.worker = await createSyncWorker({
      connection: this.nativeConnection,
      taskQueue: this.taskQueue,
      dataConverter: testDataConverter,
      db: this.db,
      platforms: this.platforms,
      secrets: secretBoxFromKey(Buffer.alloc(32, 7)),
      connectionProblems,
      client: this.client,
      bookedOrderChanges: this.options.bookedOrderChanges?.(this.db),
      ...(this.options.routeHalts ? { routeHalts: this.options.routeHalts(this.db) } : {}),
      ...(this.options.decorateActivities ? { decorateActivities: this.options.decorateActivities } : {}),
      workflowBundlePath: this.options.workflowBundlePath!,
      throttlePatienceMs: this.options.throttlePatienceMs,
      ...(this.killable ? { shutdownGraceTime: 3_600_000, shutdownForceTime: 500 } : {}),
    });
    this.workerRun = this.worker.run();
  }

  private killable = false;

  /** Starts a worker that killWorker() can stop the way a SIGKILL does. */
  async startKillableWorker(): Promise<void> {
    await this.stopWorker();
    this.killable = true;
    await this.startWorker();
  }

  /**
   * Stops the worker like a SIGKILL: its running activities are neither cancelled nor reported, they
   * stop heartbeating, and Temporal finds out only through their timeouts.
   */
  async killWorker(): Promise<void> {
    if (!this.killable) throw new Error('killWorker needs startKillableWorker()');
    this.worker?.shutdown();
    await this.workerRun?.catch(() => {});
    this.worker = null;
    this.workerRun = null;
    this.killable = false;
  }

  /**
   * Starts the order's sync like startOrderSync, with the workflow's timings shortened (timer tests).
   */
  async startTimedSync(orderId: string, timing: Partial<OrderSyncTiming>): Promise<{ workflowId: string; runId: string }> {
    const workflowId = orderSyncWorkflowId(this.routeId, orderId);
    await this.db.insert(orderSyncs).values({ routeId: this.routeId, orderId, workflowId, status: 'pending' }).onConflictDoNothing();
    const handle = await this.client.workflow.start(orderSyncWorkflow, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ routeId: this.routeId, orderId, timing }],
      typedSearchAttributes: [
        { key: RouteIdKey, value: this.routeId },
        { key: IntegrationIdsKey, value: [this.shopIntegrationId, this.ledgerIntegrationId] },
        { key: OrderIdKey, value: orderId },
        { key: SyncStateKey, value: 'syncing' },
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId };
  }

  async stopWorker(): Promise<void> {
    this.worker?.shutdown();
    await this.workerRun;
    this.worker = null;
    this.workerRun = null;
  }

  startSync(orderId: string, routeId = this.routeId) {
    return startOrderSync(this.client, this.db, this.taskQueue, { routeId, orderId });
  }

  /** Opens a route's platform clients as the activities do (for baselines and direct checks). */
  connections(): RouteConnections {
    return new RouteConnections(this.db, this.platforms, this.credentials);
  }

  /** The result of the order's sync once something (a webhook, an operator) has started it. */
  async syncResultOf(orderId: string, routeId = this.routeId): Promise<OrderSyncResult> {
    const handle = this.handle(orderSyncWorkflowId(routeId, orderId));
    await eventually(async () => (await handle.describe()).workflowId, `the sync of order ${orderId} to start`);
    return handle.result();
  }

  handle(workflowId: string) {
    return this.client.workflow.getHandle(workflowId);
  }

  /** The order's row in order_syncs: what an operator sees. */
  async orderRow(orderId: string, routeId = this.routeId) {
    return (await this.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId))))[0];
  }

  /** The result of a refund's booking (refund id, or "cancellation") once the intake has started it. */
  async refundResultOf(orderId: string, refundId: string, routeId = this.routeId): Promise<RefundSyncResult> {
    const handle = this.handle(refundSyncWorkflowId(routeId, orderId, refundId));
    await eventually(async () => (await handle.describe()).workflowId, `the booking of refund ${refundId} of order ${orderId} to start`);
    return handle.result();
  }

  /** The order's intake events of one topic ("orders/polled", "refunds/polled"), once there is one. */
  async intakeEventsOnceThere(orderId: string, topic: string, what: string, timeoutMs?: number) {
    return eventually(async () => {
      const events = (await this.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, orderId))).filter((e) => e.topic === topic);
      return events.length > 0 ? events : undefined;
    }, what, timeoutMs);
  }

  /** The intake's outcome for an event ("started", "already_synced"…), once the drainer has handled it. */
  async intakeOutcomeOf(eventId: string): Promise<string> {
    return eventually(async () => {
      const [row] = await this.db.select({ outcome: webhookEvents.outcome }).from(webhookEvents).where(eq(webhookEvents.eventId, eventId));
      return row && row.outcome !== 'queued' && row.outcome !== 'processing' ? row.outcome : undefined;
    }, `event ${eventId} to be handled`);
  }

  /** Waits for the integration's polls to run on past `since` by more than an interval: at least one whole poll after it. */
  async pollsAfter(integrationId: string, since: number, intervalMs: number): Promise<void> {
    await eventually(async () => {
      const view = await this.operator('GET', `/integrations/${integrationId}/polling`);
      return view.body.lastPolledAt && Date.parse(view.body.lastPolledAt) > since + intervalMs ? view : undefined;
    }, 'more polls');
  }

  /** The refund's row in refund_syncs: what an operator sees. */
  async refundRow(orderId: string, refundId: string, routeId = this.routeId) {
    return (await this.db.select().from(refundSyncs).where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId), eq(refundSyncs.refundId, refundId))))[0];
  }

  /** The refund's row once its booking has settled: booked, skipped, or waiting on a person (what it says then). */
  async refundRowOnceSettled(orderId: string, refundId: string, what: string, routeId = this.routeId) {
    return eventually(async () => {
      const row = await this.refundRow(orderId, refundId, routeId);
      return row && ['synced', 'waiting', 'skipped'].includes(row.status) ? row : undefined;
    }, what);
  }

  /** Every refund receipt the ledger holds. */
  refundReceipts() {
    return this.qbo.control.documents(this.realmId, 'RefundReceipt');
  }

  /** The refund receipts of a sale's document number ("7101-R1", "7101-C"), with their totals, by number. */
  refundReceiptTotals(saleDocNumber: string): Array<[string | undefined, number]> {
    return this.refundReceipts()
      .filter((r) => (r.docNumber ?? '').startsWith(`${saleDocNumber}-`))
      .map((r): [string | undefined, number] => [r.docNumber ?? undefined, (r.record as { TotalAmt: number }).TotalAmt])
      .sort();
  }

  /** Every sales receipt the ledger holds: what a duplicate check counts. */
  salesReceipts() {
    return this.qbo.control.documents(this.realmId, 'SalesReceipt');
  }

  /** Every invoice the Xero organisation holds (with `ledger: 'xero'`). */
  xeroInvoices() {
    return this.xero.emulator.control.invoices(this.xero.tenantId);
  }

  /** Every payment the Xero organisation holds. */
  xeroPayments() {
    return this.xero.emulator.control.payments(this.xero.tenantId);
  }

  async close(): Promise<void> {
    await this.qbd?.connector.stop();
    await this.api?.close();
    await this.stopWorker().catch(() => {});
    await this.emulated.close();
    await this.emulatedXero?.emulator.close();
    if (this.emulatedWoo) {
      await this.handle(integrationHealthWorkflowId(this.wooIntegrationId)).terminate('test over').catch(() => {});
      await this.emulatedWoo.emulator.close();
    }
    if (this.emulatedSquarespace) {
      await this.handle(integrationHealthWorkflowId(this.squarespaceIntegrationId)).terminate('test over').catch(() => {});
      await this.emulatedSquarespace.emulator.close();
    }
    await this.nativeConnection.close();
    await this.client.connection.close();
    await this.database.close();
  }
}

/** A Squarespace site on its emulator and the real platform code pointed at it (webhooks to a local http API allowed). */
async function startEmulatedSquarespace(db: Database, options: NonNullable<SyncHarnessOptions['squarespace']>): Promise<{ emulator: SquarespaceEmulator; platform: SquarespacePlatform }> {
  const { coolDownMs, ...site } = options;
  const emulator = await startSquarespaceEmulator({ ...SQUARESPACE_APP, siteTitle: 'Test Squarespace Site', currency: 'GBP', httpEndpointHosts: ['127.0.0.1'], ...site });
  const platform = createSquarespacePlatform(
    { ...SQUARESPACE_APP, endpoints: squarespaceEndpointsAt(emulator.origin), ...(coolDownMs !== undefined ? { coolDownMs } : {}) },
    { db, secrets: secretBoxFromKey(Buffer.alloc(32, 7)) },
  );
  return { emulator, platform };
}

function decorated(platform: AccountingPlatform, decorate: (target: AccountingTarget) => AccountingTarget): Platform {
  return { ...platform, createTarget: (connection) => decorate(platform.createTarget(connection)) };
}

/** Polls until `check` returns a value (not undefined/false), or fails with what it last saw. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}; last saw: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
