import { amountsIn } from '../../domain/money.js';
import { ControlInputError, validateRestockType } from './control-validation.js';
import type { EmulatedOrder, EmulatedRefund, RestockType } from './model.js';
import type { ShopifyStore } from './store.js';

/** What a merchant refunds (the admin's Refund page, or refundCreate): units of lines, and shipping. */
export interface RefundInput {
  lines?: Array<{ lineItemId: string; quantity: number; restockType?: RestockType }>;
  /** true: the order's whole shipping (after its discount) and its tax. */
  shipping?: boolean;
  note?: string | null;
}

/**
 * Records a refund the way Shopify computes one: each line gives back its units at the line's discounted price
 * (the discount shared out per unit) with the same share of its tax; shipping gives back its charged price and
 * tax; the REFUND transaction is the sum (tax added unless prices include it). Refused like Shopify refuses: more
 * units than are left to refund, an unknown line.
 */
export function recordRefund(store: ShopifyStore, order: EmulatedOrder, input: RefundInput): EmulatedRefund {
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
  if (lines.length === 0 && !shipping) throw new ControlInputError('a refund needs at least one line or the shipping');
  const net = lines.reduce((sum, l) => sum + toCents(l.subtotal), 0) + toCents(shipping?.subtotal ?? '0');
  const tax = lines.reduce((sum, l) => sum + toCents(l.totalTax), 0) + toCents(shipping?.tax ?? '0');
  const refund: EmulatedRefund = {
    id: store.nextId('refund'),
    createdAt: new Date(Math.max(Date.now(), Date.parse(refunds.at(-1)?.createdAt ?? '1970-01-01') + 1)).toISOString(),
    note: input.note ?? null,
    lines,
    shipping,
    total: fromCents(net + (order.taxesIncluded ? 0 : tax)),
    transactionId: store.nextId('transaction'),
  };
  refunds.push(refund);
  const everything = order.lineItems.every((l) => l.currentQuantity === 0) && (order.shippingLines.length === 0 || refunds.some((r) => r.shipping));
  order.financialStatus = everything ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  order.updatedAt = new Date(Math.max(Date.now(), Date.parse(order.updatedAt) + 1)).toISOString();
  return refund;
}
