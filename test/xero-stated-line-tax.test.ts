import { describe, expect, it } from 'vitest';
import { amountsIn } from '../domain/money.js';
import { mayStateTax, statedLineTax, statedTaxRates } from '../platforms/xero/stated-line-tax.js';

const gbp = amountsIn('GBP');
const rates = statedTaxRates([
  { id: 'OUTPUT2', name: '20% (VAT on Income)', ratePercent: 20, active: true },
  { id: 'ZERORATEDOUTPUT', name: 'Zero Rated Income', ratePercent: 0, active: true },
]);

describe("a Xero refund line states its own tax only where Xero's per-line rounding misses it by a cent", () => {
  it('10.05 at 20 % (8.37 and 1.68): Xero would make 1.67, so 1.68 is stated; where Xero agrees nothing is', () => {
    expect(statedLineTax(rates, { netMinor: 837, taxCodeId: 'OUTPUT2', tax: '1.68' }, gbp)).toEqual({ taxAmount: 1.68 });
    expect(statedLineTax(rates, { netMinor: 833, taxCodeId: 'OUTPUT2', tax: '1.67' }, gbp)).toEqual({});
  });

  it('nothing is stated for a wider difference (a tax type at another rate stays visible), an unknown or zero rate, or without rates', () => {
    expect(statedLineTax(rates, { netMinor: 837, taxCodeId: 'OUTPUT2', tax: '0.42' }, gbp)).toEqual({});
    expect(statedLineTax(rates, { netMinor: 837, taxCodeId: 'OUTPUT9', tax: '1.68' }, gbp)).toEqual({});
    expect(statedLineTax(rates, { netMinor: 837, taxCodeId: 'ZERORATEDOUTPUT', tax: '0.01' }, gbp)).toEqual({});
    expect(statedLineTax(null, { netMinor: 837, taxCodeId: 'OUTPUT2', tax: '1.68' }, gbp)).toEqual({});
  });

  it("Xero's rates are read only for a refund with tax-exclusive amounts and some tax", () => {
    const line = (tax: string) => ({ itemId: 'TS', description: 'x', quantity: 1, unitPrice: '8.37', amount: '8.37', taxCodeId: 'OUTPUT2', tax });
    expect(mayStateTax({ taxesIncluded: false, lines: [line('1.68')], shipping: null }, gbp)).toBe(true);
    expect(mayStateTax({ taxesIncluded: true, lines: [line('1.68')], shipping: null }, gbp)).toBe(false);
    expect(mayStateTax({ taxesIncluded: false, lines: [line('0.00')], shipping: null }, gbp)).toBe(false);
  });
});
