import type { CommerceOrder } from '../../domain/commerce-order.js';
import type { CommerceSource, UpdatedOrdersPage } from '../../domain/commerce-source.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { toCommerceOrder } from './order-mapping.js';
import { toCommerceRefundFromWoo, type WooRefund } from './refund-mapping.js';
import type { CommerceRefund } from '../../domain/commerce-refund.js';
import type { WooOrder } from './order-shape.js';
import type { WooClient } from './woo-client.js';
import { WooRequestRefusedError, type WooCallContext } from './woo-error-translation.js';
import { WooEntityReader } from './woo-entities.js';
import { storeCurrency } from './store-currency.js';
import type { CommercePayout, CommercePayoutRef } from '../../domain/commerce-payout.js';
import { WooPaymentsDeposits } from './woopayments-deposits.js';
import type { StoreCustomer, StoreProduct, StoreRecordPage } from '../../domain/commerce-entities.js';

/** WooCommerce's most per page (per_page 1..100). */
const PAGE_SIZE = 100;

/** Reads orders from one connected WooCommerce store (wc/v3, the official JS client). */
export class WooCommerceSource implements CommerceSource {
  constructor(
    private readonly client: WooClient,
    private readonly storeName: string,
  ) {}

  async getOrder(orderId: string): Promise<CommerceOrder | null> {
    if (!/^\d+$/.test(orderId)) return null;
    try {
      const { data } = await this.client.request<WooOrder>('get', `orders/${orderId}`, this.ctx(`reading order ${orderId}`));
      return toCommerceOrder(data, await storeCurrency(this.client, (action) => this.ctx(action)));
    } catch (error) {
      // "Invalid ID.": deleted (or never there). A trashed order is still readable, with status "trash".
      if (error instanceof WooRequestRefusedError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * The order's refunds, oldest first (`orders/{id}/refunds`), in the order's amounts: the order is read too, for its
   * currency, whether its prices include tax and its lines. Null when the store has no such order.
   */
  async getRefunds(orderId: string): Promise<CommerceRefund[] | null> {
    const order = await this.getOrder(orderId);
    if (!order) return null;
    try {
      const { data } = await this.client.request<WooRefund[]>('get', `orders/${orderId}/refunds`, this.ctx(`reading the refunds of order ${orderId}`), {
        params: { per_page: PAGE_SIZE },
      });
      return [...data].sort((a, b) => a.date_created_gmt.localeCompare(b.date_created_gmt) || a.id - b.id).map((refund) => toCommerceRefundFromWoo(order, refund));
    } catch (error) {
      if (error instanceof WooRequestRefusedError && error.status === 404) return null;
      throw error;
    }
  }

  async checkConnection(): Promise<ConnectionProbe> {
    const { data } = await this.client.request<{ environment?: { home_url?: string } }>('get', 'system_status', this.ctx('checking the connection'));
    // WooCommerce cannot say what a key may do short of trying; the key's permission was given at the grant.
    return { accountName: data.environment?.home_url ?? this.client.storeUrl, grantedScopes: null };
  }

  /**
   * Orders changed after `since`, oldest change first, a page at a time (WooCommerce's modified_after with
   * dates_are_gmt, ordered by modification date). The cursor is the next page number: offset pages shift when
   * orders change meanwhile, so a caller re-reads from its newest `updatedAt` rather than trusting pages alone.
   */
  async listOrdersUpdatedSince(since: string, pageCursor?: string): Promise<UpdatedOrdersPage> {
    const page = pageCursor ? Number(pageCursor) : 1;
    const after = new Date(since);
    if (Number.isNaN(after.getTime())) throw new Error(`Not an ISO 8601 time: ${JSON.stringify(since)}`);
    const { data, headers } = await this.client.request<WooOrder[]>('get', 'orders', this.ctx(`listing orders changed after ${since}`), {
      params: { modified_after: after.toISOString().slice(0, 19), dates_are_gmt: true, orderby: 'modified', order: 'asc', per_page: PAGE_SIZE, page },
    });
    const totalPages = Number(headers['x-wp-totalpages'] ?? 1);
    const total = Number(headers['x-wp-total']);
    return {
      orders: data.map((order) => ({
        id: String(order.id),
        updatedAt: `${order.date_modified_gmt}Z`,
        ...(order.date_created_gmt ? { createdAt: `${order.date_created_gmt}Z` } : {}),
        ...((order.refunds ?? []).length > 0 ? { refunded: true } : {}),
      })),
      ...(page < totalPages ? { nextPageCursor: String(page + 1) } : {}),
      ...(Number.isInteger(total) && total >= 0 ? { total } : {}),
    };
  }

  getCustomer(customerId: string): Promise<StoreCustomer | null> {
    return this.entities.customer(customerId);
  }

  getProduct(productId: string): Promise<StoreProduct | null> {
    return this.entities.product(productId);
  }

  listCustomers(pageCursor?: string): Promise<StoreRecordPage> {
    return this.entities.page('customers', pageCursor);
  }

  listProducts(pageCursor?: string): Promise<StoreRecordPage> {
    return this.entities.page('products', pageCursor);
  }

  /** WooPayments deposits issued after `since`; a store without WooPayments throws PayoutsUnavailableError. */
  listPayoutsIssuedSince(since: string): Promise<CommercePayoutRef[]> {
    return this.deposits.issuedSince(since);
  }

  getPayout(payoutId: string): Promise<CommercePayout | null> {
    return this.deposits.deposit(payoutId);
  }

  private get deposits(): WooPaymentsDeposits {
    return new WooPaymentsDeposits(this.client, (action) => this.ctx(action));
  }

  private get entities(): WooEntityReader {
    return new WooEntityReader(this.client, (action) => this.ctx(action));
  }

  private ctx(action: string): WooCallContext {
    return { store: this.storeName, action };
  }
}
