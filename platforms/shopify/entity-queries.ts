import type { StoreCustomer, StoreProduct, StoreRecordPage } from '../../domain/commerce-entities.js';

/** One customer, with the shop's currency (a one-currency ledger keeps the customer in it). */
export const CUSTOMER_QUERY = `#graphql
  query LedgerbridgeCustomer($id: ID!) {
    shop { currencyCode }
    customer(id: $id) { legacyResourceId email firstName lastName }
  }`;

export interface CustomerData {
  shop: { currencyCode: string };
  customer: { legacyResourceId: string; email: string | null; firstName: string | null; lastName: string | null } | null;
}

/** One product and a page of its variants (Shopify allows up to 2048 variants; pages of VARIANTS_PER_PAGE). */
export const PRODUCT_QUERY = `#graphql
  query LedgerbridgeProduct($id: ID!, $variantsFirst: Int!, $variantsAfter: String) {
    product(id: $id) {
      legacyResourceId
      title
      variants(first: $variantsFirst, after: $variantsAfter) {
        nodes { legacyResourceId title sku price }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

export interface VariantNode {
  legacyResourceId: string;
  title: string;
  sku: string | null;
  price: string;
}

export interface ProductData {
  product: {
    legacyResourceId: string;
    title: string;
    variants: { nodes: VariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

/** The shop's customers by id, a page at a time. */
export const CUSTOMER_IDS_QUERY = `#graphql
  query LedgerbridgeCustomerIds($first: Int!, $after: String) {
    customers(first: $first, after: $after, sortKey: ID) {
      nodes { legacyResourceId }
      pageInfo { hasNextPage endCursor }
    }
  }`;

/** The shop's products by id, a page at a time. */
export const PRODUCT_IDS_QUERY = `#graphql
  query LedgerbridgeProductIds($first: Int!, $after: String) {
    products(first: $first, after: $after, sortKey: ID) {
      nodes { legacyResourceId }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface IdPageData {
  nodes: Array<{ legacyResourceId: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function toStoreCustomer(data: CustomerData): StoreCustomer | null {
  if (!data.customer) return null;
  const { legacyResourceId, email, firstName, lastName } = data.customer;
  return { id: legacyResourceId, email: email || null, firstName: firstName || null, lastName: lastName || null, currency: data.shop.currencyCode };
}

export function toStoreProduct(product: NonNullable<ProductData['product']>, variants: VariantNode[]): StoreProduct {
  return {
    id: product.legacyResourceId,
    title: product.title,
    variants: variants.map((v) => ({ id: v.legacyResourceId, title: v.title, sku: v.sku || null, price: v.price })),
  };
}

export function toRecordPage(page: IdPageData): StoreRecordPage {
  const ids = page.nodes.map((node) => node.legacyResourceId);
  return page.pageInfo.hasNextPage && page.pageInfo.endCursor ? { ids, nextPageCursor: page.pageInfo.endCursor } : { ids };
}
