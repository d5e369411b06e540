import type { LedgerSalesReceipt } from '../../domain/accounting-target.js';
import { toCents } from '../../domain/money.js';
import type { QboEntity } from './qbo-client.js';

/** QBO's pseudo item for the shipping line (needs Preferences.SalesFormsPrefs.AllowShipping). */
export const SHIPPING_ITEM_ID = 'SHIPPING_ITEM_ID';

/** QBO wants numbers, not strings, for amounts. */
function amount(value: string): number {
  return toCents(value) / 100;
}

function taxCodeRef(taxCodeId: string | null): { TaxCodeRef?: { value: string } } {
  return taxCodeId === null ? {} : { TaxCodeRef: { value: taxCodeId } };
}

/** A LedgerSalesReceipt as the JSON body of POST /salesreceipt. */
export function toQboSalesReceipt(receipt: LedgerSalesReceipt): QboEntity {
  const lines: QboEntity[] = receipt.lines.map((line) => ({
    DetailType: 'SalesItemLineDetail',
    Amount: amount(line.amount),
    Description: line.description,
    SalesItemLineDetail: {
      ItemRef: { value: line.itemId },
      Qty: line.quantity,
      UnitPrice: amount(line.unitPrice),
      ...taxCodeRef(line.taxCodeId),
    },
  }));
  if (toCents(receipt.discount) !== 0) {
    lines.push({
      DetailType: 'DiscountLineDetail',
      Amount: amount(receipt.discount),
      DiscountLineDetail: { PercentBased: false },
    });
  }
  if (receipt.shipping !== null) {
    lines.push({
      DetailType: 'SalesItemLineDetail',
      Amount: amount(receipt.shipping.amount),
      SalesItemLineDetail: { ItemRef: { value: SHIPPING_ITEM_ID }, ...taxCodeRef(receipt.shipping.taxCodeId) },
    });
  }
  return {
    DocNumber: receipt.docNumber,
    TxnDate: receipt.txnDate,
    CustomerRef: { value: receipt.customerId },
    CurrencyRef: { value: receipt.currency },
    GlobalTaxCalculation: receipt.taxesIncluded ? 'TaxInclusive' : 'TaxExcluded',
    Line: lines,
    TxnTaxDetail: { TotalTax: amount(receipt.totalTax) },
    PrivateNote: receipt.privateNote,
    ...(receipt.customerMemo === null ? {} : { CustomerMemo: { value: receipt.customerMemo } }),
  };
}
