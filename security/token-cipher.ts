import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ENCRYPTION_KEY_BYTES } from './encryption-key.js';
import type { EncryptionKeyring } from './keyring.js';

/**
 * Secrets at rest (OAuth tokens) as "v1:<iv>:<tag>:<ciphertext>", each part base64url.
 * v1 = AES-256-GCM, 12-byte random IV per value, 16-byte tag. The version prefix lets a later
 * format or key rotation coexist with rows already written.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type TokenDecryptionReason = 'malformed' | 'unsupported-version' | 'authentication-failed' | 'unknown-key';

/** The stored value cannot be turned back into the secret. The message never contains key or plaintext. */
export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';
  constructor(
    readonly reason: TokenDecryptionReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `context` (e.g. "integration:42:refreshToken") is bound to the ciphertext as associated data:
 * a value copied into another row or field will not decrypt there. Pass the same context to decrypt.
 */
export function encryptSecret(plain: string, key: Buffer, context = ''): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(':');
}

export function decryptSecret(token: string, key: Buffer, context = ''): string {
  assertKey(key);
  const parts = token.split(':');
  if (parts.length !== 4) {
    throw new TokenDecryptionError('malformed', 'Encrypted value is malformed: expected "v1:<iv>:<tag>:<ciphertext>".');
  }
  const [version, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
  if (version !== VERSION) {
    throw new TokenDecryptionError('unsupported-version', `Encrypted value has unsupported format "${version}" (this build reads ${VERSION}).`);
  }
  const iv = decodePart(ivText, 'IV');
  const tag = decodePart(tagText, 'auth tag');
  const ciphertext = decodePart(ciphertextText, 'ciphertext');
  // Node accepts truncated GCM tags unless told the length; a short tag would be far easier to forge.
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new TokenDecryptionError('malformed', `Encrypted value is malformed: IV must be ${IV_BYTES} bytes and tag ${TAG_BYTES} bytes.`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new TokenDecryptionError(
      'authentication-failed',
      'Encrypted value could not be decrypted: it was written with a different encryption key ' +
        '(check LEDGERBRIDGE_ENCRYPTION_KEY) or it has been altered.',
    );
  }
}

export function encryptJson(value: unknown, key: Buffer, context = ''): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('encryptJson: value is not JSON-serialisable');
  return encryptSecret(json, key, context);
}

/** The caller vouches for T; the tag already proves the JSON is what we wrote. */
export function decryptJson<T>(token: string, key: Buffer, context = ''): T {
  return JSON.parse(decryptSecret(token, key, context)) as T;
}

function assertKey(key: Buffer): void {
  if (key.length !== ENCRYPTION_KEY_BYTES) {
    throw new RangeError(`Encryption key must be ${ENCRYPTION_KEY_BYTES} bytes, got ${key.length}`);
  }
}

function decodePart(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new TokenDecryptionError('malformed', `Encrypted value is malformed: ${what} is not base64url.`);
  }
  return Buffer.from(text, 'base64url');
}

/**
 * v2: "v2:<key id>:<iv>:<tag>:<ciphertext>". The key id says which key of a keyring sealed the value (so a
 * rotation can tell what is left to re-encrypt), and is bound with the context as associated data.
 */
const VERSION_2 = 'v2';

export function sealWithKeyring(plain: string, keyring: EncryptionKeyring, context: string): string {
  const { id, key } = keyring.current;
  return `${VERSION_2}:${id}:${encryptSecret(plain, key, keyBoundContext(id, context)).slice(VERSION.length + 1)}`;
}

/** Opens v2 with the key it names; v1 (written before key ids) with each key of the ring, `context` as given. */
export function openWithKeyring(sealed: string, keyring: EncryptionKeyring, context: string): string {
  if (!sealed.startsWith(`${VERSION_2}:`)) {
    let failure: unknown;
    for (const { key } of keyring.keys) {
      try {
        return decryptSecret(sealed, key, context);
      } catch (error) {
        failure = error;
        if (!(error instanceof TokenDecryptionError) || error.reason !== 'authentication-failed') throw error;
      }
    }
    throw failure;
  }
  const [, id, ...rest] = sealed.split(':');
  if (!id || rest.length !== 3) throw new TokenDecryptionError('malformed', 'Encrypted value is malformed: expected "v2:<key id>:<iv>:<tag>:<ciphertext>".');
  const entry = keyring.find(id);
  if (!entry) {
    throw new TokenDecryptionError(
      'unknown-key',
      `Encrypted value was written with key ${id}, which this process does not have. Add that key to LEDGERBRIDGE_DECRYPTION_KEYS, or run "npm run rotate-key" before dropping it.`,
    );
  }
  return decryptSecret([VERSION, ...rest].join(':'), entry.key, keyBoundContext(id, context));
}

/** The key id of a sealed value, or null for v1 values (written before key ids). */
export function sealedKeyId(sealed: string): string | null {
  return sealed.startsWith(`${VERSION_2}:`) ? (sealed.split(':')[1] ?? null) : null;
}

function keyBoundContext(keyId: string, context: string): string {
  return `${keyId}\n${context}`;
}
