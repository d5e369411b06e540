import { describe, expect, it } from 'vitest';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { documentNumberFor, unusedPrefix } from '../domain/document-number.js';
import { bookedOrderHeader, documentOwner } from '../domain/ledger-document-ownership.js';
import { fromMinor, minorUnitDigits, normalizeAmount, sameAmount, toMinor } from '../domain/money.js';
import { mapOrderLines, type MappingRules } from '../domain/order-mapping.js';
import { nearMatches } from '../domain/sku-suggestions.js';
import { combinedTaxKey, taxKeyOf } from '../domain/tax-key.js';
import { truncateForLedger } from '../domain/text-limit.js';

const order = (patch: Partial<CommerceOrder> = {}): CommerceOrder => ({
  id: '9007199254741001',
  name: '#1001',
  createdAt: '2026-11-25T10:00:00Z',
  updatedAt: '2026-11-25T10:00:00Z',
  currency: 'USD',
  taxesIncluded: false,
  financialStatus: 'paid',
  cancelledAt: null,
  note: null,
  email: 'ada@example.com',
  customer: null,
  lines: [],
  shippingLines: [],
  taxLines: [],
  totalDiscount: '0.00',
  totalTax: '0.00',
  totalShipping: '0.00',
  total: '0.00',
  currentTotal: '0.00',
  ...patch,
});

const rules = (patch: Partial<MappingRules> = {}): MappingRules => ({
  skuMappings: new Map(),
  taxMappings: new Map(),
  items: [
    { id: '1', name: 'Product A', sku: 'product-a', active: true },
    { id: '2', name: 'Mug', sku: 'MUG-1', active: true },
    { id: '3', name: 'Old lamp', sku: 'LAMP', active: false },
  ],
  taxCodes: [
    { id: '10', name: 'VAT', ratePercent: 20, active: true },
    { id: '11', name: 'Zero rated', ratePercent: 0, active: true },
  ],
  taxSetup: { mode: 'per-line', country: 'GB' },
  ...patch,
});

describe('document numbers', () => {
  it('are the order name without "#", the same on every call, and fit the ledger limit', () => {
    expect(documentNumberFor('#1001', 21)).toBe('1001');
    const long = 'SHOP-EU-#100000000000000001-RETURN';
    const number = documentNumberFor(long, 21);
    expect(number).toHaveLength(21);
    expect(documentNumberFor(long, 21)).toBe(number);
    expect(documentNumberFor(`${long}2`, 21)).not.toBe(number);
  });

  it('suggest a prefix no route of the ledger uses yet', () => {
    expect(unusedPrefix([null, null])).toBe('A-');
    expect(unusedPrefix([null, 'a-', 'B-'])).toBe('C-');
  });

  it("start with the route's prefix, which is kept whole when the number must be shortened", () => {
    expect(documentNumberFor('#1001', 21, 'B-')).toBe('B-1001');
    const number = documentNumberFor('SHOP-EU-#100000000000000001-RETURN', 21, 'EU/');
    expect(number).toHaveLength(21);
    expect(number.startsWith('EU/SHOP-EU-')).toBe(true);
  });
});

describe('whose a ledger document is', () => {
  const header = bookedOrderHeader('Shopify #2', '#1001', 'gid://shopify/Order/77');

  it('reads the order back from the first line of the note we wrote', () => {
    expect(documentOwner(`${header}\nCustomer note: leave at the door`, 'gid://shopify/Order/77')).toEqual({ kind: 'this_order' });
    expect(documentOwner(header, 'gid://shopify/Order/5')).toEqual({ kind: 'other_order', orderId: 'gid://shopify/Order/77', order: 'Shopify #2 order #1001' });
  });

  it('calls a document with no note of ours unknown: entered by hand, or the note was edited', () => {
    expect(documentOwner(null, 'gid://shopify/Order/5')).toEqual({ kind: 'unknown' });
    expect(documentOwner('Order 1001 entered by Sam', 'gid://shopify/Order/5')).toEqual({ kind: 'unknown' });
    expect(documentOwner(`Checked.\n${header}`, 'gid://shopify/Order/5')).toEqual({ kind: 'unknown' });
  });
});

describe('money', () => {
  it('adds up exactly in cents', () => {
    expect(toMinor('19.99', 'USD') * 3).toBe(5997);
    expect(fromMinor(toMinor('0.1', 'USD') + toMinor('0.2', 'USD'), 'USD')).toBe('0.30');
    expect(fromMinor(-1234, 'USD')).toBe('-12.34');
    expect(() => toMinor('ten', 'USD')).toThrow('Not an amount');
  });

  it("counts each currency in its own minor units (ISO 4217): yen whole, fils to three decimals", () => {
    expect([minorUnitDigits('JPY'), minorUnitDigits('KWD'), minorUnitDigits('EUR'), minorUnitDigits('jpy')]).toEqual([0, 3, 2, 0]);
    expect(toMinor('1200.0', 'JPY')).toBe(1200);
    expect(fromMinor(1200, 'JPY')).toBe('1200');
    expect(toMinor('1.2345', 'KWD')).toBe(1235);
    expect(fromMinor(toMinor('0.105', 'KWD') * 3, 'KWD')).toBe('0.315');
    expect(normalizeAmount(1234.5, 'JPY')).toBe('1235');
    expect(normalizeAmount('-0.0049', 'USD')).toBe('0.00');
  });

  it('keeps ISO 4217 where Intl (CLDR) shows fewer decimals, and compares any two amounts exactly', () => {
    // CLDR formats HUF, IDR and COP without decimals; ISO 4217 and the ledgers keep two; IQD keeps three.
    expect([minorUnitDigits('HUF'), minorUnitDigits('IDR'), minorUnitDigits('COP'), minorUnitDigits('IQD'), minorUnitDigits('CLF')]).toEqual([2, 2, 2, 3, 4]);
    expect(sameAmount('10.5', '10.50')).toBe(true);
    expect(sameAmount('1.235', '1.23')).toBe(false);
  });
});

describe('order line mapping', () => {
  it('maps lines by exact SKU, computes amounts, sums discounts, maps VAT automatically and keeps shipping', () => {
    const mapped = mapOrderLines(
      order({
        lines: [{ id: 'l1', sku: 'MUG-1', title: 'Mug', quantity: 3, unitPrice: '19.99', discount: '2.00', taxable: true, taxLines: [{ title: 'VAT', rate: 0.2, amount: '11.59' }] }],
        shippingLines: [{ title: 'Standard', price: '4.50', taxLines: [] }],
      }),
      rules(),
    );
    expect(mapped).toEqual({
      lines: [{ itemId: '2', description: 'Mug', quantity: 3, unitPrice: '19.99', amount: '59.97', taxCodeId: '10', taxable: true, discount: '2.00', tax: '11.59' }],
      discount: '2.00',
      // Untaxed shipping still needs a code on a VAT ledger: the only 0 % code, picked without asking.
      shipping: { amount: '4.50', taxCodeId: '11', taxable: false, tax: '0.00' },
      txnTaxCodeId: null,
    });
  });

  it('reports every unknown SKU and tax at once, with near matches but never an inactive item', () => {
    const result = mapOrderLines(
      order({
        lines: [
          { id: 'l1', sku: 'Product-A ', title: 'Product A', quantity: 1, unitPrice: '10.00', discount: '0.00', taxable: true, taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '0.73' }] },
          { id: 'l2', sku: 'lamp', title: 'Lamp', quantity: 1, unitPrice: '10.00', discount: '0.00', taxable: false, taxLines: [] },
        ],
      }),
      rules(),
    );
    expect('problems' in result && result.problems).toEqual([
      { kind: 'sku', key: 'Product-A ', lineTitle: 'Product A', candidates: [{ id: '1', name: 'Product A', sku: 'product-a', active: true }] },
      { kind: 'tax', key: 'CA State Tax@7.25', ratePercent: 7.25, candidates: [] },
      { kind: 'sku', key: 'lamp', lineTitle: 'Lamp', candidates: [] },
    ]);
  });

  it('uses saved mappings first, for SKUs, lines without SKU, and combined tax keys', () => {
    const taxLines = [
      { title: 'LA County Tax', rate: 0.0125, amount: '0.13' },
      { title: 'CA State Tax', rate: 0.06, amount: '0.60' },
    ];
    const mapped = mapOrderLines(
      order({ lines: [{ id: 'l1', sku: null, title: 'Gift wrap', quantity: 1, unitPrice: '10.00', discount: '0.00', taxable: true, taxLines }] }),
      rules({
        skuMappings: new Map([['title:Gift wrap', '2']]),
        taxMappings: new Map([['CA State Tax@6+LA County Tax@1.25', '10']]),
      }),
    );
    expect('lines' in mapped && mapped.lines[0]).toMatchObject({ itemId: '2', taxCodeId: '10' });
  });
});

describe('helpers', () => {
  it('tax keys name the jurisdiction and the rate in percent', () => {
    expect(taxKeyOf({ title: ' VAT ', rate: 0.2 })).toBe('VAT@20');
    expect(combinedTaxKey([{ title: 'B', rate: 0.01 }, { title: 'A', rate: 0.0725 }])).toBe('A@7.25+B@1');
  });

  it('near matches ignore case, spaces and separators, best first', () => {
    const items = rules().items;
    expect(nearMatches(' PRODUCT_A', items).map((i) => i.id)).toEqual(['1']);
    expect(nearMatches('mug1', items).map((i) => i.id)).toEqual(['2']);
    expect(nearMatches('completely-different', items)).toEqual([]);
  });

  it('truncation marks the cut and respects the limit', () => {
    expect(truncateForLedger('short', 10)).toEqual({ value: 'short', truncated: false });
    const cut = truncateForLedger('x'.repeat(50), 10);
    expect(cut.truncated).toBe(true);
    expect(cut.value).toHaveLength(10);
    expect(cut.value.endsWith('…')).toBe(true);
  });
});
