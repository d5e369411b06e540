import { createHash } from 'node:crypto';
import { canonicalJson } from '../qbo/request-id.js';
import { XERO_IDEMPOTENCY_KEY_MAX } from './xero-limits.js';

const PAYLOAD_HASH_LENGTH = 24;

/**
 * The `Idempotency-Key` of a write: the business identity and a hash of the payload, within Xero's 128
 * characters. A retry of the same document replays; a corrected document gets a new key, so Xero never
 * answers it with the refusal of the old one.
 */
export function xeroIdempotencyKey(identity: string, payload: unknown): string {
  const hash = createHash('sha256').update(canonicalJson(payload)).digest('hex').slice(0, PAYLOAD_HASH_LENGTH);
  const room = XERO_IDEMPOTENCY_KEY_MAX - PAYLOAD_HASH_LENGTH - 1;
  const who = identity.length <= room && /^[A-Za-z0-9._:\/-]+$/.test(identity) ? identity : createHash('sha256').update(identity).digest('hex').slice(0, 40);
  return `${who}.${hash}`;
}
