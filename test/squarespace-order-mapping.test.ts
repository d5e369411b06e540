import { describe, expect, it } from 'vitest';
import { buildOrder } from '../emulators/squarespace/order-builder.js';
import { toMinor } from '../domain/money.js';

const toCents = (amount: string) => toMinor(amount, 'USD');
import type { CommerceOrder } from '../domain/commerce-order.js';
import { toCommerceOrder } from '../platforms/squarespace/order-mapping.js';
import type { SquarespaceOrder, SquarespaceTransactionDocument } from '../platforms/squarespace/order-shape.js';

/** What the engine relies on: Σ(unit × qty) − discount + shipping + (inclusive ? 0 : tax) = total. */
function reconciles(order: CommerceOrder): boolean {
  const lines = order.lines.reduce((sum, line) => sum + toCents(line.unitPrice) * line.quantity, 0);
  return lines - toCents(order.totalDiscount) + toCents(order.totalShipping) + (order.taxesIncluded ? 0 : toCents(order.totalTax)) === toCents(order.total);
}

const built = (inclusive: boolean) =>
  buildOrder(
    {
      currency: 'GBP',
      lines: [
        { productName: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { productName: 'Gift wrap', sku: null, quantity: 1, price: '3.00' },
      ],
      discount: { name: 'Spring', amount: '4.30' },
      shipping: { method: 'Royal Mail', amount: '4.50' },
      taxRate: { name: 'VAT', rate: '0.2' },
      priceTaxInterpretation: inclusive ? 'INCLUSIVE' : 'EXCLUSIVE',
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    },
    1042,
    'GBP',
    new Date('2026-04-15T09:30:00.000Z'),
  );

describe('Squarespace order → CommerceOrder', () => {
  it.each([false, true])('with its transaction document: per-line VAT and discount shares, totals reconcile (inclusive: %s)', (inclusive) => {
    const { order, document } = built(inclusive);
    const mapped = toCommerceOrder(order as unknown as SquarespaceOrder, document as unknown as SquarespaceTransactionDocument);
    expect(mapped).toMatchObject({ name: '#1042', currency: 'GBP', taxesIncluded: inclusive, financialStatus: 'paid', email: 'ada@example.com', customer: { firstName: 'Ada' } });
    expect(mapped.lines.map((l) => [l.sku, l.unitPrice, l.discount, l.taxLines.map((t) => [t.title, t.rate])])).toEqual([
      ['TS-RED-M', '20.00', '4.00', [['VAT', 0.2]]],
      [null, '3.00', '0.30', [['VAT', 0.2]]],
    ]);
    expect(mapped.shippingLines).toEqual([{ title: 'Royal Mail', price: '4.50', taxLines: [expect.objectContaining({ title: 'VAT', rate: 0.2 })] }]);
    expect(mapped.taxLines.reduce((sum, t) => sum + toCents(t.amount), 0)).toBe(toCents(mapped.totalTax));
    expect(reconciles(mapped)).toBe(true);
  });

  it('without a document (or with money as numbers and null lists): the discount is spread by amount and the tax is one order-level line', () => {
    const { order } = built(false);
    const numbers = JSON.parse(JSON.stringify(order).replace(/"value":"([\d.]+)"/g, '"value":$1')) as SquarespaceOrder;
    const mapped = toCommerceOrder({ ...numbers, discountLines: null, orderNumber: 7 }, null);
    expect(mapped.name).toBe('#7');
    expect(mapped.lines.map((l) => l.discount)).toEqual(['4.00', '0.30']);
    expect(mapped.lines.every((l) => l.taxable && l.taxLines.length === 0)).toBe(true);
    expect(mapped.taxLines).toEqual([{ title: 'Tax', rate: 0, amount: mapped.totalTax }]);
    expect(reconciles(mapped)).toBe(true);
  });

  it('a cancelled order is voided at its last change; a refund lowers the current total', () => {
    const { order, document } = built(false);
    const cancelled = toCommerceOrder({ ...(order as unknown as SquarespaceOrder), fulfillmentStatus: 'CANCELED', modifiedOn: '2026-04-16T10:00:00.000Z' }, document as unknown as SquarespaceTransactionDocument);
    expect(cancelled).toMatchObject({ financialStatus: 'voided', cancelledAt: '2026-04-16T10:00:00.000Z' });
    const refunded = toCommerceOrder({ ...(order as unknown as SquarespaceOrder), paymentState: 'REFUNDED', refundedTotal: { currency: 'GBP', value: '10.00' } }, null);
    expect(refunded.financialStatus).toBe('partially_refunded');
    expect(toCents(refunded.currentTotal)).toBe(toCents(refunded.total) - 1000);
  });
});
