import { createHash } from 'node:crypto';

/** QBO's limit for the `requestid` query parameter. */
const MAX_REQUEST_ID_LENGTH = 50;

/** The requestid for an idempotency key: the key itself when it fits, else a deterministic hash of it. */
export function qboRequestId(idempotencyKey: string): string {
  if (idempotencyKey.length <= MAX_REQUEST_ID_LENGTH && /^[A-Za-z0-9._:-]+$/.test(idempotencyKey)) return idempotencyKey;
  return createHash('sha256').update(idempotencyKey).digest('hex').slice(0, MAX_REQUEST_ID_LENGTH);
}
