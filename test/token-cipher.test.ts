import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EncryptionKeyError,
  encryptionKeyFromEnv,
  loadOrCreateDevKey,
  parseEncryptionKey,
  resolveEncryptionKey,
} from '../security/encryption-key.js';
import { decryptJson, decryptSecret, encryptJson, encryptSecret, TokenDecryptionError } from '../security/token-cipher.js';

const key = randomBytes(32);

/** Flips one bit of one base64url part of a "v1:iv:tag:ciphertext" value. */
function tamper(token: string, partIndex: number): string {
  const parts = token.split(':');
  const bytes = Buffer.from(parts[partIndex]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join(':');
}

function decryptionError(run: () => unknown): TokenDecryptionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenDecryptionError);
    return error as TokenDecryptionError;
  }
  throw new Error('expected decryption to fail');
}

describe('token cipher', () => {
  it('round-trips secrets, including empty and non-ASCII ones', () => {
    for (const plain of ['shpat_0123456789abcdef', '', 'tökén ✓ 🔑', 'x'.repeat(5000)]) {
      const token = encryptSecret(plain, key);
      expect(token).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]*$/);
      if (plain !== '') expect(token).not.toContain(plain);
      expect(decryptSecret(token, key)).toBe(plain);
    }
  });

  it('uses a fresh IV each time: the same secret encrypts differently', () => {
    const first = encryptSecret('refresh-token-abc', key);
    const second = encryptSecret('refresh-token-abc', key);
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(decryptSecret(second, key)).toBe('refresh-token-abc');
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const token = encryptSecret('access-token-xyz', key);
    for (const part of [1, 2, 3]) {
      const error = decryptionError(() => decryptSecret(tamper(token, part), key));
      expect(error.reason).toBe('authentication-failed');
      expect(error.message).toMatch(/different encryption key .* or it has been altered/);
    }
  });

  it('fails clearly with the wrong key, without echoing the secret', () => {
    const token = encryptSecret('access-token-xyz', key);
    const error = decryptionError(() => decryptSecret(token, randomBytes(32)));
    expect(error.reason).toBe('authentication-failed');
    expect(error.message).toContain('LEDGERBRIDGE_ENCRYPTION_KEY');
    expect(error.message).not.toContain('access-token-xyz');
  });

  it('binds a value to its context so it cannot be moved to another field', () => {
    const token = encryptSecret('refresh', key, 'integration:1:refreshToken');
    expect(decryptSecret(token, key, 'integration:1:refreshToken')).toBe('refresh');
    expect(decryptionError(() => decryptSecret(token, key, 'integration:2:refreshToken')).reason).toBe(
      'authentication-failed',
    );
  });

  it('rejects malformed values, truncated tags and unknown versions', () => {
    const token = encryptSecret('secret', key);
    const [, iv, tag, ciphertext] = token.split(':') as [string, string, string, string];
    expect(decryptionError(() => decryptSecret('plaintext-token', key)).reason).toBe('malformed');
    expect(decryptionError(() => decryptSecret(`v1:${iv}:${tag.slice(0, 8)}:${ciphertext}`, key)).reason).toBe('malformed');
    expect(decryptionError(() => decryptSecret(`v1:${iv}:${tag}:not base64!`, key)).reason).toBe('malformed');
    expect(decryptionError(() => decryptSecret(`v9:${iv}:${tag}:${ciphertext}`, key)).reason).toBe('unsupported-version');
  });

  it('round-trips JSON', () => {
    const credentials = { accessToken: 'a', refreshToken: null, scopes: ['com.intuit.quickbooks.accounting'] };
    expect(decryptJson(encryptJson(credentials, key), key)).toEqual(credentials);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => encryptSecret('x', randomBytes(16))).toThrow(/32 bytes, got 16/);
  });
});

describe('encryption key', () => {
  it('accepts 32 bytes as hex, base64 or base64url', () => {
    const raw = randomBytes(32);
    expect(parseEncryptionKey(raw.toString('hex')).equals(raw)).toBe(true);
    expect(parseEncryptionKey(`${raw.toString('base64')}\n`).equals(raw)).toBe(true);
    expect(parseEncryptionKey(raw.toString('base64url')).equals(raw)).toBe(true);
  });

  it('says what is wrong with a key of the wrong length or encoding', () => {
    expect(() => encryptionKeyFromEnv({ LEDGERBRIDGE_ENCRYPTION_KEY: randomBytes(16).toString('base64') })).toThrow(
      /LEDGERBRIDGE_ENCRYPTION_KEY must be exactly 32 bytes .* got 16 bytes/,
    );
    expect(() => parseEncryptionKey(randomBytes(31).toString('hex'))).toThrow(EncryptionKeyError);
    expect(() => parseEncryptionKey('not a key!')).toThrow(/neither hex nor base64/);
    expect(encryptionKeyFromEnv({})).toBeNull();
  });
});

describe('development key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ledgerbridge-key-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created once with mode 0600, announced once, and reused afterwards', () => {
    const dataDir = path.join(dir, '.data');
    const logged: string[] = [];
    const log = (line: string) => logged.push(line);

    const first = loadOrCreateDevKey(dataDir, { log });
    const file = path.join(dataDir, 'encryption.key');
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(file);

    const second = loadOrCreateDevKey(dataDir, { log });
    expect(second.equals(first)).toBe(true);
    expect(logged).toHaveLength(1);
    expect(readdirSync(dataDir)).toEqual(['encryption.key']);

    // What one process encrypted, the next start can read.
    expect(decryptSecret(encryptSecret('token', first), second)).toBe('token');
  });

  it('warns when the existing key file is readable by others', () => {
    const first = loadOrCreateDevKey(dir, { log: () => {} });
    chmodSync(path.join(dir, 'encryption.key'), 0o644);
    const logged: string[] = [];
    expect(loadOrCreateDevKey(dir, { log: (line) => logged.push(line) }).equals(first)).toBe(true);
    expect(logged).toEqual([expect.stringContaining('chmod 600')]);
  });

  it('reports a damaged key file by its path', () => {
    writeFileSync(path.join(dir, 'encryption.key'), 'c2hvcnQ=\n', { mode: 0o600 });
    expect(() => loadOrCreateDevKey(dir, { log: () => {} })).toThrow(`${path.join(dir, 'encryption.key')} must be exactly 32 bytes`);
  });

  it('prefers LEDGERBRIDGE_ENCRYPTION_KEY and never writes a key file in production', () => {
    const envKey = randomBytes(32);
    const fromEnv = resolveEncryptionKey({ env: { LEDGERBRIDGE_ENCRYPTION_KEY: envKey.toString('hex') }, devKeyDir: dir });
    expect(fromEnv.equals(envKey)).toBe(true);
    expect(() => resolveEncryptionKey({ env: { NODE_ENV: 'production' }, devKeyDir: dir })).toThrow(
      /LEDGERBRIDGE_ENCRYPTION_KEY must be set when NODE_ENV=production/,
    );
    expect(readdirSync(dir)).toEqual([]);

    const devKey = resolveEncryptionKey({ env: {}, devKeyDir: dir, log: () => {} });
    expect(readFileSync(path.join(dir, 'encryption.key'), 'utf8').trim()).toBe(devKey.toString('base64'));
  });
});
