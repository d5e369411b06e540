import { createHash } from 'node:crypto';
import type { ResolvedXeroSettings } from './options.js';
import type { XeroOrganisation } from './organisation.js';
import { validationException, XeroHttpError } from './wire-format.js';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;

export type Replay = { kind: 'none' } | { kind: 'replay'; status: number; body: unknown };

export function bodyHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path} ${JSON.stringify(body ?? null)}`).digest('hex');
}

/** Looks a key up before a write: the first answer again, a refusal of the same key with another body, or nothing. */
export function lookUpKey(org: XeroOrganisation, settings: ResolvedXeroSettings, key: string | null, hash: string): Replay {
  if (key === null || settings.idempotencyMode === 'ignore') return { kind: 'none' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw validationException([{ ValidationErrors: [{ Message: `Idempotency-Key must not be more than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long` }] }]);
  }
  const seen = org.idempotency.get(key);
  if (!seen || org.nowMs - seen.atMs > settings.idempotencyWindowSeconds * 1000) return { kind: 'none' };
  if (seen.bodyHash !== hash) {
    if (settings.idempotencyKeyReuse === 'reject') {
      throw new XeroHttpError(400, {
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: [{ ValidationErrors: [{ Message: 'The Idempotency-Key has already been used with a different request body.' }] }],
      });
    }
  }
  if (seen.status !== 200 && settings.idempotencyMode === 'replay-success') return { kind: 'none' };
  return { kind: 'replay', status: seen.status, body: seen.body };
}

export function rememberAnswer(org: XeroOrganisation, key: string | null, hash: string, status: number, body: unknown, settings: ResolvedXeroSettings): void {
  if (key === null || settings.idempotencyMode === 'ignore') return;
  if (status !== 200 && settings.idempotencyMode === 'replay-success') return;
  if (!org.idempotency.has(key) || org.nowMs - org.idempotency.get(key)!.atMs > settings.idempotencyWindowSeconds * 1000) {
    org.idempotency.set(key, { bodyHash: hash, status, body, atMs: org.nowMs });
  }
}
