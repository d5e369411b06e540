import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { eraseCustomerData, exportCustomerData, type PrivacyScope } from '../db/customer-privacy.js';
import { privacyRequests } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import { shopRoutesOf } from './shop-routes-lookup.js';

/** Shopify's mandatory privacy topics: every public app must accept them and act on them. */
export const PRIVACY_TOPICS = new Set(['customers/data_request', 'customers/redact', 'shop/redact']);

interface PrivacyPayload {
  shop_domain?: string;
  customer?: { id?: number | string; email?: string | null };
  orders_to_redact?: Array<number | string>;
  orders_requested?: Array<number | string>;
}

/**
 * Acts on a verified privacy webhook and records it once per event: a redaction erases the customer's personal
 * data from our database and records what it erased; a data request stores the export an operator downloads
 * (GET /privacy-requests/:id/export) and hands to the merchant.
 *
 * The claim, the work and its record are one transaction: a process that dies (or a database error) midway
 * leaves no claim, so Shopify's redelivery does the work instead of being answered "duplicate". A claim left
 * unfinished by a process that recorded it apart from the work (before this was one transaction) is taken over:
 * erasing and exporting again change nothing that was already done.
 */
export async function handlePrivacyWebhook(
  db: Database,
  input: { topic: string; shop: string; eventId: string; rawBody: string },
  log: FastifyBaseLogger,
): Promise<{ status: 'recorded' | 'duplicate'; privacyRequestId: number }> {
  const payload = JSON.parse(input.rawBody) as PrivacyPayload;
  // Ids are 64-bit: take them from the text, not from JSON numbers that lose digits.
  const customerId = bigIdOf(input.rawBody, 'customer') ?? (payload.customer?.id != null ? String(payload.customer.id) : null);
  const orderIds = bigIdsOf(input.rawBody, input.topic === 'customers/redact' ? 'orders_to_redact' : 'orders_requested');
  const outcome = await db.transaction(async (tx) => {
    // A delivery of the same event running now holds this row until it commits; this insert waits for it.
    const [claimed] = await tx
      .insert(privacyRequests)
      .values({ eventId: input.eventId, topic: input.topic, shop: input.shop, customerId, orderIds })
      .onConflictDoNothing()
      .returning({ id: privacyRequests.id });
    let requestId = claimed?.id;
    if (requestId === undefined) {
      const [existing] = await tx
        .select({ id: privacyRequests.id, completedAt: privacyRequests.completedAt })
        .from(privacyRequests)
        .where(eq(privacyRequests.eventId, input.eventId))
        .for('update');
      if (existing!.completedAt) return { status: 'duplicate' as const, privacyRequestId: existing!.id };
      requestId = existing!.id;
      log.warn({ privacyRequestId: requestId, topic: input.topic, shop: input.shop }, 'shopify privacy webhook: an unfinished earlier delivery is done now');
    }
    const routes = await shopRoutesOf(tx, input.shop);
    const scope: PrivacyScope = {
      routeIds: routes?.routeIds ?? [],
      orderIds: input.topic === 'shop/redact' ? null : orderIds,
      email: payload.customer?.email ?? null,
    };
    const result =
      input.topic === 'customers/data_request'
        ? { export: await exportCustomerData(tx, scope) }
        : { erased: await eraseCustomerData(tx, scope) };
    await tx.update(privacyRequests).set({ result, completedAt: new Date() }).where(eq(privacyRequests.id, requestId));
    return { status: 'recorded' as const, privacyRequestId: requestId, result };
  });
  if (outcome.status === 'duplicate') return outcome;
  const { result, ...answer } = outcome;
  log.info({ privacyRequestId: answer.privacyRequestId, topic: input.topic, shop: input.shop, ...('erased' in result ? result.erased : {}) }, 'shopify privacy webhook handled');
  return answer;
}

/** `"customer":{"id":123…` → "123…", exact. */
function bigIdOf(rawBody: string, objectKey: string): string | null {
  const match = new RegExp(`"${objectKey}"\\s*:\\s*\\{[^}]*?"id"\\s*:\\s*"?(\\d+)`).exec(rawBody);
  return match?.[1] ?? null;
}

function bigIdsOf(rawBody: string, arrayKey: string): string[] {
  const match = new RegExp(`"${arrayKey}"\\s*:\\s*\\[([^\\]]*)\\]`).exec(rawBody);
  return match ? [...match[1]!.matchAll(/\d+/g)].map((m) => m[0]) : [];
}
