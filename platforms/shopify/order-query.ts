/**
 * GraphQL documents the commerce source sends. Both sides of each MoneyBag are read: the books are kept in the shop's
 * currency unless the route books what the buyer paid (presentmentMoney).
 */
const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';
const TAX_LINE = `title rate priceSet { ${MONEY} }`;
const LINE_ITEMS = `
  lineItems(first: $lineItemsFirst, after: $lineItemsAfter) {
    nodes {
      id name sku quantity currentQuantity taxable
      variant { id sku }
      originalUnitPriceSet { ${MONEY} }
      discountAllocations { allocatedAmountSet { ${MONEY} } }
      taxLines { ${TAX_LINE} }
    }
    pageInfo { hasNextPage endCursor }
  }`;

export const ORDER_QUERY = `#graphql
  query LedgerbridgeOrder($id: ID!, $lineItemsFirst: Int!, $lineItemsAfter: String, $shippingLinesFirst: Int!) {
    order(id: $id) {
      id legacyResourceId name createdAt updatedAt cancelledAt displayFinancialStatus
      currencyCode presentmentCurrencyCode taxesIncluded note email
      customer { id legacyResourceId email firstName lastName }
      ${LINE_ITEMS}
      shippingLines(first: $shippingLinesFirst) {
        nodes { title originalPriceSet { ${MONEY} } discountedPriceSet { ${MONEY} } taxLines { ${TAX_LINE} } }
        pageInfo { hasNextPage }
      }
      taxLines { ${TAX_LINE} }
      subtotalPriceSet { ${MONEY} }
      totalDiscountsSet { ${MONEY} }
      totalShippingPriceSet { ${MONEY} }
      totalTaxSet { ${MONEY} }
      totalPriceSet { ${MONEY} }
      currentTotalPriceSet { ${MONEY} }
    }
  }`;

/** The next page of an order's line items, for orders with more lines than one page holds. */
export const ORDER_LINE_ITEMS_QUERY = `#graphql
  query LedgerbridgeOrderLineItems($id: ID!, $lineItemsFirst: Int!, $lineItemsAfter: String) {
    order(id: $id) { ${LINE_ITEMS} }
  }`;

export const CONNECTION_PROBE_QUERY = `#graphql
  query LedgerbridgeConnectionProbe {
    shop { name }
    currentAppInstallation { accessScopes { handle } }
  }`;

export interface MoneyBagData {
  shopMoney: { amount: string; currencyCode: string };
  /** Absent in answers to documents that ask for shopMoney only. */
  presentmentMoney?: { amount: string; currencyCode: string };
}

export interface TaxLineData {
  title: string;
  rate: number | null;
  priceSet: MoneyBagData;
}

export interface LineItemData {
  id: string;
  name: string;
  sku: string | null;
  quantity: number;
  currentQuantity: number;
  taxable: boolean;
  variant: { id: string; sku: string | null } | null;
  originalUnitPriceSet: MoneyBagData;
  discountAllocations: Array<{ allocatedAmountSet: MoneyBagData }>;
  taxLines: TaxLineData[];
}

export interface LineItemPage {
  nodes: LineItemData[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface OrderData {
  id: string;
  legacyResourceId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  currencyCode: string;
  presentmentCurrencyCode: string;
  taxesIncluded: boolean;
  note: string | null;
  email: string | null;
  customer: { id: string; legacyResourceId: string; email: string | null; firstName: string | null; lastName: string | null } | null;
  lineItems: LineItemPage;
  shippingLines: {
    nodes: Array<{ title: string; originalPriceSet: MoneyBagData; discountedPriceSet: MoneyBagData; taxLines: TaxLineData[] }>;
    pageInfo: { hasNextPage: boolean };
  };
  taxLines: TaxLineData[];
  subtotalPriceSet: MoneyBagData | null;
  totalDiscountsSet: MoneyBagData | null;
  totalShippingPriceSet: MoneyBagData;
  totalTaxSet: MoneyBagData | null;
  totalPriceSet: MoneyBagData;
  currentTotalPriceSet: MoneyBagData | null;
}

/**
 * Orders changed after a moment, oldest change first (shared/platforms/shopify.md §5): reconciliation polling. No
 * `status` term: in GraphQL it has no default (REST's `status` defaults to `open`), so closed and cancelled orders
 * are listed too, and `any` is not one of its values (emulators/shopify/FIDELITY.md).
 */
export const ORDERS_UPDATED_SINCE_QUERY = `#graphql
  query LedgerbridgeOrdersUpdatedSince($query: String!, $first: Int!, $after: String) {
    orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
      nodes { legacyResourceId updatedAt createdAt }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface UpdatedOrdersData {
  orders: { nodes: Array<{ legacyResourceId: string; updatedAt: string; createdAt: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Shopify's search value for "changed after": a quoted ISO timestamp, as its search syntax takes dates. */
export function updatedSinceSearch(since: string): string {
  const at = new Date(since);
  if (!Number.isFinite(at.getTime())) throw new Error(`not an ISO 8601 timestamp: ${since}`);
  return `updated_at:>'${at.toISOString()}'`;
}

/** Orders created in a window, oldest first: what a reconciliation audit compares with the ledger. */
export const ORDERS_CREATED_BETWEEN_QUERY = `#graphql
  query LedgerbridgeOrdersCreatedBetween($query: String!, $first: Int!, $after: String) {
    orders(first: $first, after: $after, sortKey: CREATED_AT, query: $query) {
      nodes { legacyResourceId name createdAt cancelledAt totalPriceSet { ${MONEY} } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export interface CreatedOrdersData {
  orders: {
    nodes: Array<{ legacyResourceId: string; name: string; createdAt: string; cancelledAt: string | null; totalPriceSet: MoneyBagData }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Shopify's search value for "created in [from, to)": quoted ISO timestamps. */
export function createdBetweenSearch(from: string, to: string): string {
  const start = new Date(from);
  const end = new Date(to);
  if (!Number.isFinite(start.getTime()) || !Number.isFinite(end.getTime())) throw new Error(`not ISO 8601 timestamps: ${from}, ${to}`);
  return `created_at:>='${start.toISOString()}' created_at:<'${end.toISOString()}'`;
}
