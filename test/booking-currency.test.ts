import { describe, expect, it } from 'vitest';
import { conversionNote, orderToBook, refundToBook, type LedgerCurrencies } from '../domain/booking-currency.js';
import type { CommerceOrder } from '../domain/commerce-order.js';

/** The same sale in the shop's and the buyer's currency, as the Shopify source reads both MoneyBag sides. */
function order(shop: { currency: string; total: string }, buyer?: { currency: string; total: string }): CommerceOrder {
  const base = (money: { currency: string; total: string }): CommerceOrder => ({
    id: '1',
    name: '#1',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    currency: money.currency,
    taxesIncluded: false,
    financialStatus: 'paid',
    cancelledAt: null,
    note: null,
    email: null,
    customer: null,
    lines: [{ id: 'l1', sku: 'S', title: 'Mug', quantity: 1, unitPrice: money.total, discount: '0', taxable: false, taxLines: [] }],
    shippingLines: [],
    taxLines: [],
    totalDiscount: '0',
    totalTax: '0',
    totalShipping: '0',
    total: money.total,
    currentTotal: money.total,
  });
  return { ...base(shop), ...(buyer ? { presentment: base(buyer) } : {}) };
}

const usdOn: LedgerCurrencies = { homeCurrency: 'USD', multiCurrency: true, setting: 'Turn it on' };
const usdOff: LedgerCurrencies = { ...usdOn, multiCurrency: false };
const shopChoice = { saleCurrency: 'shop', foreignCurrency: 'park' } as const;
const buyerChoice = { saleCurrency: 'presentment', foreignCurrency: 'park' } as const;

describe('which amounts an order is booked in', () => {
  const paidInEuros = order({ currency: 'USD', total: '25.00' }, { currency: 'EUR', total: '22.50' });

  it("books the shop's amounts by default, without the buyer's", () => {
    const decision = orderToBook(paidInEuros, usdOff, shopChoice);
    expect(decision).toMatchObject({ kind: 'book', order: { currency: 'USD', total: '25.00' } });
    expect(decision.kind === 'book' && decision.order.presentment).toBeUndefined();
  });

  it("books the buyer's amounts with the shop's rate (home units per unit) where the ledger has multicurrency", () => {
    expect(orderToBook(paidInEuros, usdOn, buyerChoice)).toMatchObject({
      kind: 'book',
      order: { currency: 'EUR', total: '22.50', shopCurrentTotal: '25.00', exchange: { homeCurrency: 'USD', rate: '1.111111' } },
    });
  });

  it('refuses, naming the setting, where the ledger books only its home currency; or books home amounts with the memo', () => {
    const refused = orderToBook(paidInEuros, usdOff, buyerChoice);
    expect(refused).toMatchObject({ kind: 'refuse' });
    expect(refused.kind === 'refuse' && refused.message).toContain('Turn it on, then retry the order.');
    const converted = orderToBook(paidInEuros, usdOff, { saleCurrency: 'presentment', foreignCurrency: 'home-currency' });
    expect(converted).toMatchObject({ kind: 'book', order: { currency: 'USD', total: '25.00' } });
    expect(converted.kind === 'book' && conversionNote(converted.order)).toBe("Paid 22.50 EUR; booked as 25.00 USD at 1.111111 USD per EUR (the shop's rate).");
  });

  it("a shop in another currency than the ledger's: the ledger's own rate with multicurrency, a refusal without (no rate is known)", () => {
    const inYen = order({ currency: 'JPY', total: '1283' });
    expect(orderToBook(inYen, usdOn, shopChoice)).toMatchObject({ kind: 'book', order: { currency: 'JPY', exchange: { homeCurrency: 'USD', rate: null } } });
    const refused = orderToBook(inYen, usdOff, { saleCurrency: 'shop', foreignCurrency: 'home-currency' });
    expect(refused.kind === 'refuse' && refused.message).toContain('has none in USD');
  });

  it('a ledger that lists its currencies (Xero) books only those', () => {
    const xero: LedgerCurrencies = { homeCurrency: 'GBP', multiCurrency: true, setUp: ['GBP', 'EUR'], setting: 'Add it' };
    expect(orderToBook(order({ currency: 'EUR', total: '5.00' }), xero, shopChoice)).toMatchObject({ kind: 'book' });
    const yen = orderToBook(order({ currency: 'JPY', total: '500' }), xero, shopChoice);
    expect(yen.kind === 'refuse' && yen.message).toContain('has no JPY set up');
  });
});

describe('which amounts a refund is booked in', () => {
  // The sale: $24.99 paid as €22.49; the refund of its mug: $19.99 given back as €17.99 (its own rate would differ).
  const sale = order({ currency: 'USD', total: '24.99' }, { currency: 'EUR', total: '22.49' });
  const refund = order({ currency: 'USD', total: '19.99' }, { currency: 'EUR', total: '17.99' });

  it("books the buyer's amounts at the sale's rate, not the refund's own", () => {
    expect(refundToBook(sale, refund, usdOn, buyerChoice)).toMatchObject({ kind: 'book', order: { currency: 'EUR', total: '17.99', shopTotal: '19.99', exchange: { rate: '1.111161' } } });
  });

  it("books home-currency amounts with the sale's rate in the memo where the ledger has no multicurrency", () => {
    const converted = refundToBook(sale, refund, usdOff, { saleCurrency: 'presentment', foreignCurrency: 'home-currency' });
    expect(converted.kind === 'book' && conversionNote(converted.order)).toBe("Paid 17.99 EUR; booked as 19.99 USD at 1.111161 USD per EUR (the shop's rate).");
  });

  it("refuses a refund the shop gives only in its own currency when the sale was booked in the buyer's", () => {
    const { presentment: _buyer, ...shopOnly } = refund;
    const refused = refundToBook(sale, shopOnly, usdOn, buyerChoice);
    expect(refused).toMatchObject({ kind: 'refuse' });
    expect(refused.kind === 'refuse' && refused.message).toContain('cannot be booked in EUR, the currency its sale was booked in');
  });
});
