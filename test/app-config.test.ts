import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appConfigFromEnv, ConfigError } from '../runtime/app-config.js';
import { projectRoot } from '../runtime/project-root.js';

const secrets = {
  SHOPIFY_API_KEY: 'key',
  SHOPIFY_API_SECRET: 'secret',
  QBO_CLIENT_ID: 'id',
  QBO_CLIENT_SECRET: 'qsecret',
  LEDGERBRIDGE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};

describe('configuration from the environment', () => {
  it('names the first missing secret and points to the README', () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = secrets;
    expect(() => appConfigFromEnv(rest)).toThrow(ConfigError);
    expect(() => appConfigFromEnv(rest)).toThrow('SHOPIFY_API_SECRET is not set. See "Configuration" in README.md.');
  });

  it('requires an operator token in production and takes every documented variable', () => {
    expect(() => appConfigFromEnv({ ...secrets, NODE_ENV: 'production' })).toThrow('OPERATOR_TOKEN is not set');
    const config = appConfigFromEnv({
      ...secrets,
      NODE_ENV: 'production',
      OPERATOR_TOKEN: 'op',
      DATABASE_URL: 'postgres://db/ledgerbridge',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TASK_QUEUE: 'books',
      PUBLIC_BASE_URL: 'https://lb.example.com/',
      SMTP_URL: 'smtp://mail:25',
      QBO_ENVIRONMENT: 'sandbox',
      RESUME_RATE_PER_SECOND: '2',
      RESYNC_RATE_PER_SECOND: '3',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      operatorToken: 'op',
      databaseUrl: 'postgres://db/ledgerbridge',
      temporalAddress: 'temporal:7233',
      taskQueue: 'books',
      publicBaseUrl: 'https://lb.example.com',
      apiPort: 8080,
      resumeRatePerSecond: 2,
      resyncRatePerSecond: 3,
      mail: { delivery: { kind: 'smtp', url: 'smtp://mail:25' } },
      platforms: { qbo: { clientId: 'id', environment: 'sandbox' } },
    });
    expect(config.encryptionKey.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it("points the QuickBooks Web Connector at this API's port when PUBLIC_BASE_URL is not set", () => {
    expect(appConfigFromEnv({ ...secrets, PORT: '3300' }).platforms.qbd.webConnectorUrl).toBe('http://127.0.0.1:3300/qbwc');
    expect(appConfigFromEnv({ ...secrets, PORT: '3300', PUBLIC_BASE_URL: 'https://lb.example.com' }).platforms.qbd.webConnectorUrl).toBe('https://lb.example.com/qbwc');
  });

  it("sizes the worker's workflow cache from WORKER_MAX_CACHED_WORKFLOWS, and refuses a size the SDK would not take", () => {
    expect(appConfigFromEnv(secrets).workerMaxCachedWorkflows).toBeNull();
    expect(appConfigFromEnv({ ...secrets, WORKER_MAX_CACHED_WORKFLOWS: '200' }).workerMaxCachedWorkflows).toBe(200);
    expect(appConfigFromEnv({ ...secrets, WORKER_MAX_CACHED_WORKFLOWS: '0' }).workerMaxCachedWorkflows).toBe(0);
    for (const bad of ['1', '-5', 'lots', '2.5']) {
      expect(() => appConfigFromEnv({ ...secrets, WORKER_MAX_CACHED_WORKFLOWS: bad })).toThrow(`WORKER_MAX_CACHED_WORKFLOWS must be 0 or a whole number of at least 2, not "${bad}".`);
    }
  });

  it('starts the syncs of acknowledged webhooks in the API unless INTAKE_DRAINER says the worker', () => {
    expect(appConfigFromEnv(secrets).intakeDrainer).toBe('api');
    expect(appConfigFromEnv({ ...secrets, INTAKE_DRAINER: 'worker' }).intakeDrainer).toBe('worker');
    expect(() => appConfigFromEnv({ ...secrets, INTAKE_DRAINER: 'both' })).toThrow('INTAKE_DRAINER must be "api" or "worker", not "both".');
  });

  it('polls each store every ORDER_POLL_INTERVAL_SECONDS (default 300), and refuses what a schedule could not take', () => {
    expect(appConfigFromEnv(secrets).orderPollIntervalMs).toBe(300_000);
    expect(appConfigFromEnv({ ...secrets, ORDER_POLL_INTERVAL_SECONDS: '60' }).orderPollIntervalMs).toBe(60_000);
    for (const bad of ['0', '1.5', 'five']) {
      expect(() => appConfigFromEnv({ ...secrets, ORDER_POLL_INTERVAL_SECONDS: bad })).toThrow(`ORDER_POLL_INTERVAL_SECONDS must be a whole number of seconds, at least 1, not "${bad}".`);
    }
  });

  it('fills development defaults: embedded database, a generated operator token, links to the local API', () => {
    const config = appConfigFromEnv(secrets);
    expect(config.databaseUrl).toBeNull();
    expect(config.operatorToken.length).toBeGreaterThanOrEqual(20);
    expect(config.publicBaseUrl).toBe('http://127.0.0.1:3000');
    expect(config.platforms.qbo.environment).toBe('production');
    expect(config.mail.delivery.kind).toBe('outbox');
  });

  it('takes relative data and outbox directories from the project root, whatever directory the process starts in', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'ledgerbridge-cwd-'));
    const before = process.cwd();
    try {
      process.chdir(elsewhere);
      const config = appConfigFromEnv({ ...secrets, LEDGERBRIDGE_DATA_DIR: 'var/lb', MAIL_OUTBOX_DIR: 'var/mail' });
      expect(config.pgliteDir).toBe(join(projectRoot, 'var/lb/pglite'));
      expect(config.mail.delivery).toEqual({ kind: 'outbox', dir: join(projectRoot, 'var/mail') });
      const defaults = appConfigFromEnv(secrets);
      expect(defaults.pgliteDir).toBe(join(projectRoot, '.data/pglite'));
      expect(defaults.mail.delivery).toEqual({ kind: 'outbox', dir: join(projectRoot, 'outbox') });
      // Absolute paths are kept as given.
      expect(appConfigFromEnv({ ...secrets, LEDGERBRIDGE_DATA_DIR: '/srv/lb' }).pgliteDir).toBe('/srv/lb/pglite');
    } finally {
      process.chdir(before);
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('points the platforms at the emulators by configuration (staging), and refuses a malformed value', () => {
    const config = appConfigFromEnv({ ...secrets, SHOPIFY_EMULATOR_SHOPS: 'a.myshopify.com=http://127.0.0.1:4101, b.myshopify.com=http://127.0.0.1:4102/', QBO_EMULATOR_URL: 'http://127.0.0.1:4200' });
    expect(config.platforms.shopify.emulatorShops).toEqual({ 'a.myshopify.com': 'http://127.0.0.1:4101', 'b.myshopify.com': 'http://127.0.0.1:4102' });
    expect(config.platforms.qbo.apiBaseUrl).toBe('http://127.0.0.1:4200');
    expect(config.platforms.qbo.oauthUrls?.token).toBe('http://127.0.0.1:4200/oauth2/v1/tokens/bearer');
    expect(appConfigFromEnv(secrets).platforms.shopify.emulatorShops).toBeUndefined();
    expect(appConfigFromEnv(secrets).platforms.qbo.apiBaseUrl).toBeUndefined();
    expect(() => appConfigFromEnv({ ...secrets, SHOPIFY_EMULATOR_SHOPS: 'a.myshopify.com' })).toThrow(ConfigError);
    expect(() => appConfigFromEnv({ ...secrets, QBO_EMULATOR_URL: 'not a url' })).toThrow(ConfigError);
  });

  it('reads Temporal\'s standard environment configuration: address, namespace, API key (TLS on), TLS files', () => {
    const cloud = appConfigFromEnv({ ...secrets, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'key-1', TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' });
    expect(cloud).toMatchObject({ temporalAddress: 'ns.acct.tmprl.cloud:7233', temporalNamespace: 'ns.acct', temporalConnection: { apiKey: 'key-1', tls: true } });
    const local = appConfigFromEnv({ ...secrets, TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' });
    expect(local).toMatchObject({ temporalAddress: '127.0.0.1:7233', temporalNamespace: 'default', temporalConnection: {} });
    const tls = appConfigFromEnv({ ...secrets, TEMPORAL_ADDRESS: 'temporal.internal:7233', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal', TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'not checked until connect', TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' });
    expect(tls.temporalConnection.tls).toMatchObject({ serverNameOverride: 'temporal.internal' });
  });

  it('serves metrics only when METRICS_PORT is set, on loopback unless METRICS_HOST says otherwise', () => {
    expect(appConfigFromEnv(secrets).metrics).toBeNull();
    expect(appConfigFromEnv({ ...secrets, METRICS_PORT: '9464' }).metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(appConfigFromEnv({ ...secrets, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 9464 });
  });
});
