import type { CommerceOrder } from './commerce-order.js';
import type { ConnectionProbe } from './connection-probe.js';

/**
 * A shop the engine reads from. Implementations translate platform errors into the
 * errors of `platform-errors.ts`.
 */
export interface CommerceSource {
  /** The order, or null when the shop says it does not exist. */
  getOrder(orderId: string): Promise<CommerceOrder | null>;
  checkConnection(): Promise<ConnectionProbe>;
  /**
   * Orders changed after `since` (ISO 8601 UTC), oldest change first, for reconciliation polling; a page at a
   * time, `nextPageCursor` absent on the last. Optional: a shop that cannot list by change time leaves it out.
   */
  listOrdersUpdatedSince?(since: string /* ISO 8601 UTC */, pageCursor?: string): Promise<{ orders: { id: string; updatedAt: string }[]; nextPageCursor?: string }>;
}
