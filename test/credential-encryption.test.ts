import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resealAllCredentials } from '../db/credential-rotation.js';
import { CredentialStore } from '../db/credential-store.js';
import { openDatabase } from '../db/database.js';
import { integrations } from '../db/schema.js';
import type { IntegrationCredentials } from '../domain/credentials.js';
import { secretBoxFromKey, secretBoxFromKeyring } from '../runtime/secret-box.js';
import { createKeyring, keyIdOf } from '../security/keyring.js';
import { encryptSecret, TokenDecryptionError } from '../security/token-cipher.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const run = promisify(execFile);
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const rotateScript = fileURLToPath(new URL('../scripts/rotate-key.ts', import.meta.url));
const OLD_KEY = Buffer.alloc(32, 11);
const NEW_KEY = Buffer.alloc(32, 22);

const tokensOf = (n: number): IntegrationCredentials => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  accessTokenExpiresAt: null,
  refreshTokenExpiresAt: null,
  scopes: ['read_orders'],
  obtainedAt: '2026-01-01T00:00:00.000Z',
});

async function addIntegration(db: TestDatabase['db'], n: number): Promise<string> {
  const id = `qbo-${n}`;
  await db.insert(integrations).values({ id, platform: 'qbo', number: n, displayName: `QuickBooks Online #${n}` });
  return id;
}

describe('tokens at rest: bound to their row, named by key, rotated without downtime', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('a stored token names the key that sealed it, and copied into another integration it does not open', async () => {
    const db = database.db;
    const store = new CredentialStore(db, secretBoxFromKey(OLD_KEY));
    const [a, b] = [await addIntegration(db, 101), await addIntegration(db, 102)];
    await store.save(a, tokensOf(1));
    await store.save(b, tokensOf(2));
    const [rowA] = await db.select().from(integrations).where(eq(integrations.id, a));
    expect(rowA!.credentials!.startsWith(`v2:${keyIdOf(OLD_KEY)}:`)).toBe(true);
    expect(rowA!.credentials).not.toContain('access-1');

    // Someone with write access to the table copies A's tokens into B: B must not start using A's account.
    await db.update(integrations).set({ credentials: rowA!.credentials }).where(eq(integrations.id, b));
    await expect(store.load(b)).rejects.toBeInstanceOf(TokenDecryptionError);
    expect((await store.load(a)).credentials).toEqual(tokensOf(1));
  });

  it('`npm run rotate-key` re-encrypts every token under the new key while both keys read; then the old key can go', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ledgerbridge-rotate-'));
    try {
      let opened = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
      const ids = [await addIntegration(opened.db, 1), await addIntegration(opened.db, 2), await addIntegration(opened.db, 3)];
      await new CredentialStore(opened.db, secretBoxFromKey(OLD_KEY)).save(ids[0]!, tokensOf(1));
      await new CredentialStore(opened.db, secretBoxFromKey(OLD_KEY)).save(ids[1]!, tokensOf(2));
      // Written by an earlier release: format v1, one context for every row, no key id.
      await opened.db.update(integrations).set({ credentials: encryptSecret(JSON.stringify(tokensOf(3)), OLD_KEY, 'integration-credentials') }).where(eq(integrations.id, ids[2]!));

      // The processes are restarted with the new key, the old one only decrypting: nothing stops reading.
      const both = new CredentialStore(opened.db, secretBoxFromKeyring(createKeyring(NEW_KEY, [OLD_KEY])));
      for (const [i, id] of ids.entries()) expect((await both.load(id)).credentials).toEqual(tokensOf(i + 1));
      await opened.close();

      const env: NodeJS.ProcessEnv = { ...process.env, LEDGERBRIDGE_DATA_DIR: dataDir, LEDGERBRIDGE_ENCRYPTION_KEY: NEW_KEY.toString('base64'), LEDGERBRIDGE_DECRYPTION_KEYS: OLD_KEY.toString('hex') };
      delete env.DATABASE_URL;
      const first = await run(tsx, [rotateScript], { env, timeout: 180_000 });
      expect(first.stdout).toContain(`re-encrypted 3 stored secret(s) under key ${keyIdOf(NEW_KEY)}`);

      opened = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
      try {
        // Running it again finds nothing left to do.
        expect(await resealAllCredentials(opened.db, secretBoxFromKeyring(createKeyring(NEW_KEY, [OLD_KEY])))).toEqual({ resealed: 0, alreadyCurrent: 3, failed: [] });
        const rows = await opened.db.select().from(integrations);
        for (const row of rows) expect(row.credentials!.startsWith(`v2:${keyIdOf(NEW_KEY)}:`)).toBe(true);
        // The old key is dropped: the new key alone reads every token, the old one none.
        const newOnly = new CredentialStore(opened.db, secretBoxFromKey(NEW_KEY));
        for (const [i, id] of ids.entries()) expect((await newOnly.load(id)).credentials).toEqual(tokensOf(i + 1));
        const oldOnly = new CredentialStore(opened.db, secretBoxFromKey(OLD_KEY));
        await expect(oldOnly.load(ids[0]!)).rejects.toThrow(/written with key [0-9a-f]{16}, which this process does not have/);
      } finally {
        await opened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
