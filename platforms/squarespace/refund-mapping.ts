import type { CommerceRefund } from '../../domain/commerce-refund.js';
import { fromMinor } from '../../domain/money.js';
import { cents } from './order-mapping.js';
import type { SquarespaceOrder, SquarespaceTransactionDocument } from './order-shape.js';

/**
 * The refunds of an order as its Transactions documents list them (`payments[].refunds[]`), oldest first. Squarespace
 * says nothing of which lines or how much shipping a refund gives back, only its amount: each is an amount-only
 * refund (no lines, no shipping) whose total is that amount. A refund made at the gateway is not listed [C]: what
 * it gave back is the order's `refundedTotal` less these (the booked order's change report covers it).
 */
export function toCommerceRefunds(order: SquarespaceOrder, documents: SquarespaceTransactionDocument[]): CommerceRefund[] {
  const currency = order.grandTotal.currency;
  const refunds = documents
    .filter((document) => document.salesOrderId === order.id)
    .flatMap((document) => document.payments ?? [])
    .flatMap((payment) => payment.refunds ?? []);
  const unique = new Map(refunds.map((refund) => [refund.id, refund]));
  return [...unique.values()]
    .sort((a, b) => Date.parse(a.refundedOn) - Date.parse(b.refundedOn) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((refund) => ({
      id: refund.id,
      orderId: order.id,
      createdAt: new Date(refund.refundedOn).toISOString(),
      note: null,
      lines: [],
      shipping: null,
      total: fromMinor(cents(refund.amount), currency),
    }));
}
