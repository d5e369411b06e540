import { and, inArray, like, or } from 'drizzle-orm';
import type { Database } from './database.js';
import { orderSyncs, privacyRequests, truncatedFields } from './schema.js';

/**
 * What ledgerbridge keeps that can be personal data of a shop's customer: the texts of an order's row (error
 * messages name the customer, the fallback-customer notice) and the full texts of fields the ledger could only
 * take truncated (customer names, memos). Amounts, ids and order numbers are the merchant's bookkeeping.
 * Emails are sent at once (no outbox), and integration_notifications keeps only subjects and the merchant's own
 * recipients, so there is nothing queued to erase.
 */
export const ERASED_TEXT = 'Erased at the customer\'s request (Shopify privacy webhook).';

export interface PrivacyScope {
  routeIds: string[];
  /** Orders Shopify named; null = every order of the routes (shop/redact). */
  orderIds: string[] | null;
  /** The customer's email, to find rows that name it outside the listed orders. */
  email: string | null;
}

function rowsOf(scope: PrivacyScope) {
  const byOrder = scope.orderIds === null ? undefined : scope.orderIds.length ? inArray(orderSyncs.orderId, scope.orderIds) : undefined;
  const byEmail = scope.email ? like(orderSyncs.lastErrorMessage, `%${escapeLike(scope.email)}%`) : undefined;
  const which = scope.orderIds === null ? undefined : byOrder && byEmail ? or(byOrder, byEmail) : (byOrder ?? byEmail);
  if (scope.orderIds !== null && !which) return null;
  return and(inArray(orderSyncs.routeId, scope.routeIds), which);
}

/** Everything we hold about the customer's orders, for a customers/data_request. */
export async function exportCustomerData(db: Database, scope: PrivacyScope) {
  if (scope.routeIds.length === 0) return { orders: [], truncatedTexts: [] };
  const where = rowsOf(scope);
  const orders = where
    ? await db
        .select({
          routeId: orderSyncs.routeId,
          orderId: orderSyncs.orderId,
          orderName: orderSyncs.orderName,
          status: orderSyncs.status,
          ledgerDocNumber: orderSyncs.ledgerDocNumber,
          syncedAt: orderSyncs.syncedAt,
          lastErrorMessage: orderSyncs.lastErrorMessage,
          customerNotice: orderSyncs.customerNotice,
        })
        .from(orderSyncs)
        .where(where)
    : [];
  const orderIds = [...new Set(orders.map((o) => o.orderId))];
  const truncatedTexts = orderIds.length
    ? await db
        .select({ routeId: truncatedFields.routeId, orderId: truncatedFields.orderId, field: truncatedFields.field, fullText: truncatedFields.fullText })
        .from(truncatedFields)
        .where(and(inArray(truncatedFields.routeId, scope.routeIds), inArray(truncatedFields.orderId, orderIds)))
    : [];
  return { orders, truncatedTexts };
}

/** Erases the customer's personal data (customers/redact, or every order for shop/redact); says what it erased. */
export async function eraseCustomerData(db: Database, scope: PrivacyScope): Promise<{ orderRowsErased: number; truncatedTextsErased: number }> {
  if (scope.routeIds.length === 0) return { orderRowsErased: 0, truncatedTextsErased: 0 };
  const where = rowsOf(scope);
  if (!where) return { orderRowsErased: 0, truncatedTextsErased: 0 };
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(orderSyncs)
      .set({ lastErrorMessage: ERASED_TEXT, customerNotice: null })
      .where(where)
      .returning({ routeId: orderSyncs.routeId, orderId: orderSyncs.orderId });
    const orderIds = [...new Set(rows.map((r) => r.orderId))];
    const texts = orderIds.length
      ? await tx
          .delete(truncatedFields)
          .where(and(inArray(truncatedFields.routeId, scope.routeIds), inArray(truncatedFields.orderId, orderIds)))
          .returning({ field: truncatedFields.field })
      : [];
    return { orderRowsErased: rows.length, truncatedTextsErased: texts.length };
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type PrivacyRequestRow = typeof privacyRequests.$inferSelect;
