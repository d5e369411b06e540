import type { LedgerSale, LedgerTaxCode, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { amountsIn, type Amounts } from '../../domain/money.js';
import { isRoundingDifference } from '../../domain/once-per-rate-tax.js';
import type { QboEntity } from './qbo-client.js';
import { US_TAXABLE } from './us-line-tax-codes.js';

/**
 * The shop's tax, sent as QuickBooks' total tax override (`TxnTaxDetail.TotalTax`, with
 * `ShippingTaxIncludedInTotalTax` so QBO does not add its own shipping tax on top), where it only settles rounding:
 * Shopify rounds tax on each line, QuickBooks once per rate on the taxable subtotal, so a US sale can come out a
 * cent apart. Sent:
 * - with a mapped sale tax code (`per-sale`) when the shop's tax is within a cent per taxed line of what the
 *   code's rate gives: a code at the wrong rate is still booked at its rate and parks the order with both figures;
 * - with automated sales tax (`ledger-computed`), which Intuit says honours an explicit amount and prorates it;
 * - on a `per-line` (VAT/GST) company's refund receipt only (the caller read its code's rate: `bookRefund`), when
 *   every taxed line has one tax code and only rounding parts the two figures: a reversal after refunds of an
 *   amount alone may come to a gross no net makes up at QuickBooks' once-per-rate rounding (one in six at 20 %).
 *   Never on a `per-line` sale, nor over several codes, whose tax lines per code we do not send.
 * QuickBooks may still recompute (unconfirmed; FIDELITY-tax.md T19, T20): the total check after booking catches it.
 */
export interface TotalTaxOverride {
  TotalTax: number;
  ShippingTaxIncludedInTotalTax: true;
}

function lineTaxCode(line: QboEntity): string | undefined {
  return ((line.SalesItemLineDetail as QboEntity | undefined)?.TaxCodeRef as { value?: string } | undefined)?.value;
}

/** Lines QBO taxes in a US company: those the payload marked `TAX`. */
function taxedLines(payloadLines: QboEntity[]): QboEntity[] {
  return payloadLines.filter((line) => lineTaxCode(line) === US_TAXABLE);
}

/** What QuickBooks would compute at this rate on these lines, rounded once (T8). */
function ledgerTaxMinor(lines: QboEntity[], ratePercent: number, money: Amounts): number {
  const base = lines.reduce((sum, line) => sum + money.minor(Number(line.Amount)), 0);
  return Math.round((base * ratePercent) / 100);
}

/** A per-line company's refund receipt: the override where its taxed lines share one code and only rounding differs. */
function perLineOverride(shopTax: number, payloadLines: QboEntity[], taxCodes: LedgerTaxCode[], money: Amounts): boolean {
  const rateOf = (line: QboEntity) => taxCodes.find((code) => code.id === lineTaxCode(line))?.ratePercent;
  if (payloadLines.some((line) => lineTaxCode(line) !== undefined && rateOf(line) === undefined)) return false;
  const taxed = payloadLines.filter((line) => (rateOf(line) ?? 0) > 0);
  const codes = new Set(taxed.map(lineTaxCode));
  if (codes.size !== 1) return false;
  const difference = shopTax - ledgerTaxMinor(taxed, rateOf(taxed[0]!)!, money);
  return difference !== 0 && isRoundingDifference(difference, taxed.length);
}

export function totalTaxOverride(
  receipt: Pick<LedgerSale, 'totalTax' | 'saleTaxCodeId' | 'currency' | 'taxesIncluded'>,
  setup: LedgerTaxSetup,
  payloadLines: QboEntity[],
  taxCodes: LedgerTaxCode[] | null,
): TotalTaxOverride | null {
  const money = amountsIn(receipt.currency);
  const shopTax = money.minor(receipt.totalTax);
  const override = { TotalTax: Number(money.amount(shopTax)), ShippingTaxIncludedInTotalTax: true as const };
  if (setup.mode === 'per-line') return taxCodes !== null && !receipt.taxesIncluded && perLineOverride(shopTax, payloadLines, taxCodes, money) ? override : null;
  const taxed = taxedLines(payloadLines);
  if (taxed.length === 0) return null;
  if (setup.mode === 'ledger-computed') return override;
  if (setup.mode !== 'per-sale' || !receipt.saleTaxCodeId || taxCodes === null) return null;
  const code = taxCodes.find((candidate) => candidate.id === receipt.saleTaxCodeId);
  if (!code) return null;
  return isRoundingDifference(shopTax - ledgerTaxMinor(taxed, code.ratePercent, money), taxed.length) ? override : null;
}

/** The one tax code the lines the shop taxed carry (shipping included); null for none or several. */
export function onlyTaxCodeOf(document: Pick<LedgerSale, 'lines' | 'shipping' | 'currency'>): string | null {
  const money = amountsIn(document.currency);
  const taxed = [...document.lines, ...(document.shipping ? [document.shipping] : [])].filter((line) => line.tax !== undefined && money.minor(line.tax) !== 0);
  const codes = new Set(taxed.map((line) => line.taxCodeId));
  const [only] = [...codes];
  return codes.size === 1 && only ? only : null;
}
