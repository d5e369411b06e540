import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { ConfigError } from './config-error.js';

/** What a Connection or NativeConnection needs besides its address. */
export type TemporalConnectionOptions = Pick<NativeConnectionOptions, 'tls' | 'apiKey' | 'metadata'>;

export interface TemporalConnectionConfig {
  address: string;
  namespace: string;
  connection: TemporalConnectionOptions;
}

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/**
 * Temporal's standard environment configuration, as every Temporal SDK and the CLI read it: the profile
 * TEMPORAL_PROFILE (default "default") of temporal.toml (TEMPORAL_CONFIG_FILE, or the user's config dir),
 * overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_GRPC_META_*.
 * So the same build reaches a local server, a TLS-secured cluster or Temporal Cloud.
 */
export function temporalConnectionFromEnv(env: Record<string, string | undefined>): TemporalConnectionConfig {
  const overrideEnvVars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars, ...(env.TEMPORAL_PROFILE ? { profile: env.TEMPORAL_PROFILE } : {}) });
  } catch (error) {
    throw new ConfigError(`Temporal connection configuration could not be read: ${(error as Error).message}`);
  }
  const { address, tls, apiKey, metadata } = loaded.connectionOptions;
  return {
    address: address ?? DEFAULT_TEMPORAL_ADDRESS,
    namespace: loaded.namespace ?? 'default',
    connection: {
      ...(tls !== undefined ? { tls } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      ...(metadata && Object.keys(metadata).length ? { metadata } : {}),
    },
  };
}
