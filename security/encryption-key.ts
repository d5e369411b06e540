import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const ENCRYPTION_KEY_ENV = 'LEDGERBRIDGE_ENCRYPTION_KEY';
export const ENCRYPTION_KEY_BYTES = 32;
export const DEV_KEY_FILE_NAME = 'encryption.key';

const GENERATE_HINT = `Generate one with: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64'))"`;

export class EncryptionKeyError extends Error {
  override readonly name = 'EncryptionKeyError';
}

/**
 * Reads a 32-byte AES-256 key written as 64 hex characters or as base64 / base64url.
 * `source` names where the text came from, so the error points at the right place.
 */
export function parseEncryptionKey(text: string, source: string = ENCRYPTION_KEY_ENV): Buffer {
  const trimmed = text.trim();
  let key: Buffer;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    key = Buffer.from(trimmed, 'hex');
  } else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    key = Buffer.from(trimmed, 'base64');
  } else {
    throw new EncryptionKeyError(`${source} is neither hex nor base64. It must encode exactly 32 bytes. ${GENERATE_HINT}`);
  }
  if (key.length !== ENCRYPTION_KEY_BYTES) {
    throw new EncryptionKeyError(
      `${source} must be exactly 32 bytes (64 hex or 44 base64 characters), got ${key.length} bytes. ${GENERATE_HINT}`,
    );
  }
  return key;
}

/** The key from LEDGERBRIDGE_ENCRYPTION_KEY, or null when it is not set. */
export function encryptionKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer | null {
  const text = env[ENCRYPTION_KEY_ENV];
  return text === undefined || text.trim() === '' ? null : parseEncryptionKey(text);
}

export interface DevKeyOptions {
  /** Where the one-time "generated a key" notice goes; stderr by default. */
  log?: (line: string) => void;
}

/**
 * Development only: the key in `<dir>/encryption.key`, generated (mode 0600) on first start and reused
 * afterwards, so a developer never has to set LEDGERBRIDGE_ENCRYPTION_KEY. Safe when the API and the
 * worker start at the same moment: the file appears complete or not at all, and only one key wins.
 */
export function loadOrCreateDevKey(dir: string, options: DevKeyOptions = {}): Buffer {
  const file = path.join(dir, DEV_KEY_FILE_NAME);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const existing = readKeyFile(file, log);
  if (existing) return existing;

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  const fd = openSync(partial, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(ENCRYPTION_KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
  // A restrictive umask already gives 0600; a permissive one must not widen it.
  chmodSync(partial, 0o600);
  try {
    linkSync(partial, file); // atomic and fails if another process got there first
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    unlinkSync(partial);
    const winner = readKeyFile(file, log);
    if (!winner) throw new EncryptionKeyError(`${file} disappeared while it was being created`);
    return winner;
  }
  unlinkSync(partial);
  log(
    `ledgerbridge: generated a development encryption key in ${file} (mode 0600). ` +
      `Tokens stored with it can only be read with this file; set ${ENCRYPTION_KEY_ENV} in production.`,
  );
  return parseEncryptionKey(readFileSync(file, 'utf8'), file);
}

export interface ResolveKeyOptions extends DevKeyOptions {
  env?: NodeJS.ProcessEnv;
  /** Directory for the development key file, e.g. ".data". */
  devKeyDir: string;
}

/**
 * The key a process should use: LEDGERBRIDGE_ENCRYPTION_KEY when set; otherwise the development key file,
 * except with NODE_ENV=production, where a missing key is an error rather than a key on local disk.
 */
export function resolveEncryptionKey(options: ResolveKeyOptions): Buffer {
  const env = options.env ?? process.env;
  const fromEnv = encryptionKeyFromEnv(env);
  if (fromEnv) return fromEnv;
  if (env.NODE_ENV === 'production') {
    throw new EncryptionKeyError(`${ENCRYPTION_KEY_ENV} must be set when NODE_ENV=production. ${GENERATE_HINT}`);
  }
  return loadOrCreateDevKey(options.devKeyDir, options);
}

function readKeyFile(file: string, log: (line: string) => void): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) {
    log(`ledgerbridge: warning: ${file} is readable by other users; run chmod 600 ${file}`);
  }
  return parseEncryptionKey(text, file);
}
