import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SecretBox } from '../../db/credential-store.js';

/**
 * The Web Connector password of an integration: the person types it into QBWC, QBWC sends it to `authenticate`.
 * Stored either as a scrypt hash (never readable again) or sealed in the credential SecretBox (readable, so the
 * operator page can show it again); both compare in constant time.
 */

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

const PARAMS = { N: 16384, r: 8, p: 1 } as const;

/** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` */
export async function hashQbwcPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyQbwcPasswordHash(stored: string, candidate: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(candidate, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

export function verifySealedQbwcPassword(secretBox: SecretBox, sealed: string, context: string, candidate: string): boolean {
  const expected = Buffer.from(secretBox.decrypt(sealed, context), 'utf8');
  const actual = Buffer.from(candidate, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A password a person can type: 24 characters from an alphabet without look-alikes. */
export function generateQbwcPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const limit = 256 - (256 % alphabet.length); // bytes above it would favour the first letters
  let out = '';
  while (out.length < 24) for (const b of randomBytes(32)) if (b < limit && out.length < 24) out += alphabet[b % alphabet.length];
  return out;
}
