import { createHash } from 'node:crypto';

/** QBO's limit for the `requestid` query parameter. */
const MAX_REQUEST_ID_LENGTH = 50;
/** Hex characters of the payload hash: 80 bits, plenty to tell two versions of one document apart. */
const PAYLOAD_HASH_LENGTH = 20;
const IDENTITY_LENGTH = MAX_REQUEST_ID_LENGTH - PAYLOAD_HASH_LENGTH - 1;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so the hash depends on the document, not on how it was assembled. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The `requestid` of a write: the business identity (readable when short, else hashed) and a hash of the
 * payload. The same document retried gets the same id, so QBO replays instead of writing twice; a changed
 * document (after a mapping fix, a corrected amount) gets a new one, so QBO never answers it with the fault
 * it gave the old one. Duplicate writes across ids are prevented by the lookup that precedes each create.
 */
export function qboRequestId(identity: string, payload: unknown): string {
  const who = identity.length <= IDENTITY_LENGTH && /^[A-Za-z0-9._:-]+$/.test(identity) ? identity : sha256(identity).slice(0, IDENTITY_LENGTH);
  return `${who}.${sha256(canonicalJson(payload)).slice(0, PAYLOAD_HASH_LENGTH)}`;
}
