import type { CommerceOrder } from './commerce-order.js';
import type { CommerceRefund } from './commerce-refund.js';
import type { ConnectionProbe } from './connection-probe.js';

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
}
