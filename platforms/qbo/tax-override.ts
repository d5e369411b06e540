import type { LedgerSale, LedgerTaxCode, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { amountsIn, type Amounts } from '../../domain/money.js';
import type { QboEntity } from './qbo-client.js';
import { US_TAXABLE } from './us-line-tax-codes.js';

/**
 * The shop's tax, sent as QuickBooks' total tax override (`TxnTaxDetail.TotalTax`, with
 * `ShippingTaxIncludedInTotalTax` so QBO does not add its own shipping tax on top), where it only settles rounding:
 * Shopify rounds tax on each line, QuickBooks once per rate on the taxable subtotal, so a US sale can come out a
 * cent apart. Sent:
 * - with a mapped sale tax code (`per-sale`) when the shop's tax is within a cent per taxed line of what the
 *   code's rate gives: a code at the wrong rate is still booked at its rate and parks the order with both figures;
 * - with automated sales tax (`ledger-computed`), which Intuit says honours an explicit amount and prorates it.
 * Never for `per-line` (VAT/GST) companies, whose tax lines per code we do not send. QuickBooks may still
 * recompute (unconfirmed; FIDELITY-tax.md): the total check after booking catches it.
 */
export interface TotalTaxOverride {
  TotalTax: number;
  ShippingTaxIncludedInTotalTax: true;
}

/** Lines QBO taxes in a US company: those the payload marked `TAX`. */
function taxedLines(payloadLines: QboEntity[]): QboEntity[] {
  return payloadLines.filter((line) => ((line.SalesItemLineDetail as QboEntity | undefined)?.TaxCodeRef as { value?: string } | undefined)?.value === US_TAXABLE);
}

/** What QuickBooks would compute at this rate on the taxed lines, rounded once. */
function ledgerTaxMinor(payloadLines: QboEntity[], ratePercent: number, money: Amounts): number {
  const base = taxedLines(payloadLines).reduce((sum, line) => sum + money.minor(Number(line.Amount)), 0);
  return Math.round((base * ratePercent) / 100);
}

/** Per-line rounding moves the shop's figure by at most half a minor unit a jurisdiction; one a taxed line covers it. */
export function isRoundingDifference(differenceMinor: number, taxedLineCount: number): boolean {
  return Math.abs(differenceMinor) <= Math.max(1, taxedLineCount);
}

export function totalTaxOverride(
  receipt: Pick<LedgerSale, 'totalTax' | 'saleTaxCodeId' | 'currency'>,
  setup: LedgerTaxSetup,
  payloadLines: QboEntity[],
  taxCodes: LedgerTaxCode[] | null,
): TotalTaxOverride | null {
  const money = amountsIn(receipt.currency);
  const shopTax = money.minor(receipt.totalTax);
  const taxed = taxedLines(payloadLines);
  if (taxed.length === 0) return null;
  const override = { TotalTax: Number(money.amount(shopTax)), ShippingTaxIncludedInTotalTax: true as const };
  if (setup.mode === 'ledger-computed') return override;
  if (setup.mode !== 'per-sale' || !receipt.saleTaxCodeId || taxCodes === null) return null;
  const code = taxCodes.find((candidate) => candidate.id === receipt.saleTaxCodeId);
  if (!code) return null;
  return isRoundingDifference(shopTax - ledgerTaxMinor(payloadLines, code.ratePercent, money), taxed.length) ? override : null;
}
