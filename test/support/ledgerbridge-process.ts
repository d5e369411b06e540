// A ledgerbridge process (API with its intake drainer, and the worker) as a child process of a test or the bench,
// pointed at emulators the parent runs: so the parent can SIGKILL it at a chosen moment and start it again on the
// same database. Configuration: LEDGERBRIDGE_PROCESS (JSON, ChildConfig). Prints "READY <api origin>" when listening.
import './quiet-runtime.js';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../api/app.js';
import { CredentialStore } from '../../db/credential-store.js';
import { openDatabase } from '../../db/database.js';
import { recordIntegrationStatus } from '../../db/integration-status-log.js';
import { integrations, syncRoutes } from '../../db/schema.js';
import { approveConsent } from '../../emulators/common/oauth-consent.js';
import { createQboPlatform, qboEndpointsAt } from '../../platforms/qbo/qbo-platform.js';
import { PlatformRegistry } from '../../platforms/registry.js';
import { browserUrlFor, createShopifyPlatform } from '../../platforms/shopify/index.js';
import { secretBoxFromKey } from '../../runtime/secret-box.js';
import { createSyncWorker } from '../../runtime/sync-worker.js';
import { runIntakeDrainer } from '../../runtime/intake-drainer-runner.js';
import { testDataConverter } from './test-data-converter.js';

export interface ChildConfig {
  /** PostgreSQL URL, or else a PGlite directory. */
  databaseUrl?: string;
  pgliteDir?: string;
  /** Where the API's Temporal client connects (a test may put a proxy in between). */
  clientTemporalAddress: string;
  workerTemporalAddress: string;
  workflowBundlePath: string;
  taskQueue: string;
  operatorToken: string;
  /** false: the API only (the worker runs in another process). */
  runWorker: boolean;
  /** false: the worker only. Default true. */
  runApi?: boolean;
  claimLeaseMs?: number;
  /** Which process starts the syncs of recorded webhooks (INTAKE_DRAINER); default the API. */
  intakeDrainer?: 'api' | 'worker';
  shopifyApp: { apiKey: string; apiSecret: string };
  qboApp: { clientId: string; clientSecret: string };
  shop: string;
  shopifyOrigin: string;
  realmId: string;
  qboUrls: Parameters<typeof qboEndpointsAt>[0];
  routeId: string;
  /** Benches: time every webhook answer in the API and serve the figures at GET /bench/webhook-timings. */
  timeWebhooks?: boolean;
}

const config = JSON.parse(process.env.LEDGERBRIDGE_PROCESS ?? '') as ChildConfig;
// Dies with its parent (stdin closes) and on SIGTERM: a test or bench that is stopped leaves no process behind.
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
process.once('SIGTERM', () => process.exit(0));
const REDIRECT_URI = 'http://127.0.0.1:3999/oauth/callback';
const secrets = secretBoxFromKey(Buffer.alloc(32, 7));

const database = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: config.pgliteDir! });
const db = database.db;
const shopify = createShopifyPlatform({
  apiKey: config.shopifyApp.apiKey,
  apiSecretKey: config.shopifyApp.apiSecret,
  expiringTokens: false,
  emulatorShops: { [config.shop]: config.shopifyOrigin },
});
const qbo = createQboPlatform({ ...config.qboApp, environment: 'sandbox', ...qboEndpointsAt(config.qboUrls), defaultRetryAfterMs: 1_000 });
const platforms = new PlatformRegistry([shopify, qbo]);
const credentials = new CredentialStore(db, secrets);

// The first start creates the route and connects both ends through their OAuth flows; a restart finds them.
const [existing] = await db.select().from(syncRoutes).where(eq(syncRoutes.id, config.routeId));
if (!existing) {
  const shopifyId = `shopify-${config.routeId}`;
  const qboId = `qbo-${config.routeId}`;
  await db.insert(integrations).values([
    { id: shopifyId, platform: 'shopify', number: 1, displayName: 'Shopify #1', account: { shop: config.shop } },
    { id: qboId, platform: 'qbo', number: 1, displayName: 'QuickBooks Online #1', account: { realmId: config.realmId } },
  ]);
  await db.insert(syncRoutes).values({ id: config.routeId, sourceIntegrationId: shopifyId, targetIntegrationId: qboId });
  for (const [id, account] of [[shopifyId, { shop: config.shop }], [qboId, { realmId: config.realmId }]] as const) {
    const platform = platforms.get(id === shopifyId ? 'shopify' : 'qbo');
    const { query } = await approveConsent(platform.authorizeUrl(account, `state-${randomUUID()}`, REDIRECT_URI), browserUrlFor);
    const connected = await platform.completeAuthorization(query, REDIRECT_URI);
    await credentials.save(id, connected.credentials);
    await db.update(integrations).set({ account: connected.account }).where(eq(integrations.id, id));
    await recordIntegrationStatus(db, id, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }
}

const connection = await Connection.connect({ address: config.clientTemporalAddress });
const client = new Client({ connection, dataConverter: testDataConverter });

if (config.runWorker) {
  const worker = await createSyncWorker({
    connection: await NativeConnection.connect({ address: config.workerTemporalAddress }),
    taskQueue: config.taskQueue,
    dataConverter: testDataConverter,
    db,
    platforms,
    secrets,
    connectionProblems: { connectionFailed: async () => {} },
    workflowBundlePath: config.workflowBundlePath,
  });
  void worker.run();
  if (config.intakeDrainer === 'worker') {
    const log = { info: () => {}, warn: (obj: object, message: string) => console.error(message, obj), error: (obj: object, message: string) => console.error(message, obj) };
    await runIntakeDrainer(database, { db, temporal: client, taskQueue: config.taskQueue, log }, config.claimLeaseMs ? { claimLeaseMs: config.claimLeaseMs } : {});
  }
}

if (config.runApi === false) {
  process.stdout.write('READY worker\n');
} else {
  await startApi();
}

async function startApi() {
  const api = await buildApi({
    db,
    temporal: client,
    taskQueue: config.taskQueue,
    operatorToken: config.operatorToken,
    verifyShopifyWebhook: (rawBody, headers) => shopify.verifyWebhook({ rawBody, headers }),
    platforms,
    drainIntake: config.intakeDrainer !== 'worker',
    ...(config.claimLeaseMs ? { orderIntake: { claimLeaseMs: config.claimLeaseMs } } : {}),
  });
  if (config.timeWebhooks) timeWebhooks(api);
  const origin = await api.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`READY ${origin}\n`);
}

/**
 * Where a webhook's acknowledgement time goes, as the API sees it: from when the delivery was due (the sender's
 * x-bench-due-ms) to when the API read its request, from then to its answer, and from when it was due to when the
 * answer was written (what Shopify would wait, without the bench sender's own lateness in reading answers). Each
 * with the delivery's x-bench-index, so the bench can take out how late the sender sent it. Read and cleared by
 * GET /bench/webhook-timings.
 */
function timeWebhooks(api: FastifyInstance): void {
  const empty = () => ({ index: [] as number[], arrivalMs: [] as number[], serverMs: [] as number[], answeredMs: [] as number[] });
  let timings = empty();
  const readAt = new WeakMap<object, number>();
  api.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/webhooks/')) return;
    readAt.set(request, performance.now());
  });
  api.addHook('onResponse', async (request) => {
    const at = readAt.get(request);
    const due = Number(request.headers['x-bench-due-ms']);
    if (at === undefined || !due) return;
    const now = performance.now();
    timings.index.push(Number(request.headers['x-bench-index'] ?? -1));
    timings.arrivalMs.push(performance.timeOrigin + at - due);
    timings.serverMs.push(now - at);
    timings.answeredMs.push(performance.timeOrigin + now - due);
  });
  api.get('/bench/webhook-timings', async () => {
    const taken = timings;
    timings = empty();
    return taken;
  });
}
