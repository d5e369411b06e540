import { createHmac } from 'node:crypto';
import { ENCRYPTION_KEY_BYTES, parseEncryptionKey } from './encryption-key.js';

/** Keys that only decrypt (a key being rotated in or out), comma-separated, each hex or base64. */
export const DECRYPTION_KEYS_ENV = 'LEDGERBRIDGE_DECRYPTION_KEYS';

export interface KeyEntry {
  /** Derived from the key, safe to store and log: names which key sealed a value. */
  id: string;
  key: Buffer;
}

/** The key that encrypts, and every key that may still decrypt (the current one first). */
export interface EncryptionKeyring {
  current: KeyEntry;
  keys: readonly KeyEntry[];
  find(id: string): KeyEntry | undefined;
}

/** 16 hex characters of an HMAC of a fixed label under the key: stable per key, reveals nothing of it. */
export function keyIdOf(key: Buffer): string {
  if (key.length !== ENCRYPTION_KEY_BYTES) throw new RangeError(`Encryption key must be ${ENCRYPTION_KEY_BYTES} bytes, got ${key.length}`);
  return createHmac('sha256', key).update('ledgerbridge key id v1').digest('hex').slice(0, 16);
}

export function createKeyring(current: Buffer, decryptOnly: readonly Buffer[] = []): EncryptionKeyring {
  const entries: KeyEntry[] = [];
  for (const key of [current, ...decryptOnly]) {
    const id = keyIdOf(key);
    if (!entries.some((e) => e.id === id)) entries.push({ id, key });
  }
  return { current: entries[0]!, keys: entries, find: (id) => entries.find((e) => e.id === id) };
}

/** LEDGERBRIDGE_DECRYPTION_KEYS, parsed; empty when unset. */
export function decryptionKeysFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer[] {
  const text = env[DECRYPTION_KEYS_ENV] ?? '';
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part, index) => parseEncryptionKey(part, `${DECRYPTION_KEYS_ENV} (key ${index + 1})`));
}
