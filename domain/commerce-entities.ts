/**
 * Customers and products of a store, as the entity syncs read them (workflows/entity-sync.ts). Pure data: safe to
 * import from workflow code.
 */

/** The entities a store's card shows, each with its own counts and retry. */
export const SYNC_ENTITIES = ['customers', 'orders', 'products'] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];
/** The entities synced by entity-sync workflows (orders have their own). */
export type SyncedRecordEntity = Exclude<SyncEntity, 'orders'>;

export function isSyncEntity(value: string): value is SyncEntity {
  return (SYNC_ENTITIES as readonly string[]).includes(value);
}

/** One customer of the store. */
export interface StoreCustomer {
  /** The platform's numeric id as a string (Shopify legacyResourceId). */
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** The shop's currency: what the customer's sales come in, and what a one-currency ledger customer is kept in. */
  currency: string;
}

export interface StoreProductVariant {
  id: string;
  /** "Blue / L"; "Default Title" for a product without options. */
  title: string;
  sku: string | null;
  /** Decimal string in the shop's currency. */
  price: string;
}

/** One product of the store with its variants: each variant with a SKU is one ledger item. */
export interface StoreProduct {
  id: string;
  title: string;
  variants: StoreProductVariant[];
}

/** One page of a store's customers or products, by id: what a full re-sync walks. */
export interface StoreRecordPage {
  ids: string[];
  /** Pass back for the next page; absent on the last page. */
  nextPageCursor?: string;
}

/** What a variant is called as a ledger item: the product, and the variant unless it is the only one. */
export function itemNameOf(product: StoreProduct, variant: StoreProductVariant): string {
  const single = product.variants.length === 1 && /^default title$/i.test(variant.title.trim());
  return single ? product.title : `${product.title} - ${variant.title}`;
}
