import { describe, expect, it } from 'vitest';
import { taxCodeSuggestions } from '../domain/tax-suggestions.js';

const code = (id: string, name: string, ratePercent: number, active = true) => ({ id, name, ratePercent, active });
const CODES = [
  code('1', 'VAT', 20),
  code('2', '20.0% ECG', 20),
  code('3', 'CA Sales Tax', 7.25),
  code('4', 'Old CA State Tax', 7.25, false),
  code('5', 'Reduced rate', 5),
  code('6', 'Zero rated', 0),
  code('7', 'Exempt', 0),
  code('8', 'Los Angeles', 9.5),
];

describe('tax code suggestions on the Mappings page', () => {
  it('offers only active codes at the tax rate, the closest name first', () => {
    expect(taxCodeSuggestions('CA State Tax@7.25', CODES).map((c) => c.name)).toEqual(['CA Sales Tax']);
    expect(taxCodeSuggestions('Sales VAT@20', CODES).map((c) => c.name)).toEqual(['VAT', '20.0% ECG']);
    expect(taxCodeSuggestions('ECG@20', CODES).map((c) => c.name)).toEqual(['20.0% ECG', 'VAT']);
  });

  it('sums a combined key and matches a zero rate to the codes at 0 %', () => {
    expect(taxCodeSuggestions('CA State@6+LA County@3.5', CODES).map((c) => c.id)).toEqual(['8']);
    expect(taxCodeSuggestions('No tax@0', CODES).map((c) => c.id).sort()).toEqual(['6', '7']);
  });

  it('offers nothing rather than a code at another rate', () => {
    expect(taxCodeSuggestions('GST@15', CODES)).toEqual([]);
  });
});
