import type { CommerceOrder } from './commerce-order.js';
import type { CommerceRefund } from './commerce-refund.js';
import type { ConnectionProbe } from './connection-probe.js';

/** One order as a "what changed since" listing names it: enough to decide whether it needs a sync. */
export interface UpdatedOrderRef {
  id: string;
  /** ISO 8601 UTC: when the shop last changed the order. */
  updatedAt: string;
}

/** One page of orders updated since a moment, oldest change first. */
export interface UpdatedOrdersPage {
  orders: UpdatedOrderRef[];
  /** Pass back to get the next page of the same listing; absent on the last page. */
  nextPageCursor?: string;
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
   * Orders changed after `since` (ISO 8601 UTC), sorted by when they changed, oldest first: what reconciliation
   * polling reads to catch an order whose webhook never arrived. Optional: a store without it is not polled.
   */
  /**
   * Orders created at or after `from` and before `to` (ISO 8601 UTC), a page at a time: what a reconciliation
   * audit reads. Optional: without it an audit judges the shop's side from ledgerbridge's own records.
   */
  listOrdersCreatedBetween?(from: string, to: string, pageCursor?: string): Promise<{ orders: CreatedOrderSummary[]; nextPageCursor?: string }>;
  listOrdersUpdatedSince?(since: string /* ISO 8601 UTC */, pageCursor?: string): Promise<{ orders: { id: string; updatedAt: string }[]; nextPageCursor?: string }>;
}
