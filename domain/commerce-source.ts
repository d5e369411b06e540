import type { CommerceOrder } from './commerce-order.js';
import type { CommercePayout, CommercePayoutRef } from './commerce-payout.js';
import type { CommerceRefund } from './commerce-refund.js';
import type { StoreCustomer, StoreProduct, StoreRecordPage } from './commerce-entities.js';
import type { ConnectionProbe } from './connection-probe.js';

/** One order as a "what changed since" listing names it: enough to decide whether it needs a sync. */
export interface UpdatedOrderRef {
  id: string;
  /** ISO 8601 UTC: when the shop last changed the order. */
  updatedAt: string;
  /** ISO 8601 UTC: when the order was placed, where the listing says (a route's start date is checked against it). */
  createdAt?: string;
  /** The listing shows money given back on the order (a refund): polling reads its refunds too. Absent: it does not say. */
  refunded?: boolean;
}

/** One page of orders updated since a moment, oldest change first. */
export interface UpdatedOrdersPage {
  orders: UpdatedOrderRef[];
  /** Pass back to get the next page of the same listing; absent on the last page. */
  nextPageCursor?: string;
  /** How many orders the whole listing holds, where the store says (WooCommerce's X-WP-Total): a re-sync's progress. */
  total?: number;
}

/** One order as a listing by creation date names it: what a reconciliation audit compares with the ledger. */
export interface CreatedOrderSummary {
  id: string;
  /** "#1001". */
  name: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** What the shop charged at checkout (the amount the ledger document books), in `currency`. */
  total: string;
  currency: string;
  /** Cancelled orders are not booked when cancelled before booking. */
  cancelled: boolean;
}

/**
 * A shop the engine reads from. Implementations translate platform errors into the
 * errors of `platform-errors.ts`.
 */
export interface CommerceSource {
  /** The order, or null when the shop says it does not exist. */
  getOrder(orderId: string): Promise<CommerceOrder | null>;
  /** Every refund of the order, oldest first; null when the shop says the order does not exist. */
  getRefunds?(orderId: string): Promise<CommerceRefund[] | null>;
  checkConnection(): Promise<ConnectionProbe>;
  /**
   * The store may show an order's refund (a lower current total) before `getRefunds` lists it (a pending refund):
   * the order's change is judged only once the listing explains what it shows refunded, or after the refund
   * discovery's last re-read (workflows/refund-discovery.ts). Absent: refunds are listed with the order's change.
   */
  readonly refundsListedLate?: boolean;
  /**
   * Orders changed after `since` (ISO 8601 UTC), sorted by when they changed, oldest first: what reconciliation
   * polling reads to catch an order whose webhook never arrived. Optional: a store without it is not polled.
   */
  /**
   * Orders created at or after `from` and before `to` (ISO 8601 UTC), a page at a time: what a reconciliation
   * audit reads. Optional: without it an audit judges the shop's side from ledgerbridge's own records.
   */
  listOrdersCreatedBetween?(from: string, to: string, pageCursor?: string): Promise<{ orders: CreatedOrderSummary[]; nextPageCursor?: string }>;
  listOrdersUpdatedSince?(since: string /* ISO 8601 UTC */, pageCursor?: string): Promise<UpdatedOrdersPage>;
  /** The customer, or null when the shop says it does not exist. Optional: a store without it syncs no customers. */
  getCustomer?(customerId: string): Promise<StoreCustomer | null>;
  /** The product with its variants, or null when the shop says it does not exist. Optional: a store without it syncs no products. */
  getProduct?(productId: string): Promise<StoreProduct | null>;
  /** The store's customers by id, a page at a time (a full re-sync walks them). */
  listCustomers?(pageCursor?: string): Promise<StoreRecordPage>;
  /** The store's products by id, a page at a time. */
  listProducts?(pageCursor?: string): Promise<StoreRecordPage>;
  /**
   * Payouts issued after `since` (ISO 8601 UTC), oldest first, and one payout with its balance transactions (null
   * when the shop has no such payout). Optional: a store whose payment provider reports no payouts has no payout syncs.
   */
  listPayoutsIssuedSince?(since: string): Promise<CommercePayoutRef[]>;
  getPayout?(payoutId: string): Promise<CommercePayout | null>;
}
