import type { RouteConnections } from '../activities/route-connections.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import type { CommerceRefund } from '../domain/commerce-refund.js';

/** A store's order as it is now, with the refunds the store lists for it (oldest first). */
export interface StoreOrderNow {
  order: CommerceOrder;
  refunds: CommerceRefund[];
}

/** Reads one order of a store integration with its refunds; null when the integration or the order is gone. */
export type ReadStoreOrder = (integrationId: string, orderId: string) => Promise<StoreOrderNow | null>;

/**
 * For a notification that says an order was refunded without naming the refund (Squarespace's order.update
 * REFUNDED): the order and every refund the store lists, so each refund is queued by its own id.
 */
export function storeOrderReader(connections: RouteConnections): ReadStoreOrder {
  return async (integrationId, orderId) => {
    const opened = await connections.storeSource(integrationId);
    if (!opened) return null;
    const order = await opened.source.getOrder(orderId);
    if (!order) return null;
    const refunds = opened.source.getRefunds ? await opened.source.getRefunds(orderId) : [];
    return refunds ? { order, refunds } : null;
  };
}
