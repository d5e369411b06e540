import { minorOf, transactionAmounts } from './transaction-currency.js';
import type { QboCompany } from './company.js';
import type { QboRecord } from './query-evaluation.js';
import type { ComputedTax, TaxableLine } from './sales-tax-rules.js';

/**
 * What QBO does with a `TxnTaxDetail.TotalTax` the client sends (FIDELITY-tax.md T15–T19):
 * - `honoured` (default): the supplied total replaces the computed tax [C: XSD "total tax override (when user
 *   specifies TxnTaxDetail.TotalTax)"; Intuit blog 2017-12-11 "the AST engine honors the amount"];
 * - `ignored`: QBO recomputes from its rates and drops the figure [S: SO 19300885, python-quickbooks#301];
 * - `ignored-with-automated-sales-tax`: honoured without automated sales tax, recomputed with it (the company
 *   user's AllowPartnerTaxOverride preference off, which the API does not show) [U].
 */
export type TotalTaxOverride = 'honoured' | 'ignored' | 'ignored-with-automated-sales-tax';

function refValue(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'value' in ref ? String((ref as QboRecord).value) : null;
}

/** The tax the computed rates put on the shipping line alone (what QBO adds back unless told it is inside the total). */
function shippingTaxCents(company: QboCompany, lines: TaxableLine[], tax: ComputedTax): number {
  const shipping = lines.filter((line) => line.isShipping);
  if (shipping.length === 0 || tax.taxLines.length === 0) return 0;
  const taxedShipping =
    company.country === 'US'
      ? shipping.filter((line) => refValue(line.detail.TaxCodeRef) === 'TAX').reduce((sum, line) => sum + line.amountCents, 0)
      : 0;
  if (taxedShipping === 0) return 0;
  const percent = tax.taxLines.reduce((sum, line) => sum + Number((line.TaxLineDetail as QboRecord).TaxPercent ?? 0), 0);
  return Math.round((taxedShipping * percent) / 100);
}

/**
 * Applies a client's TotalTax under the chosen variant. With `SalesTransaction.ShippingTaxIncludedInTotalTax`
 * true the supplied figure is the whole tax; otherwise QBO overrides the non-shipping tax only and adds the
 * shipping tax it computed [C: XSD documentation of ShippingTaxIncludedInTotalTax]. The difference is kept on
 * the first TaxLine as `OverrideDeltaAmount` [C: XSD TaxLineDetail], and the override is marked for review
 * with automated sales tax (`TaxReviewStatus` AST_TAX_OVERRIDE [C: XSD TaxReviewStatusEnum]).
 */
export function applyTotalTaxOverride(
  company: QboCompany,
  body: QboRecord,
  lines: TaxableLine[],
  tax: ComputedTax,
  mode: TotalTaxOverride,
): ComputedTax & { reviewStatus?: string } {
  const money = transactionAmounts(company, body);
  const supplied = minorOf((body.TxnTaxDetail as QboRecord | undefined)?.TotalTax, money);
  if (supplied === null || !company.preferences.usingSalesTax) return tax;
  const automated = company.preferences.partnerTaxEnabled;
  if (mode === 'ignored' || (mode === 'ignored-with-automated-sales-tax' && automated)) return tax;
  const total = supplied + (body.ShippingTaxIncludedInTotalTax === true ? 0 : shippingTaxCents(company, lines, tax));
  const delta = total - tax.totalTaxCents;
  if (delta === 0) return tax;
  // Prorated across the rates by their share of the computed tax; the last rate takes what rounding leaves.
  let left = total;
  const taxLines = tax.taxLines.map((line, index) => {
    const computed = minorOf(line.Amount, money) ?? 0;
    const share = index === tax.taxLines.length - 1 ? left : tax.totalTaxCents === 0 ? 0 : Math.round((total * computed) / tax.totalTaxCents);
    left -= share;
    const detail = { ...(line.TaxLineDetail as QboRecord), ...(index === 0 ? { OverrideDeltaAmount: Number(money.amount(delta)) } : {}) };
    return { ...line, Amount: Number(money.amount(share)), TaxLineDetail: detail };
  });
  return { ...tax, totalTaxCents: total, taxLines, ...(automated ? { reviewStatus: 'AST_TAX_OVERRIDE' } : {}) };
}
