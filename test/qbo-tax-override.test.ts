import { describe, expect, it } from 'vitest';
import type { LedgerSalesLine, LedgerTaxCode, LedgerTaxSetup } from '../domain/accounting-target.js';
import { onlyTaxCodeOf, totalTaxOverride } from '../platforms/qbo/tax-override.js';

const VAT_UK: LedgerTaxSetup = { mode: 'per-line', country: 'GB' };
const CODES: LedgerTaxCode[] = [
  { id: '3', name: '20.0% S', ratePercent: 20, active: true },
  { id: '5', name: '5.0% R', ratePercent: 5, active: true },
  { id: '7', name: '0.0% Z', ratePercent: 0, active: true },
];
/** A refund receipt line as the payload carries it: its net and its VAT code. */
const line = (amount: number, code: string) => ({ DetailType: 'SalesItemLineDetail', Amount: amount, SalesItemLineDetail: { TaxCodeRef: { value: code } } });
/** The reversal of test/refund-sync-woocommerce.test.ts: nets 44.17 at 20 % (QuickBooks: 8.83 once), its lines' own VAT 8.84. */
const reversalLines = [line(33.65, '3'), line(6.74, '3'), line(3.78, '3')];
const refund = (totalTax: string, taxesIncluded = false) => ({ totalTax, currency: 'GBP', saleTaxCodeId: null, taxesIncluded });

describe("a VAT company's refund receipt states its tax where QuickBooks' once-per-rate rounding cannot make it", () => {
  it('one code on every taxed line and a rounding difference: the VAT goes as the total tax override, shipping inside it', () => {
    expect(totalTaxOverride(refund('8.84'), VAT_UK, reversalLines, CODES)).toEqual({ TotalTax: 8.84, ShippingTaxIncludedInTotalTax: true });
    // A zero-rated line beside them changes nothing: it carries no VAT.
    expect(totalTaxOverride(refund('8.84'), VAT_UK, [...reversalLines, line(2, '7')], CODES)).toEqual({ TotalTax: 8.84, ShippingTaxIncludedInTotalTax: true });
  });

  it('nothing is stated where QuickBooks makes the same figure, on a sale (no code rates read), over two codes, beyond rounding, or on tax-inclusive amounts', () => {
    expect(totalTaxOverride(refund('8.83'), VAT_UK, reversalLines, CODES)).toBeNull();
    expect(totalTaxOverride(refund('8.84'), VAT_UK, reversalLines, null)).toBeNull();
    expect(totalTaxOverride(refund('8.90'), VAT_UK, [...reversalLines, line(10, '5')], CODES)).toBeNull();
    // A code at another rate than the shop charged stays visible: QuickBooks' figure, and the refund waits on it.
    expect(totalTaxOverride(refund('9.50'), VAT_UK, reversalLines, CODES)).toBeNull();
    expect(totalTaxOverride(refund('8.84', true), VAT_UK, reversalLines, CODES)).toBeNull();
    expect(totalTaxOverride(refund('8.84'), VAT_UK, [line(33.65, '3'), line(6.74, '99')], CODES)).toBeNull();
  });

  it('the one code the taxed lines carry is the one whose rate is read', () => {
    const sold = (taxCodeId: string | null, tax: string): LedgerSalesLine => ({ itemId: '1', description: 'Tee', quantity: 1, unitPrice: '10.00', amount: '10.00', taxCodeId, tax });
    expect(onlyTaxCodeOf({ currency: 'GBP', lines: [sold('3', '2.00'), sold('7', '0.00')], shipping: { amount: '4.50', taxCodeId: '3', tax: '0.90' } })).toBe('3');
    expect(onlyTaxCodeOf({ currency: 'GBP', lines: [sold('3', '2.00'), sold('5', '0.50')], shipping: null })).toBeNull();
    expect(onlyTaxCodeOf({ currency: 'GBP', lines: [sold('7', '0.00')], shipping: null })).toBeNull();
  });
});
