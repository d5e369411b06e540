import { randomUUID } from 'node:crypto';
import { isIsoDate, isNumber, round2, tooLong } from './field-rules.js';
import type { Outcome } from './invoice-rules.js';
import { sameText, type XeroOrganisation, type XeroRecord } from './organisation.js';
import { dateMs, msDate } from './wire-format.js';

/** An account a payment can go to: a bank account, or one with "enable payments to this account" [C/S]. */
function canReceivePayments(account: XeroRecord): boolean {
  return account.Status === 'ACTIVE' && (account.Type === 'BANK' || account.EnablePaymentsToAccount === true);
}

/** Validates a payment against an invoice and applies it: the invoice's AmountDue falls, PAID at zero. */
export function createPayment(org: XeroOrganisation, input: XeroRecord): Outcome {
  const errors: string[] = [];
  const invoiceRef = (input.Invoice && typeof input.Invoice === 'object' ? input.Invoice : {}) as XeroRecord;
  const invoice =
    typeof invoiceRef.InvoiceID === 'string'
      ? org.invoiceById(invoiceRef.InvoiceID)
      : typeof invoiceRef.InvoiceNumber === 'string'
        ? org.invoices.find((i) => i.Type === 'ACCREC' && sameText(i.InvoiceNumber, invoiceRef.InvoiceNumber))
        : undefined;
  if (!invoice) errors.push('Invoice could not be found');
  const accountRef = (input.Account && typeof input.Account === 'object' ? input.Account : {}) as XeroRecord;
  const account = org.account(accountRef);
  if (!account) errors.push('Account could not be found');
  else if (!canReceivePayments(account)) errors.push('Account type is invalid for making a payment to/from');
  if (!isIsoDate(input.Date)) errors.push('Payment date is required and must be a valid date.');
  if (!isNumber(input.Amount) || input.Amount <= 0) errors.push('Payment amount must be greater than zero.');
  const reference = tooLong('Reference', input.Reference, 255);
  if (reference) errors.push(reference);
  if (invoice && invoice.Status !== 'AUTHORISED') errors.push('Payments can only be made against Authorised documents.');
  if (invoice && isNumber(input.Amount) && round2(input.Amount) > Number(invoice.AmountDue)) {
    errors.push('The payment amount exceeds the amount outstanding on this document.');
  }
  if (errors.length > 0 || !invoice || !account) return { ok: false, errors };

  const amount = round2(input.Amount as number);
  // A payment of a foreign-currency invoice: Amount in the invoice's currency at CurrencyRate (the one sent, else the
  // invoice's), BankAmount in the base currency the bank account keeps (notes §12 [C]; BankAmount arithmetic [S]).
  const currencyRate = invoice.CurrencyCode === org.baseCurrency ? 1 : isNumber(input.CurrencyRate) && input.CurrencyRate > 0 ? input.CurrencyRate : Number(invoice.CurrencyRate ?? 1);
  const record: XeroRecord = {
    PaymentID: randomUUID(),
    Date: msDate(dateMs(String(input.Date).slice(0, 10))),
    Amount: amount,
    BankAmount: round2(amount / currencyRate),
    CurrencyRate: currencyRate,
    ...(typeof input.Reference === 'string' ? { Reference: input.Reference } : {}),
    IsReconciled: false,
    Status: 'AUTHORISED',
    PaymentType: 'ACCRECPAYMENT',
    UpdatedDateUTC: msDate(org.nowMs),
    HasAccount: true,
    HasValidationErrors: false,
    Account: { AccountID: account.AccountID, Code: account.Code },
    Invoice: { InvoiceID: invoice.InvoiceID, InvoiceNumber: invoice.InvoiceNumber, Type: invoice.Type, Contact: invoice.Contact },
  };
  org.payments.push(record);
  const due = round2(Number(invoice.AmountDue) - amount);
  Object.assign(invoice, {
    AmountDue: due,
    AmountPaid: round2(Number(invoice.AmountPaid) + amount),
    Status: due === 0 ? 'PAID' : invoice.Status,
    ...(due === 0 ? { FullyPaidOnDate: record.Date } : {}),
    UpdatedDateUTC: msDate(org.nowMs),
  });
  (invoice.Payments as XeroRecord[]).push({ PaymentID: record.PaymentID, Date: record.Date, Amount: amount, Reference: record.Reference ?? '', CurrencyRate: currencyRate, HasAccount: true, HasValidationErrors: false });
  return { ok: true, record };
}
