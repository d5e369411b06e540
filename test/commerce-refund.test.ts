import { describe, expect, it } from 'vitest';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { cancellationRefund, refundAsOrder, type CommerceRefund } from '../domain/commerce-refund.js';
import { refundDocumentNumber } from '../domain/document-number.js';
import { netMakingUpGross, taxOnceAtRate } from '../domain/once-per-rate-tax.js';
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

  const amountOnly = (total: string, extra: Partial<CommerceRefund> = {}): CommerceRefund => ({ id: '90', orderId: '1', createdAt: '2026-11-02T12:00:00Z', note: null, lines: [], shipping: null, total, ...extra });
  const paidFor = (asOrder: CommerceOrder) =>
    asOrder.lines.reduce((sum, line) => sum + Math.round(Number(line.unitPrice) * 100) * line.quantity + line.taxLines.reduce((t, tax) => t + Math.round(Number(tax.amount) * 100), 0), 0) +
    asOrder.shippingLines.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) + line.taxLines.reduce((t, tax) => t + Math.round(Number(tax.amount) * 100), 0), 0);

  it('an amount alone becomes one line on the sale\'s largest item, its VAT the sale\'s share, coming to the refund to the penny', () => {
    const asOrder = refundAsOrder(order, amountOnly('10.00', { note: 'goodwill' }));
    // 10.00 of an 80.40 sale all at 20 % VAT: 1.67 of it is VAT (13.40 × 10 / 80.40), 8.33 the goods.
    expect(asOrder.lines).toEqual([
      { ...order.lines[0], id: 'amount-refund-1', quantity: 1, unitPrice: '8.33', discount: '0.00', taxLines: vat('1.67'), ledgerDescription: 'Refund of order #1001 (amount only)', mappingKey: 'refund:amount-only' },
    ]);
    expect([asOrder.total, asOrder.totalTax, asOrder.totalShipping, asOrder.shippingLines, asOrder.note]).toEqual(['10.00', '1.67', '0.00', [], 'goodwill']);
    expect(paidFor(asOrder)).toBe(1000);
  });

  it('an amount alone over a sale taxed two ways gives back each tax in the sale\'s proportions; shipping taxed its own way goes back as shipping', () => {
    const mixed: CommerceOrder = {
      ...order,
      lines: [order.lines[0]!, { ...order.lines[1]!, sku: 'BOOK', title: 'Book', taxLines: [{ title: 'VAT', rate: 0, amount: '0.00' }] }],
      shippingLines: [{ title: 'Post', price: '5.00', taxLines: [{ title: 'Carrier levy', rate: 0.1, amount: '0.50' }] }],
      total: '73.30',
    };
    // Paid: 64.80 for the tee at 20 %, 8.00 for the book at 0 %, 5.50 for the post at 10 %: 78.30 in all.
    const asOrder = refundAsOrder(mixed, amountOnly('33.33'));
    expect(asOrder.lines.map((line) => [line.sku, line.unitPrice, line.taxLines])).toEqual([
      ['TEE', '22.98', vat('4.60')],
      ['BOOK', '3.41', [{ title: 'VAT', rate: 0, amount: '0.00' }]],
    ]);
    expect(asOrder.shippingLines).toEqual([{ title: 'Refund of order #1001 (amount only)', price: '2.13', taxLines: [{ title: 'Carrier levy', rate: 0.1, amount: '0.21' }] }]);
    expect([asOrder.total, asOrder.totalTax, asOrder.totalShipping]).toEqual(['33.33', '4.81', '2.13']);
    expect(paidFor(asOrder)).toBe(3333);
  });

  it('an amount alone keeps to the minor units of its currency (yen), tax-inclusive prices, and the buyer\'s side', () => {
    const yen: CommerceOrder = {
      ...order,
      currency: 'JPY',
      taxesIncluded: true,
      lines: [{ id: '21', sku: 'TEA', title: 'Tea', quantity: 3, unitPrice: '1100', discount: '0', taxable: true, taxLines: [{ title: 'JCT', rate: 0.1, amount: '300' }] }],
      shippingLines: [],
      total: '3300',
    };
    const asOrder = refundAsOrder(yen, amountOnly('1001'));
    // Prices include tax: the line is the whole 1001, of which 91 is tax (300 × 1001 / 3300 = 91).
    expect(asOrder.lines.map((line) => [line.unitPrice, line.taxLines[0]!.amount])).toEqual([['1001', '91']]);
    expect([asOrder.total, asOrder.totalTax]).toEqual(['1001', '91']);
    const inEuros: CommerceOrder = { ...order, presentment: { ...order, currency: 'EUR', lines: order.lines.map((line) => ({ ...line })), total: '96.48' } };
    const both = refundAsOrder(inEuros, amountOnly('10.00', { presentment: amountOnly('12.00') }));
    expect([both.total, both.presentment?.currency, both.presentment?.total, both.presentment?.lines[0]?.unitPrice]).toEqual(['10.00', 'EUR', '12.00', '10.00']);
  });

  it("an amount alone at one rate carries the rate's tax on its net, as the ledger works it out, not the sale's per-line rounding", () => {
    const pennies: CommerceOrder = {
      ...order,
      lines: ['A', 'B', 'C'].map((sku, index) => ({ id: String(index), sku, title: sku, quantity: 1, unitPrice: '0.03', discount: '0.00', taxable: true, taxLines: vat('0.01') })),
      shippingLines: [],
      total: '0.12',
    };
    // The shop rounded 0.006 of VAT up on each line (0.03 of VAT on 0.09): in proportion 0.12 would hold 0.03 of VAT,
    // and the ledger, taking 20 % of the 0.09 left, 0.02. At the rate: 0.10 and 0.02, which the ledger agrees with.
    const asOrder = refundAsOrder(pennies, amountOnly('0.12'));
    expect(asOrder.lines.map((line) => [line.unitPrice, line.taxLines])).toEqual([['0.10', vat('0.02')]]);
    expect(asOrder.total).toBe('0.12');
  });

  it('a cancellation after a refund of an amount alone reverses what is left, scaled so it comes to the total', () => {
    const reversal = cancellationRefund(order, [amountOnly('20.10')]);
    // 80.40 sold, 20.10 given back: 60.30 left, every part at three quarters.
    expect(reversal.total).toBe('60.30');
    expect(reversal.lines).toEqual([
      { lineId: '11', quantity: 3, subtotal: '40.50', tax: '8.10', restock: true },
      { lineId: '12', quantity: 1, subtotal: '6.00', tax: '1.20', restock: true },
    ]);
    expect(reversal.shipping).toEqual({ amount: '3.75', tax: '0.75' });
    expect(refundAsOrder(order, reversal).total).toBe('60.30');
  });

  it("a cancellation after a refund of an amount alone carries its rate's tax as QuickBooks Online rounds it, once per rate, not line by line", () => {
    // Two shirts at 20.00, a mug at 8.00, shipping 4.50, all at 20 % VAT: 63.00; 10.00 given back, 53.00 left.
    const shirtsAndMug: CommerceOrder = {
      ...order,
      lines: [
        { id: '11', sku: 'TEE', title: 'Tee', quantity: 2, unitPrice: '20.00', discount: '0.00', taxable: true, taxLines: vat('8.00') },
        { id: '12', sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: '8.00', discount: '0.00', taxable: true, taxLines: vat('1.60') },
      ],
      shippingLines: [{ title: 'Post', price: '4.50', taxLines: vat('0.90') }],
      taxLines: vat('10.50'),
      totalDiscount: '0.00',
      totalTax: '10.50',
      totalShipping: '4.50',
      total: '63.00',
      currentTotal: '63.00',
    };
    const reversal = cancellationRefund(shirtsAndMug, [amountOnly('10.00')]);
    // Rounded line by line the VAT would be 6.73 + 1.35 + 0.76 = 8.84 on nets of 44.16, whose 20 % QuickBooks rounds
    // to 8.83. Here the nets come to 44.17, whose 20 % is 8.83: the ledger's total is the shop's 53.00.
    expect(reversal.lines).toEqual([
      { lineId: '11', quantity: 2, subtotal: '33.65', tax: '6.73', restock: true },
      { lineId: '12', quantity: 1, subtotal: '6.74', tax: '1.34', restock: true },
    ]);
    expect(reversal.shipping).toEqual({ amount: '3.78', tax: '0.76' });
    expect(reversal.total).toBe('53.00');
    expect(refundAsOrder(shirtsAndMug, reversal).total).toBe('53.00');
  });

  /** Two shirts at 20.00, a mug at `mugPrice` and shipping 4.50, all at 20 % VAT (WooCommerce rounds each line's). */
  const shirtsAndMugAt = (mugPrice: string, mugVat: string, total: string): CommerceOrder => ({
    ...order,
    lines: [
      { id: '11', sku: 'TEE', title: 'Tee', quantity: 2, unitPrice: '20.00', discount: '0.00', taxable: true, taxLines: vat('8.00') },
      { id: '12', sku: 'MUG', title: 'Mug', quantity: 1, unitPrice: mugPrice, discount: '0.00', taxable: true, taxLines: vat(mugVat) },
    ],
    shippingLines: [{ title: 'Post', price: '4.50', taxLines: vat('0.90') }],
    taxLines: vat('10.50'),
    totalDiscount: '0.00',
    totalTax: '10.50',
    totalShipping: '4.50',
    total,
    currentTotal: total,
  });
  /** The reversal's parts (lines, then shipping) as [net, tax] in minor units. */
  const partsOf = (reversal: CommerceRefund) =>
    [...reversal.lines.map((line) => [line.subtotal, line.tax]), ...(reversal.shipping ? [[reversal.shipping.amount, reversal.shipping.tax]] : [])].map(([net, tax]) => [Math.round(Number(net) * 100), Math.round(Number(tax) * 100)] as const);

  it('a cent the rate skips: at 20 % rounded once, no net makes up one gross in six (53.01: 44.17 makes 53.00, 44.18 makes 53.02)', () => {
    for (let gross = 1; gross <= 6_000; gross++) expect([gross, netMakingUpGross(gross, 0.2) === undefined]).toEqual([gross, gross % 6 === 3]);
    expect([netMakingUpGross(5301, 0.2), 4417 + taxOnceAtRate(4417, 0.2), 4418 + taxOnceAtRate(4418, 0.2)]).toEqual([undefined, 5300, 5302]);
    expect(netMakingUpGross(5300, 0.2)).toBe(4417);
  });

  it("a cancellation after a refund of an amount alone whose rest no net makes up keeps its lines' own VAT: QuickBooks' figure is a cent off, so the receipt must state it", () => {
    // The mug at 8.01 (VAT 1.60): 63.01; 10.00 given back leaves 53.01, a cent the rate skips.
    const reversal = cancellationRefund(shirtsAndMugAt('8.01', '1.60', '63.01'), [amountOnly('10.00')]);
    expect(reversal.total).toBe('53.01');
    expect(reversal.lines).toEqual([
      { lineId: '11', quantity: 2, subtotal: '33.65', tax: '6.73', restock: true },
      { lineId: '12', quantity: 1, subtotal: '6.74', tax: '1.35', restock: true },
    ]);
    expect(reversal.shipping).toEqual({ amount: '3.78', tax: '0.76' });
    // VAT 8.84 on nets of 44.17: QuickBooks, rounding 20 % of 44.17 once, makes 8.83 and 53.00.
    const nets = partsOf(reversal).reduce((sum, [net]) => sum + net, 0);
    expect([nets, taxOnceAtRate(nets, 0.2)]).toEqual([4417, 883]);
    expect(refundAsOrder(shirtsAndMugAt('8.01', '1.60', '63.01'), reversal)).toMatchObject({ total: '53.01', totalTax: '8.84' });
  });

  it('for a ledger that rounds each line (Xero), each line of the reversal carries its own net\'s VAT, rounded, and trades a cent where a line skips one', () => {
    // The 63.00 sale less 10.00: QuickBooks' settlement (6.74 and 1.34 on the mug) would be 1.35 in Xero.
    const reversal = cancellationRefund(shirtsAndMugAt('8.00', '1.60', '63.00'), [amountOnly('10.00')], 'per-line');
    expect(partsOf(reversal)).toEqual([
      [3365, 673],
      [673, 135],
      [378, 76],
    ]);
    // Every amount alone given back from the 80.40 sale (three shirts discounted, a mug, shipping): each part's VAT
    // is its net's as Xero rounds it and the parts come to what is left; at once per rate the nets' VAT rounded once
    // comes to what is left wherever a net can (all but one amount in six).
    const wrong: string[] = [];
    let cents = 0;
    for (let given = 1; given < 8040; given++) {
      const amount = (given / 100).toFixed(2);
      const perLine = partsOf(cancellationRefund(order, [amountOnly(amount)], 'per-line'));
      if (perLine.reduce((sum, [net, tax]) => sum + net + tax, 0) !== 8040 - given) wrong.push(`${amount}: per-line total`);
      if (perLine.some(([net, tax]) => taxOnceAtRate(net, 0.2) !== tax)) wrong.push(`${amount}: per-line VAT`);
      const nets = partsOf(cancellationRefund(order, [amountOnly(amount)])).reduce((sum, [net]) => sum + net, 0);
      const agrees = nets + taxOnceAtRate(nets, 0.2) === 8040 - given;
      if (!agrees) cents++;
      if (agrees !== (netMakingUpGross(8040 - given, 0.2) !== undefined)) wrong.push(`${amount}: once per rate`);
    }
    expect(wrong).toEqual([]);
    expect(cents).toBe(1340);
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
