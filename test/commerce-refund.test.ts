import { describe, expect, it } from 'vitest';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { cancellationRefund, refundAsOrder, type CommerceRefund } from '../domain/commerce-refund.js';
import { refundDocumentNumber } from '../domain/document-number.js';
import { bookedOrderHeader, bookedRefundHeader, documentOwner, refundDocumentOwner } from '../domain/ledger-document-ownership.js';

const vat = (amount: string) => [{ title: 'VAT', rate: 0.2, amount }];
const order: CommerceOrder = {
  id: '1',
  name: '#1001',
  createdAt: '2026-11-01T10:00:00Z',
  updatedAt: '2026-11-02T10:00:00Z',
  currency: 'GBP',
  taxesIncluded: false,
  financialStatus: 'paid',
  cancelledAt: '2026-11-03T10:00:00Z',
  note: null,
  email: null,
  customer: null,
  lines: [
    { id: '11', sku: 'TEE', title: 'Tee', quantity: 3, unitPrice: '20.00', discount: '6.00', taxable: true, taxLines: vat('10.80') },
    { id: '12', sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: '8.00', discount: '0.00', taxable: true, taxLines: vat('1.60') },
  ],
  shippingLines: [{ title: 'Post', price: '5.00', taxLines: vat('1.00') }],
  taxLines: vat('13.40'),
  totalDiscount: '6.00',
  totalTax: '13.40',
  totalShipping: '5.00',
  total: '80.40',
  currentTotal: '80.40',
};
const oneTee: CommerceRefund = {
  id: '77',
  orderId: '1',
  createdAt: '2026-11-02T12:00:00Z',
  note: 'too small',
  lines: [{ lineId: '11', quantity: 1, subtotal: '18.00', tax: '3.60', restock: false }],
  shipping: null,
  total: '21.60',
};

describe('a refund as the ledger books it', () => {
  it('maps like the sale: the same line with the refunded units, its discount share and its tax scaled', () => {
    const asOrder = refundAsOrder(order, oneTee);
    expect(asOrder.lines).toEqual([{ ...order.lines[0], quantity: 1, discount: '2.00', taxLines: vat('3.60'), title: 'Tee (not restocked)' }]);
    expect([asOrder.total, asOrder.totalTax, asOrder.totalShipping, asOrder.shippingLines, asOrder.note]).toEqual(['21.60', '3.60', '0.00', [], 'too small']);
  });

  it('a cancellation reverses what the refunds had not given back, shipping included', () => {
    const reversal = cancellationRefund(order, [oneTee]);
    expect(reversal.lines).toEqual([
      { lineId: '11', quantity: 2, subtotal: '36.00', tax: '7.20', restock: true },
      { lineId: '12', quantity: 1, subtotal: '8.00', tax: '1.60', restock: true },
    ]);
    expect(reversal.shipping).toEqual({ amount: '5.00', tax: '1.00' });
    expect(reversal.total).toBe('58.80');
    expect(refundAsOrder(order, reversal).total).toBe('58.80');
  });

  it("carries the buyer's side of the refund, from the buyer's side of the sale, and reverses it on cancellation", () => {
    const inEuros = (amount: string) => (Number(amount) * 1.2).toFixed(2);
    const buyerOrder: CommerceOrder = {
      ...order,
      currency: 'EUR',
      lines: order.lines.map((line) => ({ ...line, unitPrice: inEuros(line.unitPrice), discount: inEuros(line.discount), taxLines: vat(inEuros(line.taxLines[0]!.amount)) })),
      shippingLines: [{ title: 'Post', price: '6.00', taxLines: vat('1.20') }],
      totalShipping: '6.00',
      total: '96.48',
    };
    const paidInEuros: CommerceOrder = { ...order, presentment: buyerOrder };
    const buyerTee: CommerceRefund = { ...oneTee, lines: [{ lineId: '11', quantity: 1, subtotal: '21.60', tax: '4.32', restock: false }], total: '25.92' };
    const asOrder = refundAsOrder(paidInEuros, { ...oneTee, presentment: buyerTee });
    expect([asOrder.currency, asOrder.total, asOrder.presentment?.currency, asOrder.presentment?.total]).toEqual(['GBP', '21.60', 'EUR', '25.92']);
    expect(asOrder.presentment?.lines).toEqual([{ ...buyerOrder.lines[0], quantity: 1, discount: '2.40', taxLines: vat('4.32'), title: 'Tee (not restocked)' }]);
    // A refund the shop gave in its own currency only has no buyer's side: never the whole sale's.
    expect(refundAsOrder(paidInEuros, oneTee).presentment).toBeUndefined();
    const reversal = cancellationRefund(paidInEuros, [{ ...oneTee, presentment: buyerTee }]);
    expect([reversal.total, reversal.presentment?.total]).toEqual(['58.80', '70.56']);
  });

  it('is numbered after the sale and marked with order and refund, which no sale marker is mistaken for', () => {
    expect([refundDocumentNumber('1001', 2, 21), refundDocumentNumber('1001', 'cancellation', 21)]).toEqual(['1001-R2', '1001-C']);
    expect(refundDocumentNumber('A-VERY-LONG-ORDER-NUMBER-1001', 1, 21)).toHaveLength(21);
    const marker = bookedRefundHeader('Shopify #1', '#1001', '1', '77');
    expect([refundDocumentOwner(marker, '1', '77'), refundDocumentOwner(marker, '1', '78'), refundDocumentOwner('typed by hand', '1', '77')]).toEqual(['this', 'other', 'unknown']);
    expect(documentOwner(marker, '1')).toEqual({ kind: 'unknown' });
    expect(refundDocumentOwner(bookedOrderHeader('Shopify #1', '#1001', '1'), '1', '77')).toBe('unknown');
  });
});
