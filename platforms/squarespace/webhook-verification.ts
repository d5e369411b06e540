import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a notification says on its envelope: `{id, websiteId, subscriptionId, topic, createdOn, data}` [C]. */
export interface SquarespaceNotification {
  id: string;
  websiteId: string;
  subscriptionId: string;
  topic: string;
  createdOn: string;
  data: Record<string, unknown>;
}

type Headers = Record<string, string | string[] | undefined>;

/** The envelope of a body, or null when it is not one (read before the signature: it names whose secret signs it). */
export function readNotification(rawBody: string): SquarespaceNotification | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return null;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const n = body as Partial<SquarespaceNotification>;
  if (typeof n.id !== 'string' || typeof n.subscriptionId !== 'string' || typeof n.topic !== 'string') return null;
  return { id: n.id, websiteId: typeof n.websiteId === 'string' ? n.websiteId : '', subscriptionId: n.subscriptionId, topic: n.topic, createdOn: typeof n.createdOn === 'string' ? n.createdOn : '', data: n.data && typeof n.data === 'object' ? n.data : {} };
}

/**
 * Squarespace-Signature: hex HMAC-SHA256 of the raw body, keyed with the subscription secret's bytes (the hex
 * secret DECODED; keyed with the hex text the signature never matches) [C: Verifying notifications].
 */
export function squarespaceSignatureMatches(secretHex: string, rawBody: string, headers: Headers): { valid: true } | { valid: false; reason: string } {
  const value = headers['squarespace-signature'];
  const signature = (Array.isArray(value) ? value[0] : value) ?? '';
  if (!signature) return { valid: false, reason: 'missing Squarespace-Signature' };
  const expected = Buffer.from(createHmac('sha256', Buffer.from(secretHex, 'hex')).update(rawBody, 'utf8').digest('hex'));
  const given = Buffer.from(signature.trim().toLowerCase());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'signature does not match' };
  return { valid: true };
}
