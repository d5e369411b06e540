import type { LedgerSale, LedgerTaxCode, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { amountsIn, minorUnitDigits, type Amounts } from '../../domain/money.js';
import type { QboEntity } from './qbo-client.js';
import { totalTaxOverride } from './tax-override.js';
import { US_NOT_TAXABLE, US_TAXABLE } from './us-line-tax-codes.js';

export { US_NOT_TAXABLE, US_TAXABLE };

/** QBO's pseudo item for the shipping line (needs Preferences.SalesFormsPrefs.AllowShipping). */
export const SHIPPING_ITEM_ID = 'SHIPPING_ITEM_ID';

/** QBO wants numbers, not strings, for amounts: minor units of the sale's currency as its decimal amount. */
function number(minor: number, money: Amounts): number {
  return Number(money.amount(minor));
}

/** Unit price of a line whose amount is not a whole number of minor units per unit: QBO keeps up to 7 decimals. */
function unitPrice(amountMinor: number, quantity: number, currency: string): number {
  return quantity === 0 ? 0 : Math.round((amountMinor / quantity) * 10 ** (7 - minorUnitDigits(currency))) / 10_000_000;
}

interface LineAmounts {
  /** What QBO reads as the line's Amount: net of discount, and net of tax too when the shop's prices include it. */
  amountMinor: number;
  /** Tax-inclusive lines: the price the customer paid for the line, which QBO keeps as the line's total. */
  inclusiveMinor: number | null;
}

/**
 * A line as QuickBooks reads it. Discounts are taken off the line, so the ledger taxes what the shop taxed.
 * With tax-inclusive prices QBO's Amount is still net of tax and `TaxInclusiveAmt` carries the price paid;
 * QBO works the tax out of the latter, so the receipt's total is what the customer paid.
 */
function lineAmounts(grossMinor: number, discount: string | undefined, tax: string | undefined, inclusive: boolean, money: Amounts): LineAmounts {
  const afterDiscount = grossMinor - (discount === undefined ? 0 : money.minor(discount));
  if (!inclusive) return { amountMinor: afterDiscount, inclusiveMinor: null };
  return { amountMinor: afterDiscount - money.minor(tax ?? '0'), inclusiveMinor: afterDiscount };
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
  const money = amountsIn(receipt.currency);
  const inclusive = receipt.taxesIncluded && setup.mode !== 'off';
  const perLineInclusive = inclusive && setup.mode === 'per-line';
  // Runs mapped before lines carried their discount book it as one discount line, as they always did.
  const discountOnLines = receipt.lines.every((line) => line.discount !== undefined);
  const lines: QboEntity[] = receipt.lines.map((line) => {
    const { amountMinor, inclusiveMinor } = lineAmounts(money.minor(line.amount), line.discount, line.tax, inclusive, money);
    const exactUnit = line.quantity !== 0 && amountMinor % line.quantity === 0;
    return {
      DetailType: 'SalesItemLineDetail',
      Amount: number(amountMinor, money),
      Description: line.description,
      SalesItemLineDetail: {
        ItemRef: { value: line.itemId },
        Qty: line.quantity,
        UnitPrice: exactUnit ? number(amountMinor / line.quantity, money) : unitPrice(amountMinor, line.quantity, receipt.currency),
        ...(perLineInclusive && inclusiveMinor !== null ? { TaxInclusiveAmt: number(inclusiveMinor, money) } : {}),
        ...lineTaxCode(setup, line.taxCodeId, line.taxable ?? line.taxCodeId !== null),
      },
    };
  });
  if (!discountOnLines && money.minor(receipt.discount) !== 0) {
    lines.push({
      DetailType: 'DiscountLineDetail',
      Amount: number(money.minor(receipt.discount), money),
      DiscountLineDetail: { PercentBased: false },
    });
  }
  if (receipt.shipping !== null) {
    const shipping = receipt.shipping;
    const { amountMinor, inclusiveMinor } = lineAmounts(money.minor(shipping.amount), undefined, shipping.tax, inclusive && shipping.tax !== undefined, money);
    lines.push({
      DetailType: 'SalesItemLineDetail',
      Amount: number(amountMinor, money),
      SalesItemLineDetail: {
        ItemRef: { value: SHIPPING_ITEM_ID },
        ...(perLineInclusive && inclusiveMinor !== null ? { TaxInclusiveAmt: number(inclusiveMinor, money) } : {}),
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
    // Home-currency units per unit of the sale's; without it QuickBooks uses its own rate of the day.
    ...(receipt.exchangeRate ? { ExchangeRate: Number(receipt.exchangeRate) } : {}),
    ...globalTaxCalculation(setup, receipt.taxesIncluded),
    Line: lines,
    ...(Object.keys(txnTaxDetail).length > 0 ? { TxnTaxDetail: txnTaxDetail } : {}),
    ...(override ? { ShippingTaxIncludedInTotalTax: override.ShippingTaxIncludedInTotalTax } : {}),
    PrivateNote: receipt.internalNote,
    ...(receipt.customerMemo === null ? {} : { CustomerMemo: { value: receipt.customerMemo } }),
  };
}
