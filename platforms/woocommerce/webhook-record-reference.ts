import type { SyncedRecordEntity } from '../../domain/commerce-entities.js';

/** Which entity each customer and product topic is about (woocommerce.md §8: `customer.*`, `product.*`). */
export const WOOCOMMERCE_ENTITY_TOPICS: Readonly<Record<string, SyncedRecordEntity>> = {
  'customer.created': 'customers',
  'customer.updated': 'customers',
  'product.created': 'products',
  'product.updated': 'products',
};

/**
 * What a customer or product webhook names: the record's id and `date_modified_gmt` (the payload is the wc/v3
 * resource as `GET customers/{id}` or `products/{id}` shows it, built when sent). Null without a positive integer id;
 * the sync reads the record itself, so nothing else of the payload is relied on.
 */
export function wooRecordReferenceOf(body: unknown): { id: string; modifiedGmt: string | null } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as { id?: unknown; date_modified_gmt?: unknown };
  if (typeof record.id !== 'number' || !Number.isInteger(record.id) || record.id <= 0) return null;
  return { id: String(record.id), modifiedGmt: typeof record.date_modified_gmt === 'string' ? record.date_modified_gmt : null };
}
