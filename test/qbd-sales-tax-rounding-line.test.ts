import { describe, expect, it } from 'vitest';
import type { LedgerSale } from '../domain/accounting-target.js';
import { salesTaxRoundingLine } from '../platforms/qbd/sales-tax-rounding-line.js';

/**
 * The cent a QuickBooks Desktop credit memo's sales tax item misses (its rate once on the taxable nets), carried on a
 * line of that item. The reversal of test/refund-sync-amount-only.test.ts: 53.01 left at 20 %, the shop's lines 44.17
 * net and 8.84 of VAT; QuickBooks works out 8.83.
 */
const VAT = { name: 'VAT', ratePercent: 20 };

function reversal(overrides: Partial<LedgerSale> = {}): Pick<LedgerSale, 'lines' | 'shipping' | 'totalTax' | 'currency' | 'taxesIncluded' | 'saleTaxCodeId'> {
  const line = (amount: string, tax: string) => ({ itemId: 'TS', description: 'x', quantity: 1, unitPrice: amount, amount, taxCodeId: null, taxable: true, discount: '0.00', tax });
  return {
    currency: 'USD',
    taxesIncluded: false,
    saleTaxCodeId: 'VAT-ID',
    lines: [line('33.65', '6.73'), line('6.74', '1.35')],
    shipping: { amount: '3.78', taxCodeId: null, taxable: true, tax: '0.76' },
    totalTax: '8.84',
    ...overrides,
  };
}

describe('QuickBooks Desktop: the sales tax rounding line of a credit memo', () => {
  it('carries the cent the rate misses on 44.17 (8.83 against the shop\'s 8.84), saying why', () => {
    expect(salesTaxRoundingLine(reversal(), VAT, true)).toEqual({
      amountMinor: 1,
      description: 'VAT rounding: the shop gave back 8.84 of tax; QuickBooks works out 8.83 (20 % of 44.17, rounded once)',
    });
  });

  it('takes a cent off where QuickBooks works out one more (44.18 net, the shop\'s 8.83)', () => {
    const refund = reversal({ lines: reversal().lines.map((line, index) => (index === 1 ? { ...line, amount: '6.75' } : line)), totalTax: '8.83' });
    expect(salesTaxRoundingLine(refund, VAT, true)?.amountMinor).toBe(-1);
  });

  it('adds nothing where QuickBooks comes to the shop\'s tax itself, or nothing is taxed', () => {
    expect(salesTaxRoundingLine(reversal({ totalTax: '8.83' }), VAT, true)).toBeNull();
    const untaxed = reversal({ lines: reversal().lines.map((line) => ({ ...line, taxable: false })), shipping: null });
    expect(salesTaxRoundingLine(untaxed, VAT, true)).toBeNull();
  });

  it('leaves a difference wider than rounding alone (a sales tax item at another rate): the total check shows it', () => {
    expect(salesTaxRoundingLine(reversal(), { name: 'CA Sales Tax', ratePercent: 7.25 }, true)).toBeNull();
  });

  it('counts the shipping only when it is sent as a taxed line, and states nothing on tax-inclusive amounts or without the sale\'s sales tax item', () => {
    // Without its 3.78 the lines' 40.39 give 8.08: 0.76 from the shop's 8.84, not rounding.
    expect(salesTaxRoundingLine(reversal(), VAT, false)).toBeNull();
    expect(salesTaxRoundingLine(reversal({ taxesIncluded: true }), VAT, true)).toBeNull();
    expect(salesTaxRoundingLine(reversal({ saleTaxCodeId: null }), VAT, true)).toBeNull();
    expect(salesTaxRoundingLine(reversal(), undefined, true)).toBeNull();
  });
});
