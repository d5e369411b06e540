import { eq, sql } from 'drizzle-orm';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import { CredentialsInvalidError } from '../domain/platform-errors.js';
import { isDueForRefresh } from '../domain/token-freshness.js';
import type { Platform } from '../platforms/platform.js';
import type { Database } from './database.js';
import { integrations } from './schema.js';

/**
 * Encrypts secrets at rest (runtime/secret-box.ts implements it). `context` names the row and field the value
 * belongs to ("integrations:<id>:credentials"): a value copied into another row or field does not open there.
 */
export interface SecretBox {
  encrypt(plain: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  /** Sealed under the current key, bound to its row: nothing for a key rotation to do. */
  isCurrent(sealed: string): boolean;
}

/** The encryption context of an integration's stored credentials. */
export const credentialsContext = (integrationId: string) => `integrations:${integrationId}:credentials`;
/** The encryption context of a Squarespace webhook subscription's secret (shown by Squarespace once, kept sealed). */
export const subscriptionSecretContext = (subscriptionId: string) => `squarespace_webhook_subscriptions:${subscriptionId}:secret`;
/** The encryption context of credentials waiting for an operator to confirm an account switch. */
export const pendingSwitchContext = (integrationId: string) => `pending_account_switches:${integrationId}:credentials`;

/** Refresh this long before expiry, so no call starts with a token about to die. */
const REFRESH_AHEAD_MS = 5 * 60_000;

export class CredentialStore {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
  ) {}

  /** A new grant: returns its generation, which failures under it report (0 when the integration is gone). */
  async save(integrationId: string, credentials: IntegrationCredentials): Promise<number> {
    const [row] = await this.db
      .update(integrations)
      .set({
        credentials: this.seal(integrationId, credentials),
        credentialsVersion: sql`${integrations.credentialsVersion} + 1`,
        grantGeneration: sql`${integrations.grantGeneration} + 1`,
      })
      .where(eq(integrations.id, integrationId))
      .returning({ grantGeneration: integrations.grantGeneration });
    return row?.grantGeneration ?? 0;
  }

  private seal(integrationId: string, credentials: IntegrationCredentials): string {
    return this.box.encrypt(JSON.stringify(stamped(credentials)), credentialsContext(integrationId));
  }

  private open(integrationId: string, sealed: string): IntegrationCredentials {
    return JSON.parse(this.box.decrypt(sealed, credentialsContext(integrationId))) as IntegrationCredentials;
  }

  /** Credentials held until an operator confirms an account switch (pending_account_switches). */
  sealPending(integrationId: string, credentials: IntegrationCredentials): string {
    return this.box.encrypt(JSON.stringify(stamped(credentials)), pendingSwitchContext(integrationId));
  }

  openPending(integrationId: string, sealed: string): IntegrationCredentials {
    return JSON.parse(this.box.decrypt(sealed, pendingSwitchContext(integrationId))) as IntegrationCredentials;
  }

  async load(integrationId: string): Promise<{ credentials: IntegrationCredentials | null; version: number }> {
    const [row] = await this.db
      .select({ credentials: integrations.credentials, version: integrations.credentialsVersion })
      .from(integrations)
      .where(eq(integrations.id, integrationId));
    if (!row) return { credentials: null, version: 0 };
    return { credentials: row.credentials ? this.open(integrationId, row.credentials) : null, version: row.version };
  }

  async clear(integrationId: string): Promise<void> {
    await this.db
      .update(integrations)
      .set({ credentials: null, credentialsVersion: sql`${integrations.credentialsVersion} + 1`, grantGeneration: sql`${integrations.grantGeneration} + 1` })
      .where(eq(integrations.id, integrationId));
  }

  /**
   * Refreshes under a row lock, so concurrent callers in any process cause one refresh: whoever waits
   * behind the lock sees the version moved and takes the new token. The new pair is committed before
   * it is returned, so a crash right after leaves the saved (working) pair.
   */
  async refresh(integrationId: string, platform: Platform, seenVersion: number): Promise<IntegrationCredentials> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ credentials: integrations.credentials, version: integrations.credentialsVersion, account: integrations.account })
        .from(integrations)
        .where(eq(integrations.id, integrationId))
        .for('update');
      if (!row?.credentials) throw notConnected(platform, integrationId);
      const current = this.open(integrationId, row.credentials);
      if (row.version !== seenVersion) return current;
      const refreshed = await platform.refreshTokens(current, row.account);
      if (!refreshed) return current;
      const next = stamped(refreshed);
      await tx
        .update(integrations)
        .set({ credentials: this.seal(integrationId, next), credentialsVersion: row.version + 1 })
        .where(eq(integrations.id, integrationId));
      return next;
    });
  }

  tokenProvider(integrationId: string, platform: Platform): AccessTokenProvider {
    return {
      getAccessToken: async () => {
        const { credentials, version } = await this.load(integrationId);
        if (!credentials) throw notConnected(platform, integrationId);
        if (credentials.refreshToken && isDueForRefresh(credentials, REFRESH_AHEAD_MS)) return (await this.refresh(integrationId, platform, version)).accessToken;
        return credentials.accessToken;
      },
      refreshAfterRejection: async (rejectedToken) => {
        const { credentials, version } = await this.load(integrationId);
        if (!credentials) return null;
        if (credentials.accessToken !== rejectedToken) return credentials.accessToken;
        if (!credentials.refreshToken) return null;
        const next = await this.refresh(integrationId, platform, version);
        return next.accessToken === rejectedToken ? null : next.accessToken;
      },
    };
  }
}

function stamped(credentials: IntegrationCredentials): IntegrationCredentials {
  return credentials.obtainedAt ? credentials : { ...credentials, obtainedAt: new Date().toISOString() };
}

function notConnected(platform: Platform, integrationId: string): CredentialsInvalidError {
  return new CredentialsInvalidError(
    'missing',
    `${platform.displayName} is not connected yet. Connect the integration to start syncing.`,
    `integration ${integrationId} has no stored credentials`,
  );
}
