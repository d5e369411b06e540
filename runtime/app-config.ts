import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { mailConfigFromEnv, type MailConfig } from '../notifications/mail-config.js';
import { platformConfigsFromEnv, type PlatformConfigs } from '../platforms/installed.js';
import { resolveEncryptionKey } from '../security/encryption-key.js';
import { decryptionKeysFromEnv } from '../security/keyring.js';
import { ConfigError } from './config-error.js';
import { platformEnv } from './platform-env.js';
import { projectRoot } from './project-root.js';
import { temporalConnectionFromEnv, type TemporalConnectionOptions } from './temporal-connection.js';

/** Everything a ledgerbridge process reads from its environment, in one place (README: Configuration). */
export interface AppConfig {
  databaseUrl: string | null;
  pgliteDir: string;
  temporalAddress: string;
  temporalNamespace: string;
  /** TLS, API key and gRPC metadata from Temporal's environment configuration (temporal.toml profiles). */
  temporalConnection: TemporalConnectionOptions;
  taskQueue: string;
  apiHost: string;
  apiPort: number;
  publicBaseUrl: string;
  operatorToken: string;
  encryptionKey: Buffer;
  /** Keys that only decrypt (LEDGERBRIDGE_DECRYPTION_KEYS): the other key while one is rotated in or out. */
  decryptionKeys: Buffer[];
  mail: MailConfig;
  /** Each installed platform's own settings, under its id (platforms/installed.ts): `platforms.qbo.environment`. */
  platforms: PlatformConfigs;
  resumeRatePerSecond: number;
  /** Syncs a second a full re-sync starts (RESYNC_RATE_PER_SECOND). */
  resyncRatePerSecond: number;
  healthCheckIntervalMs: number;
  /** Between reconciliation polls of each store (ORDER_POLL_INTERVAL_SECONDS). */
  orderPollIntervalMs: number;
  /** Workflows the worker keeps cached (WORKER_MAX_CACHED_WORKFLOWS); null: the worker's default (runtime/sync-worker.ts). */
  workerMaxCachedWorkflows: number | null;
  /** Browser origins of Temporal UI that may call the API's codec endpoint (TEMPORAL_UI_ORIGINS). */
  temporalUiOrigins: string[];
  /** Temporal UI's address, for the console's links to a workflow (TEMPORAL_UI_URL; default: the first of TEMPORAL_UI_ORIGINS). */
  temporalUiUrl: string | null;
  /**
   * Which process starts the syncs of acknowledged order webhooks (INTAKE_DRAINER): `api` (default; the one process of
   * `npm start`), or `worker`, so that the API spends its CPU on answering deliveries only (needs PostgreSQL).
   */
  intakeDrainer: 'api' | 'worker';
  /** Where this process serves Prometheus metrics; null: not served. */
  metrics: { host: string; port: number } | null;
}

export { ConfigError };

/**
 * Reads the configuration. `defaults` fills what the demo (`npm start`) provides itself; in production every
 * secret must come from the environment and a missing one is a clear error at start, not a failure later.
 */
export function appConfigFromEnv(env: NodeJS.ProcessEnv = process.env, defaults: Partial<Record<string, string>> = {}): AppConfig {
  const get = (name: string): string | undefined => env[name] ?? defaults[name];
  const required = (name: string): string => {
    const value = get(name);
    if (!value) throw new ConfigError(`${name} is not set. See "Configuration" in README.md.`);
    return value;
  };
  // Secrets first, so a missing one is the first thing said, before anything is created on disk.
  const platforms = platformConfigsFromEnv(platformEnv(get));
  const port = Number(get('PORT') ?? 3000);
  // Relative paths are taken from the project root, never from the directory the process was started in.
  const dataDir = resolve(projectRoot, get('LEDGERBRIDGE_DATA_DIR') ?? '.data');
  const temporal = temporalConnectionFromEnv({ ...defaults, ...env });
  const metricsPort = get('METRICS_PORT');
  const temporalUiOrigins = (get('TEMPORAL_UI_ORIGINS') ?? 'http://127.0.0.1:8233,http://localhost:8233').split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean);
  return {
    databaseUrl: get('DATABASE_URL') ?? null,
    pgliteDir: resolve(dataDir, 'pglite'),
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    temporalConnection: temporal.connection,
    taskQueue: get('TASK_QUEUE') ?? 'ledgerbridge',
    apiHost: get('HOST') ?? '127.0.0.1',
    apiPort: port,
    publicBaseUrl: (get('PUBLIC_BASE_URL') ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    operatorToken: get('OPERATOR_TOKEN') ?? (env.NODE_ENV === 'production' ? required('OPERATOR_TOKEN') : randomBytes(18).toString('base64url')),
    encryptionKey: resolveEncryptionKey({ env: { ...env, ...(defaults.LEDGERBRIDGE_ENCRYPTION_KEY ? { LEDGERBRIDGE_ENCRYPTION_KEY: defaults.LEDGERBRIDGE_ENCRYPTION_KEY } : {}) }, devKeyDir: dataDir }),
    decryptionKeys: decryptionKeysFromEnv(env),
    mail: mailConfigFromEnv({ ...defaults, ...env }, projectRoot),
    platforms,
    resumeRatePerSecond: Number(get('RESUME_RATE_PER_SECOND') ?? 5),
    resyncRatePerSecond: Number(get('RESYNC_RATE_PER_SECOND') ?? 5),
    healthCheckIntervalMs: Number(get('HEALTH_CHECK_INTERVAL_MS') ?? 5 * 60_000),
    orderPollIntervalMs: pollInterval(get('ORDER_POLL_INTERVAL_SECONDS')),
    workerMaxCachedWorkflows: cacheSize(get('WORKER_MAX_CACHED_WORKFLOWS')),
    temporalUiOrigins,
    temporalUiUrl: (get('TEMPORAL_UI_URL') ?? temporalUiOrigins[0] ?? '').replace(/\/+$/, '') || null,
    intakeDrainer: intakeDrainer(get('INTAKE_DRAINER')),
    metrics: metricsPort ? { host: get('METRICS_HOST') ?? '127.0.0.1', port: Number(metricsPort) } : null,
  };
}

/** Whole seconds, at least 1 (Temporal schedules count in seconds); default 300. */
function pollInterval(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 300_000;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) throw new ConfigError(`ORDER_POLL_INTERVAL_SECONDS must be a whole number of seconds, at least 1, not "${raw}".`);
  return seconds * 1000;
}

function intakeDrainer(raw: string | undefined): 'api' | 'worker' {
  if (raw === undefined || raw === '' || raw === 'api') return 'api';
  if (raw === 'worker') return 'worker';
  throw new ConfigError(`INTAKE_DRAINER must be "api" or "worker", not "${raw}".`);
}

/** 0 turns the cache off (every workflow task replays); the SDK refuses 1. */
function cacheSize(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n === 1) throw new ConfigError(`WORKER_MAX_CACHED_WORKFLOWS must be 0 or a whole number of at least 2, not "${raw}".`);
  return n;
}
