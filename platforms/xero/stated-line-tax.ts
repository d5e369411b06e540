import type { LedgerSale, LedgerTaxCode } from '../../domain/accounting-target.js';
import type { Amounts } from '../../domain/money.js';

/** Xero's rates (percent) by TaxType, read for a refund whose lines may state their tax; null: state none. */
export type StatedTaxRates = ReadonlyMap<string, number> | null;

export function statedTaxRates(codes: LedgerTaxCode[]): StatedTaxRates {
  return new Map(codes.map((code) => [code.id, code.ratePercent]));
}

/** Whether a refund has a line whose tax Xero would work out itself (tax-exclusive amounts, some tax charged). */
export function mayStateTax(refund: Pick<LedgerSale, 'taxesIncluded' | 'lines' | 'shipping'>, money: Amounts): boolean {
  const taxed = [...refund.lines, ...(refund.shipping ? [refund.shipping] : [])].some((line) => line.tax !== undefined && money.minor(line.tax) !== 0);
  return !refund.taxesIncluded && taxed;
}

/**
 * A refund line's own tax as `LineItem.TaxAmount` (Xero: "can be overriden", FIDELITY [C]) where Xero's figure, its
 * rate on the line's net rounded on the line, is a cent apart from it: a refund of an amount alone, or a line of a
 * cancellation's reversal, whose gross no net makes up at the rate (10.05 at 20 %: 8.37 gives 10.04, 8.38 10.06).
 * Nothing is stated for a wider difference: a tax type at another rate than the shop charged stays visible as a
 * total that differs from the shop's.
 */
export function statedLineTax(rates: StatedTaxRates, line: { netMinor: number; taxCodeId: string | null; tax?: string | undefined }, money: Amounts): { taxAmount?: number } {
  if (!rates || line.tax === undefined || !line.taxCodeId) return {};
  const rate = rates.get(line.taxCodeId);
  if (rate === undefined || rate === 0) return {};
  const xeroTax = Math.round(Number(((line.netMinor * rate) / 100).toFixed(6)));
  const difference = money.minor(line.tax) - xeroTax;
  return difference !== 0 && Math.abs(difference) <= 1 ? { taxAmount: Number(money.amount(money.minor(line.tax))) } : {};
}
