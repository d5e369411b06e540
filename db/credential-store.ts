import { eq, sql } from 'drizzle-orm';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import { CredentialsInvalidError } from '../domain/platform-errors.js';
import { isDueForRefresh } from '../domain/token-freshness.js';
import type { Platform } from '../platforms/platform.js';
import type { Database } from './database.js';
import { integrations } from './schema.js';

/** Encrypts secrets at rest (security/token-cipher.ts implements it). */
export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** Refresh this long before expiry, so no call starts with a token about to die. */
const REFRESH_AHEAD_MS = 5 * 60_000;

export class CredentialStore {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
  ) {}

  async save(integrationId: string, credentials: IntegrationCredentials): Promise<void> {
    await this.db
      .update(integrations)
      .set({ credentials: this.seal(credentials), credentialsVersion: sql`${integrations.credentialsVersion} + 1` })
      .where(eq(integrations.id, integrationId));
  }

  private seal(credentials: IntegrationCredentials): string {
    return this.box.encrypt(JSON.stringify(stamped(credentials)));
  }

  async load(integrationId: string): Promise<{ credentials: IntegrationCredentials | null; version: number }> {
    const [row] = await this.db
      .select({ credentials: integrations.credentials, version: integrations.credentialsVersion })
      .from(integrations)
      .where(eq(integrations.id, integrationId));
    if (!row) return { credentials: null, version: 0 };
    return { credentials: row.credentials ? (JSON.parse(this.box.decrypt(row.credentials)) as IntegrationCredentials) : null, version: row.version };
  }

  async clear(integrationId: string): Promise<void> {
    await this.db.update(integrations).set({ credentials: null, credentialsVersion: sql`${integrations.credentialsVersion} + 1` }).where(eq(integrations.id, integrationId));
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
      const current = JSON.parse(this.box.decrypt(row.credentials)) as IntegrationCredentials;
      if (row.version !== seenVersion) return current;
      const refreshed = await platform.refreshTokens(current, row.account);
      if (!refreshed) return current;
      const next = stamped(refreshed);
      await tx
        .update(integrations)
        .set({ credentials: this.seal(next), credentialsVersion: row.version + 1 })
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
