// Runs temporal-docker-compose.yml's Temporal setup without Docker, from the binaries its images are built from, and
// books orders through it (README: "Verifying the production Temporal setup without Docker"). A manual check, not
// part of `npm test`: it needs the Temporal server and SQL tool built with Go at the compose's version.
//
//   TEMPORAL_TOOLS_DIR=/path/with/server-and-sql npx tsx scripts/verify-temporal-without-docker.ts
//
// Each compose service runs with the environment the compose file gives it (secrets from a made-up .env), changed
// only where Docker's network differs from this host: PostgreSQL at VERIFY_POSTGRES_URL's host instead of
// `postgresql`, Temporal on free loopback ports instead of `temporal:7233`, throwaway database names.
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../db/database.js';
import { projectRoot } from '../runtime/project-root.js';
import { createConnectedRoute } from '../test/support/connected-route.js';
import { startEmulatedPlatforms, type EmulatedPlatforms } from '../test/support/emulated-platforms.js';
import { emulatedProcessEnv } from '../test/support/emulated-process-env.js';
import { orderCreatedBody, signedDelivery } from '../test/support/ledgerbridge-child.js';
import { spawnProcess, type SpawnedProcess } from '../test/support/spawned-process.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { loadComposeServices, serviceEnvironment, type ComposeService } from './compose-environment.js';
import { findTemporalExecutable } from './temporal-binary.js';
import { freePort } from './temporal-dev-server.js';

const run = promisify(execFile);
const SHOPIFY_APP = { apiKey: 'verify-shopify-key', apiSecret: 'verify-shopify-secret' };
const QBO_APP = { clientId: 'verify-qbo-client', clientSecret: 'verify-qbo-secret' };
const KEY = Buffer.alloc(32, 7);
const OPERATOR_TOKEN = 'verify-operator-token';
const TEMPORAL_PORT_VARIABLES = [
  'FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'FRONTEND_MEMBERSHIP_PORT', 'HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT',
  'MATCHING_GRPC_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_GRPC_PORT', 'WORKER_MEMBERSHIP_PORT',
];

const say = (line: string) => console.log(`[verify ${new Date().toISOString().slice(11, 19)}] ${line}`);

function fail(message: string, spawned?: SpawnedProcess): never {
  throw new Error(spawned ? `${message}\n--- last output ---\n${spawned.lines.slice(-40).join('\n')}` : message);
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), answer(true)));
    socket.once('error', () => answer(false));
  });
}

/** Temporal stores membership ports as SMALLINT (cluster_membership.rpc_port): a free port the OS picks may not fit. */
async function freePortBelow32768(taken: number[]): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.includes(port)) continue;
    const free = await new Promise<boolean>((answer) => {
      const server = createServer();
      server.once('error', () => answer(false));
      server.listen(port, '127.0.0.1', () => server.close(() => answer(true)));
    });
    if (free) return port;
  }
}

/** `/ledgerbridge/setup-schema.sh` in the container → deploy/temporal/setup-schema.sh here, through the service's bind mount. */
function hostPath(service: ComposeService, containerPath: string): string {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':') as [string, string];
    if (containerPath === target || containerPath.startsWith(`${target}/`)) return join(projectRoot, source, containerPath.slice(target.length));
  }
  return fail(`no volume of the service holds ${containerPath}`);
}

/** A one-shot admin-tools service: `/bin/sh <its script>`, with its output shown as evidence. */
async function runOneShot(name: string, service: ComposeService, env: NodeJS.ProcessEnv): Promise<void> {
  const command = [service.command ?? []].flat();
  const script = hostPath(service, command.at(-1)!);
  say(`${name}: sh ${script}`);
  const oneShot = spawnProcess('sh', [script], { cwd: tmpdir(), env });
  const { code } = await oneShot.exited;
  // The SQL tool's DEBUG lines are every statement of every migration: left out.
  for (const line of oneShot.lines.filter((line) => line && !/\tDEBUG\t|Processing schema file/.test(line.replace(/\x1b\[[0-9;]*m/g, '')))) console.log(`  | ${line.length > 240 ? `${line.slice(0, 240)}…` : line}`);
  if (code !== 0) fail(`${name} exited with ${code}`);
}

async function stop(name: string, spawned: SpawnedProcess, timeoutMs = 30_000): Promise<void> {
  spawned.child.kill('SIGTERM');
  const timer = setTimeout(() => spawned.killGroup(), timeoutMs);
  const { code, signal } = await spawned.exited;
  clearTimeout(timer);
  say(`${name} stopped (exit ${code ?? signal})`);
  if (code !== 0) fail(`${name} did not stop cleanly on SIGTERM (exit ${code ?? signal})`, spawned);
}

async function main(): Promise<void> {
  const toolsDir = process.env.TEMPORAL_TOOLS_DIR ?? fail('Set TEMPORAL_TOOLS_DIR to the directory `go install` put `server` and `sql` in (README: Deploying).');
  const admin = new URL(process.env.VERIFY_POSTGRES_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
  const services = await loadComposeServices(join(projectRoot, 'temporal-docker-compose.yml'));
  const version = services.temporal!.image!.replace(/^temporalio\/server:/, '');
  const schemaDir = process.env.TEMPORAL_SCHEMA_DIR ?? join((await run('go', ['env', 'GOMODCACHE'])).stdout.trim(), `go.temporal.io/server@v${version}`, 'schema');
  const cli = await findTemporalExecutable(say);
  if (cli.type !== 'existing-path') fail('No Temporal CLI found (admin-tools ships one): put `temporal` on PATH.');

  const work = await mkdtemp(join(tmpdir(), 'ledgerbridge-verify-'));
  const prefix = `lbverify_${randomUUID().slice(0, 8)}`;
  const databases = { temporal: `${prefix}_temporal`, visibility: `${prefix}_temporal_visibility`, ledgerbridge: `${prefix}_ledgerbridge` };
  const sql = postgres(admin.href, { max: 1, onnotice: () => {} });
  const running = new Set<SpawnedProcess>();
  let emulated: EmulatedPlatforms | undefined;
  try {
    // The images' executable names, on PATH: admin-tools' temporal-sql-tool and temporal, the server's temporal-server.
    // busybox's `nc -z` (both images) is played by bash's /dev/tcp where no nc is installed.
    const bin = join(work, 'bin');
    await mkdir(bin);
    await symlink(resolve(toolsDir, 'server'), join(bin, 'temporal-server'));
    await symlink(resolve(toolsDir, 'sql'), join(bin, 'temporal-sql-tool'));
    await symlink(cli.path, join(bin, 'temporal'));
    const nc = await run('sh', ['-c', 'command -v nc || true']);
    if (!nc.stdout.trim()) {
      await writeFile(join(bin, 'nc'), '#!/bin/bash\n# nc -z [-w SECONDS] HOST PORT\nwait=5\nwhile getopts "zw:" o; do [ "$o" = w ] && wait="$OPTARG"; done\nshift $((OPTIND - 1))\nexec timeout "$wait" bash -c ">/dev/tcp/$1/$2" 2>/dev/null\n');
      await chmod(join(bin, 'nc'), 0o755);
    }
    const { stdout: serverVersion } = await run(join(bin, 'temporal-server'), ['--version']);
    const { stdout: sqlToolVersion } = await run(join(bin, 'temporal-sql-tool'), ['--version']);
    const { stdout: cliVersion } = await run(join(bin, 'temporal'), ['--version']);
    say(`compose pins temporalio/server:${version}; running ${serverVersion.trim()}, ${sqlToolVersion.trim()}, ${cliVersion.trim()}`);
    say(`schema files: ${schemaDir}; databases: ${Object.values(databases).join(', ')}`);

    const apiPort = await freePort();
    const variables: Record<string, string> = {
      POSTGRES_USER: decodeURIComponent(admin.username),
      POSTGRES_PASSWORD: decodeURIComponent(admin.password) || 'unused',
      LEDGERBRIDGE_ENCRYPTION_KEY: KEY.toString('base64'),
      OPERATOR_TOKEN,
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      SMTP_URL: 'smtp://127.0.0.1:25',
      SHOPIFY_API_KEY: SHOPIFY_APP.apiKey,
      SHOPIFY_API_SECRET: SHOPIFY_APP.apiSecret,
      QBO_CLIENT_ID: QBO_APP.clientId,
      QBO_CLIENT_SECRET: QBO_APP.clientSecret,
    };
    const path = `${bin}:${process.env.PATH}`;
    const database = { POSTGRES_SEEDS: admin.hostname, DB_PORT: admin.port || '5432', DBNAME: databases.temporal, VISIBILITY_DBNAME: databases.visibility };
    const ports: Record<string, string> = {};
    for (const name of TEMPORAL_PORT_VARIABLES) ports[name] = String(await freePortBelow32768(Object.values(ports).map(Number)));
    const temporalAddress = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;

    // The server image's WORKDIR is /etc/temporal and the dynamic config is mounted under it.
    const etcTemporal = join(work, 'etc-temporal');
    for (const volume of services.temporal!.volumes ?? []) {
      const [source, target] = volume.split(':') as [string, string];
      const here = join(etcTemporal, target.replace(/^\/etc\/temporal\//, ''));
      await mkdir(dirname(here), { recursive: true });
      await symlink(join(projectRoot, source), here);
    }

    const setUpTemporal = async (round: string): Promise<SpawnedProcess> => {
      say(`${round}: temporal-schema`);
      await runOneShot('temporal-schema', services['temporal-schema']!, {
        ...serviceEnvironment(services['temporal-schema']!, variables), ...database, TEMPORAL_SCHEMA_DIR: schemaDir, PATH: path, HOME: process.env.HOME,
      });
      // As the image's entrypoint does: `temporal-server start`, configured from the environment by the template built into the binary.
      const server = spawnProcess(join(bin, 'temporal-server'), ['start'], {
        cwd: etcTemporal,
        env: { ...serviceEnvironment(services.temporal!, variables), ...database, ...ports, BIND_ON_IP: '127.0.0.1', PATH: path, HOME: process.env.HOME },
      });
      running.add(server);
      say(`${round}: temporal-server start (pid ${server.child.pid}); waiting for ${temporalAddress} (the compose healthcheck: nc -z)`);
      await until('the Temporal frontend port', async () => ((await portOpen('127.0.0.1', Number(ports.FRONTEND_GRPC_PORT))) ? true : server.child.exitCode !== null ? fail('temporal-server exited', server) : undefined), 180_000);
      const serverExited = server.exited.then(({ code, signal }) => fail(`temporal-server exited (${code ?? signal})`, server));
      await Promise.race([
        runOneShot('temporal-namespace', services['temporal-namespace']!, {
          ...serviceEnvironment(services['temporal-namespace']!, variables), TEMPORAL_ADDRESS: temporalAddress, PATH: path, HOME: process.env.HOME,
        }),
        serverExited,
      ]);
      serverExited.catch(() => {}); // a later exit is a stop this script asked for
      return server;
    };

    const temporal = (...args: string[]) => run(join(bin, 'temporal'), [...args, '--address', temporalAddress, '--namespace', 'default'], { maxBuffer: 16 * 1024 * 1024 });
    const checkSearchAttributes = async (round: string): Promise<void> => {
      const { stdout } = await temporal('operator', 'search-attribute', 'list', '--output', 'json');
      const listed = JSON.stringify(JSON.parse(stdout));
      const missing = allSearchAttributeKeys.filter((key) => !new RegExp(`"${key.name}":"(INDEXED_VALUE_TYPE_)?${key.type}"`, 'i').test(listed));
      if (missing.length > 0) fail(`search attributes missing or of another type: ${missing.map((key) => `${key.name}:${key.type}`).join(', ')}\n${stdout}`);
      say(`${round}: the server has every search attribute our workflows set, with its type: ${allSearchAttributeKeys.map((key) => `${key.name}:${key.type}`).join(', ')}`);
    };

    // The image build stage, alongside Temporal's setup (it takes minutes).
    say('npm run build (the image build stage)');
    const built = spawnProcess('npm', ['run', 'build'], { cwd: projectRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    running.add(built);
    // Round 1: a fresh deployment (`docker compose up`).
    let server = await setUpTemporal('first start');
    await checkSearchAttributes('first start');

    emulated = await startEmulatedPlatforms({ shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, shopName: 'Verify Shop' });
    await sql.unsafe(`CREATE DATABASE ${databases.ledgerbridge}`); // scripts/compose-init-ledgerbridge-db.sql, under a throwaway name
    const ledgerbridgeUrl = new URL(admin.href);
    ledgerbridgeUrl.pathname = `/${databases.ledgerbridge}`;
    const opened = await openDatabase({ url: ledgerbridgeUrl.href });
    const { routeId } = await createConnectedRoute(opened.db, emulated, KEY, 'verify');
    await opened.close();
    if ((await built.exited).code !== 0) fail('npm run build failed', built);
    say(`built dist/; route ${routeId} connects ${emulated.shop} to QuickBooks company ${emulated.realmId}`);

    const appEnv = (service: string, extra: Record<string, string>): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = {
        ...serviceEnvironment(services[service]!, variables),
        ...emulatedProcessEnv({ emulated: emulated!, shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, key: KEY, dataDir: join(work, 'data') }),
        TEMPORAL_ADDRESS: temporalAddress,
        DATABASE_URL: ledgerbridgeUrl.href,
        METRICS_HOST: '127.0.0.1',
        METRICS_PORT: '0',
        ...extra,
      };
      delete env.SMTP_URL; // no mail server here: mail goes to the data directory's outbox
      return env;
    };
    const startApps = async (round: string): Promise<SpawnedProcess[]> => {
      const worker = spawnProcess(process.execPath, [join(projectRoot, 'dist/runtime/worker-main.js')], { cwd: projectRoot, env: appEnv('ledgerbridge-worker', {}) });
      const api = spawnProcess(process.execPath, [join(projectRoot, 'dist/runtime/api-main.js')], { cwd: projectRoot, env: appEnv('ledgerbridge-api', { HOST: '127.0.0.1', PORT: String(apiPort) }) });
      running.add(worker).add(api);
      say(`${round}: ${(await worker.waitForLine(/running \(pid .*prebuilt workflow bundle.*/, 120_000))[0]}`);
      say(`${round}: ${(await api.waitForLine(/listening on .*/, 120_000))[0]}`);
      return [worker, api];
    };

    const booked = () => emulated!.qbo.control.documents(emulated!.realmId, 'SalesReceipt');
    const bookOrder = async (round: string, name: string): Promise<string> => {
      const order = emulated!.shopify.control.createOrder({ shop: emulated!.shop, name, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
      const before = booked().length;
      const delivered = await signedDelivery(`http://127.0.0.1:${apiPort}`, SHOPIFY_APP.apiSecret, { body: orderCreatedBody(order, '16.00'), topic: 'orders/create', shop: emulated!.shop, eventId: randomUUID() });
      if (delivered.status !== 200) fail(`the API answered the orders/create webhook with ${delivered.status}`);
      say(`${round}: orders/create for ${name} (order ${order.id}) → API 200`);
      await until(`${name} in the QuickBooks emulator`, () => (booked().length > before ? true : undefined));
      say(`${round}: booked ${name}: ${JSON.stringify(booked().at(-1)).slice(0, 200)}`);
      const completed = await until(`the sync of ${name} listed by its OrderId search attribute`, async () => {
        const { stdout } = await temporal('workflow', 'list', '--query', `OrderId = '${order.id}' AND ExecutionStatus = 'Completed'`, '--output', 'json');
        const listed = stdout.trim() ? (JSON.parse(stdout) as { execution: { workflowId: string } }[]) : [];
        return listed.length > 0 ? listed.map((workflow) => workflow.execution.workflowId) : undefined;
      });
      say(`${round}: visibility (SQL, custom search attribute OrderId) lists ${completed.join(', ')} as Completed`);
      return order.id;
    };

    let apps = await startApps('first start');
    const firstOrder = await bookOrder('first start', '#8001');

    // Round 2: everything stopped and started again on the same databases (`docker compose down && up`): the
    // one-shot setup services run again and must leave what exists alone.
    for (const app of apps) await stop(app === apps[0] ? 'worker' : 'api', app);
    await stop('temporal-server', server);
    running.clear();
    server = await setUpTemporal('restart');
    await checkSearchAttributes('restart');
    apps = await startApps('restart');
    await bookOrder('restart', '#8002');
    const { stdout: kept } = await temporal('workflow', 'count', '--query', `OrderId = '${firstOrder}'`);
    if (!/\b1\b/.test(kept)) fail(`the first start's order sync is gone after the restart: ${kept}`);
    if (booked().length !== 2) fail(`expected 2 SalesReceipts, found ${booked().length}`);
    say(`restart: the first start's workflow is still there (${kept.trim()}); 2 orders, 2 SalesReceipts, none twice`);
    for (const app of apps) await stop(app === apps[0] ? 'worker' : 'api', app);
    await stop('temporal-server', server);
    running.clear();
    say('VERIFIED: schema setup, server, namespace and search attributes, compiled API and worker, on first start and on restart');
  } finally {
    for (const spawned of running) spawned.killGroup();
    await emulated?.close();
    for (const name of Object.values(databases)) await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await sql.end();
    await rm(work, { recursive: true, force: true });
    say(`dropped ${Object.values(databases).join(', ')}; removed ${work}`);
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[verify] FAILED: ${error.message}`);
    process.exit(1);
  },
);
