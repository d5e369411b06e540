import type { LedgerSale, LedgerTaxCode, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { toCents } from '../../domain/money.js';
import type { QboEntity } from './qbo-client.js';
import { totalTaxOverride } from './tax-override.js';
import { US_NOT_TAXABLE, US_TAXABLE } from './us-line-tax-codes.js';

export { US_NOT_TAXABLE, US_TAXABLE };

/** QBO's pseudo item for the shipping line (needs Preferences.SalesFormsPrefs.AllowShipping). */
export const SHIPPING_ITEM_ID = 'SHIPPING_ITEM_ID';

/** QBO wants numbers, not strings, for amounts. */
function money(cents: number): number {
  return cents / 100;
}

/** Unit price of a line whose amount is not a whole number of cents per unit: QBO keeps up to 7 decimals. */
function unitPrice(amountCents: number, quantity: number): number {
  return quantity === 0 ? 0 : Math.round((amountCents / quantity) * 100_000) / 10_000_000;
}

interface LineAmounts {
  /** What QBO reads as the line's Amount: net of discount, and net of tax too when the shop's prices include it. */
  amountCents: number;
  /** Tax-inclusive lines: the price the customer paid for the line, which QBO keeps as the line's total. */
  inclusiveCents: number | null;
}

/**
 * A line as QuickBooks reads it. Discounts are taken off the line, so the ledger taxes what the shop taxed.
 * With tax-inclusive prices QBO's Amount is still net of tax and `TaxInclusiveAmt` carries the price paid;
 * QBO works the tax out of the latter, so the receipt's total is what the customer paid.
 */
function lineAmounts(grossCents: number, discount: string | undefined, tax: string | undefined, inclusive: boolean): LineAmounts {
  const afterDiscount = grossCents - (discount === undefined ? 0 : toCents(discount));
  if (!inclusive) return { amountCents: afterDiscount, inclusiveCents: null };
  return { amountCents: afterDiscount - toCents(tax ?? '0'), inclusiveCents: afterDiscount };
}

function lineTaxCode(setup: LedgerTaxSetup, taxCodeId: string | null, taxable: boolean | undefined): { TaxCodeRef?: { value: string } } {
  switch (setup.mode) {
    case 'per-line':
      return taxCodeId === null ? {} : { TaxCodeRef: { value: taxCodeId } };
    case 'per-sale':
    case 'ledger-computed':
      return { TaxCodeRef: { value: taxable ? US_TAXABLE : US_NOT_TAXABLE } };
    case 'off':
      return {};
  }
}

/** How the receipt states its amounts: only non-US companies take it (US: "not applicable"). */
function globalTaxCalculation(setup: LedgerTaxSetup, taxesIncluded: boolean): { GlobalTaxCalculation?: string } {
  if (setup.mode === 'per-line') return { GlobalTaxCalculation: taxesIncluded ? 'TaxInclusive' : 'TaxExcluded' };
  if (setup.mode === 'off' && setup.country !== 'US') return { GlobalTaxCalculation: 'NotApplicable' };
  return {};
}

/**
 * A LedgerSale as the JSON body of POST /salesreceipt, for a company with this tax setup. `taxCodes`
 * (the company's list, when known) lets a US sale carry the shop's tax as an override of a rounding difference.
 */
export function toQboSalesReceipt(receipt: LedgerSale, setup: LedgerTaxSetup, taxCodes: LedgerTaxCode[] | null = null): QboEntity {
  // Prices that include tax: a US company has no such form, so its lines go net of tax and QBO adds it back.
  const inclusive = receipt.taxesIncluded && setup.mode !== 'off';
  const perLineInclusive = inclusive && setup.mode === 'per-line';
  // Runs mapped before lines carried their discount book it as one discount line, as they always did.
  const discountOnLines = receipt.lines.every((line) => line.discount !== undefined);
  const lines: QboEntity[] = receipt.lines.map((line) => {
    const { amountCents, inclusiveCents } = lineAmounts(toCents(line.amount), line.discount, line.tax, inclusive);
    const exactUnit = line.quantity !== 0 && amountCents % line.quantity === 0;
    return {
      DetailType: 'SalesItemLineDetail',
      Amount: money(amountCents),
      Description: line.description,
      SalesItemLineDetail: {
        ItemRef: { value: line.itemId },
        Qty: line.quantity,
        UnitPrice: exactUnit ? money(amountCents / line.quantity) : unitPrice(amountCents, line.quantity),
        ...(perLineInclusive && inclusiveCents !== null ? { TaxInclusiveAmt: money(inclusiveCents) } : {}),
        ...lineTaxCode(setup, line.taxCodeId, line.taxable ?? line.taxCodeId !== null),
      },
    };
  });
  if (!discountOnLines && toCents(receipt.discount) !== 0) {
    lines.push({
      DetailType: 'DiscountLineDetail',
      Amount: money(toCents(receipt.discount)),
      DiscountLineDetail: { PercentBased: false },
    });
  }
  if (receipt.shipping !== null) {
    const shipping = receipt.shipping;
    const { amountCents, inclusiveCents } = lineAmounts(toCents(shipping.amount), undefined, shipping.tax, inclusive && shipping.tax !== undefined);
    lines.push({
      DetailType: 'SalesItemLineDetail',
      Amount: money(amountCents),
      SalesItemLineDetail: {
        ItemRef: { value: SHIPPING_ITEM_ID },
        ...(perLineInclusive && inclusiveCents !== null ? { TaxInclusiveAmt: money(inclusiveCents) } : {}),
        ...lineTaxCode(setup, shipping.taxCodeId, shipping.taxable ?? shipping.taxCodeId !== null),
      },
    });
  }
  // The ledger computes the tax from its own rates, overridden by the shop's where only rounding tells them apart;
  // what the shop charged is checked against TotalAmt after booking either way.
  const override = totalTaxOverride(receipt, setup, lines, taxCodes);
  const txnTaxDetail = {
    ...(setup.mode === 'per-sale' && receipt.saleTaxCodeId ? { TxnTaxCodeRef: { value: receipt.saleTaxCodeId } } : {}),
    ...(override ? { TotalTax: override.TotalTax } : {}),
  };
  return {
    DocNumber: receipt.docNumber,
    TxnDate: receipt.date,
    CustomerRef: { value: receipt.customerId },
    CurrencyRef: { value: receipt.currency },
    ...globalTaxCalculation(setup, receipt.taxesIncluded),
    Line: lines,
    ...(Object.keys(txnTaxDetail).length > 0 ? { TxnTaxDetail: txnTaxDetail } : {}),
    ...(override ? { ShippingTaxIncludedInTotalTax: override.ShippingTaxIncludedInTotalTax } : {}),
    PrivateNote: receipt.internalNote,
    ...(receipt.customerMemo === null ? {} : { CustomerMemo: { value: receipt.customerMemo } }),
  };
}
