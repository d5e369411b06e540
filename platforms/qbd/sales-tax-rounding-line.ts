import type { LedgerSale, LedgerTaxCode } from '../../domain/accounting-target.js';
import { amountsIn } from '../../domain/money.js';
import { isRoundingDifference, taxOnceAtRate } from '../../domain/once-per-rate-tax.js';

/** A line of the credit memo's own sales tax item carrying the cent its rate, rounded once, misses. */
export interface SalesTaxRoundingLine {
  /** Signed, in the currency's minor units: what the shop gave back in tax less what QuickBooks works out. */
  amountMinor: number;
  description: string;
}

/**
 * QuickBooks Desktop taxes a credit memo once, with its sales tax item's rate on the sum of the taxable lines' nets,
 * and takes no stated tax total; so a refund whose gross no net makes up at the rate (53.01 at 20 %: 44.17 gives
 * 53.00, 44.18 gives 53.02), or whose tax the shop rounded line by line, comes out a cent off. QuickBooks' own way to
 * book such a cent is a line of the sales tax item with the adjustment as its amount (Intuit: "In the Item column …
 * select the sales tax item you want to adjust. In the Amount column, enter the amount of the adjustment";
 * emulators/qbd/FIDELITY.md): it goes to the same item's tax liability, visible on the document with why.
 * Only where the difference is rounding (a minor unit a taxed line at most), the shop's amounts exclude tax, and the
 * refund has the sale's one sales tax item: a wider difference (an item at another rate) stays visible as a total
 * that differs from the shop's, and waits.
 */
export function salesTaxRoundingLine(
  refund: Pick<LedgerSale, 'lines' | 'shipping' | 'totalTax' | 'currency' | 'taxesIncluded' | 'saleTaxCodeId'>,
  taxItem: Pick<LedgerTaxCode, 'name' | 'ratePercent'> | undefined,
  shippingSent: boolean,
): SalesTaxRoundingLine | null {
  if (!taxItem || !refund.saleTaxCodeId || refund.taxesIncluded || !(taxItem.ratePercent > 0)) return null;
  const money = amountsIn(refund.currency);
  // The nets QuickBooks taxes: the lines marked Tax (net of their discount, as sent), and the shipping when it is.
  const taxedNets = [
    ...refund.lines.filter((line) => line.taxable === true).map((line) => money.minor(line.amount) - money.minor(line.discount ?? '0')),
    ...(shippingSent && refund.shipping?.taxable === true ? [money.minor(refund.shipping.amount)] : []),
  ];
  if (taxedNets.length === 0) return null;
  const base = taxedNets.reduce((sum, net) => sum + net, 0);
  const ledgerTax = taxOnceAtRate(base, taxItem.ratePercent / 100);
  const shopTax = money.minor(refund.totalTax);
  const difference = shopTax - ledgerTax;
  if (difference === 0 || !isRoundingDifference(difference, taxedNets.length)) return null;
  return {
    amountMinor: difference,
    description:
      `${taxItem.name} rounding: the shop gave back ${money.amount(shopTax)} of tax; ` +
      `QuickBooks works out ${money.amount(ledgerTax)} (${taxItem.ratePercent} % of ${money.amount(base)}, rounded once)`,
  };
}
