import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHealthChecks } from '../activities/integration-health-checks.js';
import { CredentialStore } from '../db/credential-store.js';
import { integrations } from '../db/schema.js';
import { approveConsent } from '../emulators/common/oauth-consent.js';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import type { AccountingPlatform } from '../platforms/platform.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { testCompany } from './support/emulated-platforms.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const APP = { clientId: 'refresh-client', clientSecret: 'refresh-secret' };
const REDIRECT = 'http://127.0.0.1:3999/integrations/oauth/callback';
const box = secretBoxFromKey(Buffer.alloc(32, 3));

describe('token refresh never loses a grant', () => {
  let database: TestDatabase;
  let qbo: RunningQboEmulator;
  let platform: AccountingPlatform;
  const realms = [1, 2, 3].map((n) => String(9_150_000_000_000_000 + Math.floor(Math.random() * 1e6) * 10 + n));
  let realmSeq = 0;

  beforeAll(async () => {
    [database, qbo] = await Promise.all([
      createTestDatabase(),
      // Access tokens live 60 s, shorter than the 5-minute refresh-ahead window: a token just refreshed by
      // one caller must still count as fresh for the others (the window scales down to half a lifetime).
      startQboEmulator({ ...APP, companies: realms.map((realm) => testCompany(realm)), accessTokenTtlSeconds: 60, rateLimits: { perSecond: 1000, perMinute: 100_000 } }),
    ]);
    platform = createQboPlatform({
      ...APP,
      environment: 'sandbox',
      ...qboEndpointsAt(qbo.urls),
    });
  });
  afterAll(async () => {
    await qbo?.close();
    await database?.close();
  });

  /** A company connected through the emulator's OAuth flow, its tokens saved encrypted and due for refresh. */
  async function connectedIntegration(): Promise<{ id: string; realmId: string }> {
    const realmId = realms[realmSeq++]!;
    qbo.control.authorizeAs(realmId);
    const id = `qbo-refresh-${realmSeq}`;
    await database.db.insert(integrations).values({ id, platform: 'qbo', number: 100 + realmSeq, displayName: `QuickBooks Online #${100 + realmSeq}`, account: { realmId } });
    const { query } = await approveConsent(platform.authorizeUrl({}, 'state', REDIRECT));
    const { credentials } = await platform.completeAuthorization(query, REDIRECT);
    // Obtained 55 s ago: 5 s left of a 60 s life, so every caller wants a refresh.
    const obtainedAt = Date.now() - 55_000;
    await new CredentialStore(database.db, box).save(id, {
      ...credentials,
      obtainedAt: new Date(obtainedAt).toISOString(),
      accessTokenExpiresAt: new Date(obtainedAt + 60_000).toISOString(),
    });
    return { id, realmId };
  }

  /** One sync's connection check, with its own store, as a separate worker process would have; only the database is shared. */
  function checkAs(id: string, realmId: string) {
    const store = new CredentialStore(database.db, box);
    return platform.createTarget({ integrationId: id, account: { realmId }, tokens: store.tokenProvider(id, platform) }).checkConnection();
  }

  it('20 syncs that all need a fresh token at once cause exactly one refresh', async () => {
    const { id, realmId } = await connectedIntegration();
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkAs(id, realmId)));
    expect(answers.every((a) => a.accountName === 'Test Books Ltd')).toBe(true);
    expect(qbo.control.refreshCount(realmId)).toBe(1);

    // Syncs that start just after it read the new pair and use it as is: under load some of the 20 do.
    const late = await Promise.all(Array.from({ length: 5 }, () => checkAs(id, realmId)));
    expect(late.every((a) => a.accountName === 'Test Books Ltd')).toBe(true);
    expect(qbo.control.refreshCount(realmId)).toBe(1);
  });

  it('a worker killed right after a refresh (before saving) leaves a working connection', async () => {
    const { id, realmId } = await connectedIntegration();
    const store = new CredentialStore(database.db, box);
    const before = await store.load(id);
    const crashing: AccountingPlatform = {
      ...platform,
      refreshTokens: async (current, account) => {
        await platform.refreshTokens(current, account);
        throw new Error('worker killed between refresh and save');
      },
    };
    await expect(store.tokenProvider(id, crashing).getAccessToken()).rejects.toThrow('worker killed');
    expect(qbo.control.refreshCount(realmId)).toBe(1);
    // The rotated-away refresh token is still the one saved...
    const after = await store.load(id);
    expect(after.credentials?.refreshToken).toBe(before.credentials?.refreshToken);
    expect(after.version).toBe(before.version);

    // ...and it still works (QBO keeps it valid for a grace period), so the next worker carries on.
    const target = platform.createTarget({ integrationId: id, account: { realmId }, tokens: store.tokenProvider(id, platform) });
    expect((await target.checkConnection()).accountName).toBe('Test Books Ltd');
    expect(qbo.control.refreshCount(realmId)).toBe(2);
    const saved = await store.load(id);
    expect(saved.credentials?.refreshToken).not.toBe(before.credentials?.refreshToken);
    expect(saved.version).toBe(before.version + 1);
  });

  it('an invalid_grant on refresh means Reconnect required, and the check says so', async () => {
    const { id, realmId } = await connectedIntegration();
    qbo.control.revokeGrant(realmId);
    const credentials = new CredentialStore(database.db, box);
    const run = await runHealthChecks({ db: database.db, platforms: new PlatformRegistry([platform]), credentials }, id);
    expect(run.verdict).toEqual({
      status: 'reconnect_required',
      reason: 'Your credentials are invalid or expired. Please reconnect your integration.',
      check: 'token_fresh',
    });
    expect(run.results.map((r) => [r.check, r.ok])).toEqual([
      ['oauth_connected', true],
      ['token_fresh', false],
      ['scopes_granted', true],
      ['test_call', false],
    ]);
  });
});
