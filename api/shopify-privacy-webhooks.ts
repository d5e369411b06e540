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
  const [claimed] = await db
    .insert(privacyRequests)
    .values({ eventId: input.eventId, topic: input.topic, shop: input.shop, customerId, orderIds })
    .onConflictDoNothing()
    .returning({ id: privacyRequests.id });
  if (!claimed) {
    const [existing] = await db.select({ id: privacyRequests.id }).from(privacyRequests).where(eq(privacyRequests.eventId, input.eventId));
    return { status: 'duplicate', privacyRequestId: existing!.id };
  }
  const routes = await shopRoutesOf(db, input.shop);
  const scope: PrivacyScope = {
    routeIds: routes?.routeIds ?? [],
    orderIds: input.topic === 'shop/redact' ? null : orderIds,
    email: payload.customer?.email ?? null,
  };
  const result =
    input.topic === 'customers/data_request'
      ? { export: await exportCustomerData(db, scope) }
      : { erased: await eraseCustomerData(db, scope) };
  await db.update(privacyRequests).set({ result, completedAt: new Date() }).where(eq(privacyRequests.id, claimed.id));
  log.info({ privacyRequestId: claimed.id, topic: input.topic, shop: input.shop, ...('erased' in result ? result.erased : {}) }, 'shopify privacy webhook handled');
  return { status: 'recorded', privacyRequestId: claimed.id };
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
