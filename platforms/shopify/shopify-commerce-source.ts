import type { Shopify } from '@shopify/shopify-api';
import type { CommerceOrder } from '../../domain/commerce-order.js';
import type { CommerceSource, CreatedOrderSummary, UpdatedOrdersPage } from '../../domain/commerce-source.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import type { PlatformConnection } from '../platform.js';
import { toCommerceOrder } from './order-mapping.js';
import {
  CONNECTION_PROBE_QUERY,
  ORDER_LINE_ITEMS_QUERY,
  ORDER_QUERY,
  ORDERS_CREATED_BETWEEN_QUERY,
  ORDERS_UPDATED_SINCE_QUERY,
  createdBetweenSearch,
  updatedSinceSearch,
  type CreatedOrdersData,
  type LineItemData,
  type LineItemPage,
  type OrderData,
  type UpdatedOrdersData,
} from './order-query.js';
import { ORDER_REFUND_IDS_QUERY, REFUND_QUERY, toCommerceRefund, type RefundData } from './refund-query.js';
import type { CommerceRefund } from '../../domain/commerce-refund.js';
import type { StoreCustomer, StoreProduct, StoreRecordPage } from '../../domain/commerce-entities.js';
import {
  CUSTOMER_IDS_QUERY,
  CUSTOMER_QUERY,
  PRODUCT_IDS_QUERY,
  PRODUCT_QUERY,
  toRecordPage,
  toStoreCustomer,
  toStoreProduct,
  type CustomerData,
  type IdPageData,
  type ProductData,
  type VariantNode,
} from './entity-queries.js';
import type { CommercePayout, CommercePayoutRef } from '../../domain/commerce-payout.js';
import { issuedSinceSearch, PAYOUT_QUERY, PAYOUTS_ISSUED_SINCE_QUERY, toCommercePayout, toCommercePayoutRef, type BalanceTransactionData, type PayoutData, type PayoutsPageData } from './payout-query.js';
import { ShopifyAdminClient } from './shopify-admin-client.js';
import { onlyCustomerDataWithheld, withheldReason } from './protected-customer-data.js';
import type { ShopifyCallContext } from './shopify-error-translation.js';

const FEW_SHIPPING_LINES = 5;
const MANY_SHIPPING_LINES = 250;
/** Variants per page of a product; Shopify allows 250. */
const VARIANTS_PER_PAGE = 100;
/** Customers or products per page of a full listing. */
const RECORDS_PER_PAGE = 100;
/** Shopify's Order.refunds has no pages; more than this many refunds on one order are not read (README). */
const REFUNDS_PER_ORDER = 100;

export interface ShopifyCommerceSourceOptions {
  /** Line items fetched per request; Shopify allows 250, we stay well under the 1000-point query cost limit. */
  lineItemPageSize?: number;
  /** Orders per page of the "updated since" listing (polling); Shopify allows 250. Default 100. */
  updatedOrdersPageSize?: number;
}

/** Reads orders from one connected Shopify store through the SDK's GraphQL Admin client. */
/** The access a payout sync needs besides the order scopes (the schema's requiredAccess for ShopifyPaymentsAccount). */
export const SHOPIFY_PAYOUT_SCOPE = 'read_shopify_payments_accounts';
const PAYOUTS_PER_PAGE = 50;
const BALANCE_TRANSACTIONS_PER_PAGE = 100;

export class ShopifyCommerceSource implements CommerceSource {
  private readonly lineItemPageSize: number;
  private readonly updatedOrdersPageSize: number;
  private readonly client: ShopifyAdminClient;

  constructor(shopify: Shopify, connection: PlatformConnection, options: ShopifyCommerceSourceOptions = {}) {
    this.client = new ShopifyAdminClient(shopify, connection);
    // Shopify reserves first × per-line cost up front: small pages keep a busy shop out of THROTTLED.
    this.lineItemPageSize = options.lineItemPageSize ?? 20;
    this.updatedOrdersPageSize = options.updatedOrdersPageSize ?? 100;
  }

  get shop(): string {
    return this.client.shop;
  }

  async getOrder(orderId: string): Promise<CommerceOrder | null> {
    const id = orderId.startsWith('gid://') ? orderId : `gid://shopify/Order/${orderId}`;
    const ctx: ShopifyCallContext = { shop: this.shop, action: `reading order ${orderId}`, scope: 'read_orders' };
    const readOrder = (shippingLinesFirst: number) =>
      this.client.request<{ order: OrderData | null }>(ORDER_QUERY, { id, lineItemsFirst: this.lineItemPageSize, shippingLinesFirst }, ctx, onlyCustomerDataWithheld);
    let answer = await readOrder(FEW_SHIPPING_LINES);
    // Shopify reserves cost for every shipping line asked for; ask for many only for the rare order that has them.
    if (answer.data.order?.shippingLines.pageInfo.hasNextPage) answer = await readOrder(MANY_SHIPPING_LINES);
    const first = answer.data;
    if (!first.order) return null;
    const lineItems: LineItemData[] = [...first.order.lineItems.nodes];
    let page: LineItemPage = first.order.lineItems;
    while (page.pageInfo.hasNextPage) {
      const next = await this.request<{ order: { lineItems: LineItemPage } | null }>(
        ORDER_LINE_ITEMS_QUERY,
        { id, lineItemsFirst: this.lineItemPageSize, lineItemsAfter: page.pageInfo.endCursor },
        ctx,
      );
      // Deleted between pages: report what Shopify says now.
      if (!next.order) return null;
      page = next.order.lineItems;
      lineItems.push(...page.nodes);
    }
    const withheld = answer.acceptedErrors.length > 0 ? withheldReason(answer.acceptedErrors) : null;
    return toCommerceOrder(first.order, lineItems, withheld);
  }

  async listOrdersUpdatedSince(since: string, pageCursor?: string): Promise<UpdatedOrdersPage> {
    const data = await this.request<UpdatedOrdersData>(
      ORDERS_UPDATED_SINCE_QUERY,
      { query: updatedSinceSearch(since), first: this.updatedOrdersPageSize, after: pageCursor ?? null },
      { shop: this.shop, action: 'listing orders updated since the last poll', scope: 'read_orders' },
    );
    const { nodes, pageInfo } = data.orders;
    const orders = nodes.map((node) => ({ id: node.legacyResourceId, updatedAt: new Date(node.updatedAt).toISOString(), createdAt: new Date(node.createdAt).toISOString() }));
    return pageInfo.hasNextPage && pageInfo.endCursor ? { orders, nextPageCursor: pageInfo.endCursor } : { orders };
  }

  async listOrdersCreatedBetween(from: string, to: string, pageCursor?: string): Promise<{ orders: CreatedOrderSummary[]; nextPageCursor?: string }> {
    const data = await this.request<CreatedOrdersData>(
      ORDERS_CREATED_BETWEEN_QUERY,
      { query: createdBetweenSearch(from, to), first: this.updatedOrdersPageSize, after: pageCursor ?? null },
      { shop: this.shop, action: 'listing orders for a reconciliation audit', scope: 'read_orders' },
    );
    const { nodes, pageInfo } = data.orders;
    const orders = nodes.map((node) => ({
      id: node.legacyResourceId,
      name: node.name,
      createdAt: new Date(node.createdAt).toISOString(),
      total: node.totalPriceSet.shopMoney.amount,
      currency: node.totalPriceSet.shopMoney.currencyCode,
      cancelled: node.cancelledAt !== null,
    }));
    return pageInfo.hasNextPage && pageInfo.endCursor ? { orders, nextPageCursor: pageInfo.endCursor } : { orders };
  }

  async getRefunds(orderId: string): Promise<CommerceRefund[] | null> {
    const id = orderId.startsWith('gid://') ? orderId : `gid://shopify/Order/${orderId}`;
    const ctx: ShopifyCallContext = { shop: this.shop, action: `reading the refunds of order ${orderId}`, scope: 'read_orders' };
    const listed = await this.request<{ order: { refunds: Array<{ id: string; createdAt: string }> } | null }>(ORDER_REFUND_IDS_QUERY, { id, refundsFirst: REFUNDS_PER_ORDER }, ctx);
    if (!listed.order) return null;
    const numericOrderId = id.slice(id.lastIndexOf('/') + 1);
    const refunds: CommerceRefund[] = [];
    for (const { id: refundId } of listed.order.refunds) {
      const one = await this.request<{ refund: RefundData | null }>(REFUND_QUERY, { id: refundId }, ctx);
      if (one.refund) refunds.push(toCommerceRefund(numericOrderId, one.refund));
    }
    return refunds.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async getCustomer(customerId: string): Promise<StoreCustomer | null> {
    const ctx: ShopifyCallContext = { shop: this.shop, action: `reading customer ${customerId}`, scope: 'read_customers' };
    return toStoreCustomer(await this.request<CustomerData>(CUSTOMER_QUERY, { id: `gid://shopify/Customer/${customerId}` }, ctx));
  }

  async getProduct(productId: string): Promise<StoreProduct | null> {
    const ctx: ShopifyCallContext = { shop: this.shop, action: `reading product ${productId}`, scope: 'read_products' };
    const id = `gid://shopify/Product/${productId}`;
    const variants: VariantNode[] = [];
    let after: string | null = null;
    for (;;) {
      const data: ProductData = await this.request<ProductData>(PRODUCT_QUERY, { id, variantsFirst: VARIANTS_PER_PAGE, variantsAfter: after }, ctx);
      if (!data.product) return null;
      variants.push(...data.product.variants.nodes);
      const { hasNextPage, endCursor } = data.product.variants.pageInfo;
      if (!hasNextPage || !endCursor) return toStoreProduct(data.product, variants);
      after = endCursor;
    }
  }

  async listCustomers(pageCursor?: string): Promise<StoreRecordPage> {
    const ctx: ShopifyCallContext = { shop: this.shop, action: 'listing customers', scope: 'read_customers' };
    return toRecordPage((await this.request<{ customers: IdPageData }>(CUSTOMER_IDS_QUERY, { first: RECORDS_PER_PAGE, after: pageCursor ?? null }, ctx)).customers);
  }

  async listProducts(pageCursor?: string): Promise<StoreRecordPage> {
    const ctx: ShopifyCallContext = { shop: this.shop, action: 'listing products', scope: 'read_products' };
    return toRecordPage((await this.request<{ products: IdPageData }>(PRODUCT_IDS_QUERY, { first: RECORDS_PER_PAGE, after: pageCursor ?? null }, ctx)).products);
  }

  async listPayoutsIssuedSince(since: string): Promise<CommercePayoutRef[]> {
    const ctx: ShopifyCallContext = { shop: this.shop, action: 'listing Shopify Payments payouts', scope: SHOPIFY_PAYOUT_SCOPE };
    const payouts: CommercePayoutRef[] = [];
    let after: string | null = null;
    for (;;) {
      const data: PayoutsPageData = await this.request<PayoutsPageData>(PAYOUTS_ISSUED_SINCE_QUERY, { query: issuedSinceSearch(since), first: PAYOUTS_PER_PAGE, after }, ctx);
      // A shop without Shopify Payments has no account: no payouts to book.
      if (!data.shopifyPaymentsAccount) return payouts;
      const { nodes, pageInfo } = data.shopifyPaymentsAccount.payouts;
      payouts.push(...nodes.map(toCommercePayoutRef));
      if (!pageInfo.hasNextPage || !pageInfo.endCursor) return payouts;
      after = pageInfo.endCursor;
    }
  }

  async getPayout(payoutId: string): Promise<CommercePayout | null> {
    const ctx: ShopifyCallContext = { shop: this.shop, action: `reading Shopify Payments payout ${payoutId}`, scope: SHOPIFY_PAYOUT_SCOPE };
    const variables = { payoutQuery: `id:${payoutId}`, transactionsQuery: `payments_transfer_id:${payoutId}`, first: BALANCE_TRANSACTIONS_PER_PAGE };
    const transactions: BalanceTransactionData[] = [];
    let after: string | null = null;
    for (;;) {
      const data: PayoutData = await this.request<PayoutData>(PAYOUT_QUERY, { ...variables, after }, ctx);
      const payout = data.shopifyPaymentsAccount?.payouts.nodes[0];
      if (!data.shopifyPaymentsAccount || !payout) return null;
      const page = data.shopifyPaymentsAccount.balanceTransactions;
      transactions.push(...page.nodes);
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return toCommercePayout(payout, transactions);
      after = page.pageInfo.endCursor;
    }
  }

  async checkConnection(): Promise<ConnectionProbe> {
    const data = await this.request<{ shop: { name: string }; currentAppInstallation: { accessScopes: Array<{ handle: string }> } }>(
      CONNECTION_PROBE_QUERY,
      {},
      { shop: this.shop, action: 'checking the connection' },
    );
    return { accountName: data.shop.name, grantedScopes: data.currentAppInstallation.accessScopes.map((s) => s.handle) };
  }

  private async request<T>(query: string, variables: Record<string, unknown>, ctx: ShopifyCallContext): Promise<T> {
    return (await this.client.request<T>(query, variables, ctx)).data;
  }
}
