import { BankTransaction } from 'xero-node';
import type { LedgerSale, LedgerTaxSetup } from '../../domain/accounting-target.js';
import type { SaleAccounts } from './sale-invoice-payload.js';
import { ownershipReference } from './sale-invoice-payload.js';
import { saleLineAmountTypes, saleLines, xeroCurrencyRate } from './sale-lines.js';

/** Reference limit assumed for bank transactions (the spec states none; 255 like invoices) [U]. */
const REFERENCE_MAX = 255;

/**
 * Receive money has no number of its own: its Reference carries the order's document number, a space, and our
 * "booked by ledgerbridge" header, so a lookup by the number's prefix finds it and the header says whose it is.
 */
export function receiveMoneyReference(docNumber: string, privateNote: string): string {
  return `${docNumber} ${ownershipReference(privateNote)}`.slice(0, REFERENCE_MAX);
}

/** A paid sale as one AUTHORISED receive-money transaction into the payment bank account. */
export function toSaleReceiveMoney(receipt: LedgerSale, setup: LedgerTaxSetup, accounts: SaleAccounts): BankTransaction {
  return {
    type: BankTransaction.TypeEnum.RECEIVE,
    contact: { contactID: receipt.customerId },
    bankAccount: { code: accounts.paymentAccountCode },
    date: receipt.date,
    reference: receiveMoneyReference(receipt.docNumber, receipt.marker),
    currencyCode: receipt.currency as unknown as BankTransaction['currencyCode'],
    ...xeroCurrencyRate(receipt),
    status: BankTransaction.StatusEnum.AUTHORISED,
    lineAmountTypes: saleLineAmountTypes(receipt, setup),
    lineItems: saleLines(receipt, accounts.shippingAccountCode, 'folded'),
  };
}
