import { amountsIn } from '../../domain/money.js';
import { ControlInputError, validateRestockType } from './control-validation.js';
import type { EmulatedOrder, EmulatedRefund, RestockType } from './model.js';
import type { ShopifyStore } from './store.js';
import { orderTotals } from './order-totals.js';

/** What a merchant refunds (the admin's Refund page, or refundCreate): units of lines, and shipping, or an amount alone. */
export interface RefundInput {
  lines?: Array<{ lineItemId: string; quantity: number; restockType?: RestockType }>;
  /** true: the order's whole shipping (after its discount) and its tax. */
  shipping?: boolean;
  /**
   * An amount alone, shop currency (the admin's refund with no items; refundCreate with `transactions` and no
   * `refundLineItems`): the REFUND transaction's amount, with no lines and no shipping.
   */
  amount?: string;
  note?: string | null;
}

/**
 * Records a refund the way Shopify computes one: each line gives back its units at the line's discounted price
 * (the discount shared out per unit) with the same share of its tax; shipping gives back its charged price and
 * tax; the REFUND transaction is the sum (tax added unless prices include it). An amount alone is its own REFUND
 * transaction. Refused like Shopify refuses: more units than are left to refund, an unknown line, more money than is
 * left to refund, a refund of nothing.
 */
export function recordRefund(store: ShopifyStore, order: EmulatedOrder, input: RefundInput): EmulatedRefund {
  const amountCents = input.amount === undefined ? null : amountAloneCents(order, input);
  const refunds = (order.refunds ??= []);
  const { minor: toCents, amount: fromCents } = amountsIn(order.currency);
  const lines = (input.lines ?? []).map((wanted) => {
    const line = order.lineItems.find((l) => l.id === wanted.lineItemId);
    if (!line) throw new ControlInputError(`order ${order.id} has no line item ${wanted.lineItemId}`);
    validateRestockType(wanted.restockType);
    const alreadyRefunded = refunds.flatMap((r) => r.lines).filter((l) => l.lineItemId === line.id).reduce((sum, l) => sum + l.quantity, 0);
    if (!Number.isInteger(wanted.quantity) || wanted.quantity <= 0 || wanted.quantity > line.quantity - alreadyRefunded) {
      throw new ControlInputError(`line item ${line.id} has ${line.quantity - alreadyRefunded} unit(s) left to refund, not ${wanted.quantity}`);
    }
    const share = (cents: number) => Math.round((cents * wanted.quantity) / line.quantity);
    const subtotal = toCents(line.unitPrice) * wanted.quantity - share(toCents(line.discount));
    const tax = share(line.taxLines.reduce((sum, t) => sum + toCents(t.amount), 0));
    line.currentQuantity -= wanted.quantity;
    return {
      id: store.nextId('refundLineItem'),
      lineItemId: line.id,
      quantity: wanted.quantity,
      restockType: wanted.restockType ?? 'RETURN',
      price: line.unitPrice,
      subtotal: fromCents(subtotal),
      totalTax: fromCents(tax),
    };
  });
  const shippingLine = order.shippingLines[0];
  const shippingRefunded = refunds.some((r) => r.shipping !== null);
  if (input.shipping && (!shippingLine || shippingRefunded)) throw new ControlInputError(`order ${order.id} has no shipping left to refund`);
  const shipping =
    input.shipping && shippingLine
      ? { shippingLineId: shippingLine.id, subtotal: shippingLine.discountedPrice, tax: fromCents(shippingLine.taxLines.reduce((sum, t) => sum + toCents(t.amount), 0)) }
      : null;
  if (lines.length === 0 && !shipping && input.amount === undefined) throw new ControlInputError('a refund needs at least one line, the shipping or an amount');
  const net = lines.reduce((sum, l) => sum + toCents(l.subtotal), 0) + toCents(shipping?.subtotal ?? '0');
  const tax = lines.reduce((sum, l) => sum + toCents(l.totalTax), 0) + toCents(shipping?.tax ?? '0');
  const totalCents = amountCents ?? net + (order.taxesIncluded ? 0 : tax);
  const refund: EmulatedRefund = {
    id: store.nextId('refund'),
    createdAt: new Date(Math.max(Date.now(), Date.parse(refunds.at(-1)?.createdAt ?? '1970-01-01') + 1)).toISOString(),
    note: input.note ?? null,
    lines,
    shipping,
    total: fromCents(totalCents),
    transactionId: store.nextId('transaction'),
  };
  refunds.push(refund);
  const everything =
    (order.lineItems.every((l) => l.currentQuantity === 0) && (order.shippingLines.length === 0 || refunds.some((r) => r.shipping))) ||
    refundedCents(order) >= toCents(orderTotals(order).total);
  order.financialStatus = everything ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  order.updatedAt = new Date(Math.max(Date.now(), Date.parse(order.updatedAt) + 1)).toISOString();
  return refund;
}

/**
 * The cents of a refund of an amount alone: more than nothing and no more than is left to refund (the order's total
 * less its refunds). Given with lines or shipping it would differ from their sum: Shopify then records the
 * difference as an order adjustment (a refund discrepancy), which the emulator does not play.
 */
function amountAloneCents(order: EmulatedOrder, { amount, lines, shipping }: RefundInput): number {
  const { minor: toCents, amount: fromCents } = amountsIn(order.currency);
  if ((lines ?? []).length > 0 || shipping) throw new ControlInputError('an amount is refunded alone here: with lines or shipping it would be a refund discrepancy (order adjustment), not played');
  if (typeof amount !== 'string' || !/^\d+(\.\d+)?$/.test(amount) || toCents(amount) <= 0) throw new ControlInputError(`a refund amount must be more than 0, not ${JSON.stringify(amount)}`);
  const left = toCents(orderTotals(order).total) - refundedCents(order);
  if (toCents(amount) > left) throw new ControlInputError(`order ${order.id} has ${fromCents(left)} left to refund, not ${amount}`);
  return toCents(amount);
}

function refundedCents(order: EmulatedOrder): number {
  const { minor: toCents } = amountsIn(order.currency);
  return (order.refunds ?? []).reduce((sum, refund) => sum + toCents(refund.total), 0);
}
