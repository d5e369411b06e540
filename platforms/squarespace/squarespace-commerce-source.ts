import type { StoreCustomer, StoreProduct, StoreRecordPage } from '../../domain/commerce-entities.js';
import type { CommerceOrder } from '../../domain/commerce-order.js';
import type { CommerceRefund } from '../../domain/commerce-refund.js';
import type { CommerceSource, UpdatedOrderRef, UpdatedOrdersPage } from '../../domain/commerce-source.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { SquarespaceRequestRefusedError, type SquarespaceCallContext } from './error-translation.js';
import { cents, toCommerceOrder } from './order-mapping.js';
import { toCommerceRefunds } from './refund-mapping.js';
import type { SquarespaceOrder, SquarespaceTransactionDocument } from './order-shape.js';
import type { SquarespaceClient } from './squarespace-client.js';
import { ALL_PAYMENT_STATES, SquarespaceEntityReader } from './squarespace-entities.js';
/** Pages of 50 read per listing before handing over; beyond, the listing continues from Squarespace's cursor. */
const MAX_PAGES_PER_LISTING = 20;

/** A list answer: orders under `result`, transaction documents under `documents`. */
interface Page<T> {
  pagination?: { hasNextPage?: boolean; nextPageCursor?: string | null };
  result?: T[];
  documents?: T[];
}

/** Reads orders (Orders 1.0, Transactions 1.0), customers (Profiles 1.0) and products (Products v2) from one connected Squarespace site. */
export class SquarespaceCommerceSource implements CommerceSource {
  private readonly entities: SquarespaceEntityReader;
  /**
   * A refund pending at the gateway may be on the order's refundedTotal before its Transactions document lists it,
   * and listing it does not move the order's modifiedOn (FIDELITY: refunds [U]).
   */
  readonly refundsListedLate = true;

  constructor(
    private readonly client: SquarespaceClient,
    private readonly siteName: string,
  ) {
    this.entities = new SquarespaceEntityReader(client, (action) => this.ctx(action));
  }

  getCustomer(customerId: string): Promise<StoreCustomer | null> {
    return this.entities.customer(customerId);
  }

  getProduct(productId: string): Promise<StoreProduct | null> {
    return this.entities.product(productId);
  }

  listCustomers(pageCursor?: string): Promise<StoreRecordPage> {
    return this.entities.customerPage(pageCursor);
  }

  listProducts(pageCursor?: string): Promise<StoreRecordPage> {
    return this.entities.productPage(pageCursor);
  }

  async getOrder(orderId: string): Promise<CommerceOrder | null> {
    const order = await this.order(orderId);
    if (!order) return null;
    const documents = await this.transactionDocuments(orderId);
    return toCommerceOrder(order, documents.find((doc) => !doc.voided) ?? null);
  }

  /**
   * The order's refunds made in Squarespace, oldest first, each amount-only (refund-mapping.ts); null when the site
   * has no such order. A site that will not list the order's transactions lists no refunds: the order's lower
   * total is then reported as a change after booking, never guessed at.
   */
  async getRefunds(orderId: string): Promise<CommerceRefund[] | null> {
    const order = await this.order(orderId);
    if (!order) return null;
    return toCommerceRefunds(order, await this.transactionDocuments(orderId));
  }

  /** Orders 1.0's order; null for a 404 or an id that cannot be one. */
  private async order(orderId: string): Promise<SquarespaceOrder | null> {
    // Squarespace ids are 24 hex digits: anything else names no order.
    if (!/^[0-9a-f]{24}$/i.test(orderId)) return null;
    try {
      return await this.client.request<SquarespaceOrder>('GET', `/1.0/commerce/orders/${orderId}`, this.ctx(`reading order ${orderId}`));
    } catch (error) {
      if (error instanceof SquarespaceRequestRefusedError && error.status === 404) return null;
      throw error;
    }
  }

  /** The order's transaction documents (taxes and discounts per line, payments and their refunds); none where none is readable. */
  private async transactionDocuments(orderId: string): Promise<SquarespaceTransactionDocument[]> {
    try {
      const page = await this.client.request<Page<SquarespaceTransactionDocument>>('GET', '/1.0/commerce/transactions', this.ctx(`reading the transactions of order ${orderId}`), { query: { orderId } });
      return (page.documents ?? []).filter((doc) => doc.salesOrderId === orderId);
    } catch (error) {
      // A site that refuses the filter (orderId arrived 2026-04-15 [S]): the order's own totals still book.
      if (error instanceof SquarespaceRequestRefusedError) return [];
      throw error;
    }
  }

  async checkConnection(): Promise<ConnectionProbe> {
    const site = await this.client.request<{ id?: string; siteTitle?: string; businessName?: string; url?: string }>('GET', '/1.0/authorization/website', this.ctx('checking the connection'));
    // Squarespace cannot say which scopes a token holds [U].
    return { accountName: site.siteTitle || site.businessName || site.url || this.siteName, grantedScopes: null };
  }

  /**
   * Orders changed after `since`, oldest change first. Squarespace's list order is undocumented [S], so the
   * window [since, now] is read whole (up to 20 pages) and sorted here; its cursor is dynamic, so an order changed
   * while paging may appear twice or move on: the next poll's overlap catches it. `modifiedAfter` and
   * `modifiedBefore` go together, and later pages carry only the cursor [C/S].
   */
  async listOrdersUpdatedSince(since: string, pageCursor?: string): Promise<UpdatedOrdersPage> {
    const after = new Date(since);
    if (Number.isNaN(after.getTime())) throw new Error(`Not an ISO 8601 time: ${JSON.stringify(since)}`);
    const orders: UpdatedOrderRef[] = [];
    let query: Record<string, string> = pageCursor
      ? { cursor: pageCursor }
      : { modifiedAfter: after.toISOString(), modifiedBefore: new Date().toISOString(), paymentStates: ALL_PAYMENT_STATES };
    for (let pages = 0; ; pages++) {
      const page = await this.client.request<Page<SquarespaceOrder>>('GET', '/1.0/commerce/orders', this.ctx(`listing orders changed after ${since}`), { query });
      for (const order of page.result ?? []) {
        orders.push({ id: order.id, updatedAt: new Date(order.modifiedOn).toISOString(), ...(cents(order.refundedTotal) > 0 ? { refunded: true } : {}) });
      }
      const next = page.pagination?.hasNextPage ? page.pagination.nextPageCursor : null;
      if (!next) break;
      if (pages + 1 >= MAX_PAGES_PER_LISTING) return { orders: sortedByChange(orders), nextPageCursor: next };
      query = { cursor: next };
    }
    return { orders: sortedByChange(orders) };
  }

  private ctx(action: string): SquarespaceCallContext {
    return { site: this.siteName, action };
  }
}

function sortedByChange(orders: UpdatedOrderRef[]): UpdatedOrderRef[] {
  const unique = new Map(orders.map((order) => [order.id, order]));
  return [...unique.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
}
