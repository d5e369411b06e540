import { Invoice, type Payment } from 'xero-node';
import type { LedgerSale, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { amountsIn } from '../../domain/money.js';
import { saleLineAmountTypes, saleLines, xeroCurrencyRate } from './sale-lines.js';

export interface SaleAccounts {
  /** Revenue account the shipping line is booked to. */
  shippingAccountCode: string;
  /** Bank (or payments-enabled) account the payment goes to. */
  paymentAccountCode: string;
}

/** The line of our "booked by ledgerbridge" header: Xero's Reference marks the invoice as ours. */
export function ownershipReference(privateNote: string): string {
  return privateNote.split('\n', 1)[0]!;
}

/**
 * A paid sale as an AUTHORISED sales invoice (ACCREC) numbered with the order's document number: items by code
 * (their sales account applies), the line's tax type, the shop's discount per line, shipping on its own line.
 * Xero works out the tax from its own rates; the engine compares its total with the shop's.
 */
export function toSaleInvoice(receipt: LedgerSale, setup: LedgerTaxSetup, accounts: SaleAccounts): Invoice {
  return {
    type: Invoice.TypeEnum.ACCREC,
    contact: { contactID: receipt.customerId },
    date: receipt.date,
    dueDate: receipt.date,
    invoiceNumber: receipt.docNumber,
    reference: ownershipReference(receipt.marker),
    // CurrencyCode is an enum of ISO codes; the shop's ISO code is one of them.
    currencyCode: receipt.currency as unknown as Invoice['currencyCode'],
    ...xeroCurrencyRate(receipt),
    status: Invoice.StatusEnum.AUTHORISED,
    lineAmountTypes: saleLineAmountTypes(receipt, setup),
    lineItems: saleLines(receipt, accounts.shippingAccountCode, 'per-line'),
  };
}

/**
 * The payment that settles the invoice: the shop's total, or what Xero says is due when that is less (a
 * total that differs from the shop's is reported by the engine; the difference stays visible as due).
 */
export function toSalePayment(
  invoice: { invoiceID: string; amountDue: number; invoiceNumber: string },
  shopTotal: string | null,
  date: string,
  accountCode: string,
  /** The invoice's currency, and its CurrencyRate when not the base currency's. */
  invoiceCurrency: { code: string; rate: number | null },
): Payment {
  const money = amountsIn(invoiceCurrency.code);
  const due = money.minor(invoice.amountDue);
  const amount = shopTotal === null ? due : Math.min(due, money.minor(shopTotal));
  return {
    invoice: { invoiceID: invoice.invoiceID },
    account: { code: accountCode },
    date,
    amount: Number(money.amount(amount)),
    // A payment of a foreign-currency invoice at the invoice's rate, so no exchange gain or loss appears (notes §12).
    ...(invoiceCurrency.rate !== null && invoiceCurrency.rate !== 1 ? { currencyRate: invoiceCurrency.rate } : {}),
    reference: invoice.invoiceNumber,
  };
}
