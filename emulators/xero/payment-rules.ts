import { randomUUID } from 'node:crypto';
import { isIsoDate, isNumber, round2, tooLong } from './field-rules.js';
import type { Outcome } from './invoice-rules.js';
import { sameText, type XeroOrganisation, type XeroRecord } from './organisation.js';
import { dateMs, msDate } from './wire-format.js';

/** An account a payment can go to: a bank account, or one with "enable payments to this account" [C/S]. */
function canReceivePayments(account: XeroRecord): boolean {
  return account.Status === 'ACTIVE' && (account.Type === 'BANK' || account.EnablePaymentsToAccount === true);
}

/**
 * Validates a payment and applies it. Against an invoice: the invoice's AmountDue falls, PAID at zero. Against a
 * sales credit note (a cash refund, `PaymentType` ARCREDITPAYMENT): its RemainingCredit falls, PAID at zero.
 */
export function createPayment(org: XeroOrganisation, input: XeroRecord): Outcome {
  const creditRef = (input.CreditNote && typeof input.CreditNote === 'object' ? input.CreditNote : null) as XeroRecord | null;
  return creditRef ? createRefundPayment(org, input, creditRef) : createInvoicePayment(org, input);
}

function createInvoicePayment(org: XeroOrganisation, input: XeroRecord): Outcome {
  const errors: string[] = [];
  const invoiceRef = (input.Invoice && typeof input.Invoice === 'object' ? input.Invoice : {}) as XeroRecord;
  const invoice =
    typeof invoiceRef.InvoiceID === 'string'
      ? org.invoiceById(invoiceRef.InvoiceID)
      : typeof invoiceRef.InvoiceNumber === 'string'
        ? org.invoices.find((i) => i.Type === 'ACCREC' && sameText(i.InvoiceNumber, invoiceRef.InvoiceNumber))
        : undefined;
  if (!invoice) errors.push('Invoice could not be found');
  const account = paymentAccount(org, input, errors);
  commonChecks(input, errors);
  if (invoice && invoice.Status !== 'AUTHORISED') errors.push('Payments can only be made against Authorised documents.');
  if (invoice && isNumber(input.Amount) && round2(input.Amount) > Number(invoice.AmountDue)) {
    errors.push('The payment amount exceeds the amount outstanding on this document.');
  }
  if (errors.length > 0 || !invoice || !account) return { ok: false, errors };

  const amount = round2(input.Amount as number);
  const currencyRate = paymentCurrencyRate(org, input, invoice);
  const record = paymentRecord(org, input, account, amount, currencyRate, 'ACCRECPAYMENT', {
    Invoice: { InvoiceID: invoice.InvoiceID, InvoiceNumber: invoice.InvoiceNumber, Type: invoice.Type, Contact: invoice.Contact },
  });
  const due = round2(Number(invoice.AmountDue) - amount);
  Object.assign(invoice, {
    AmountDue: due,
    AmountPaid: round2(Number(invoice.AmountPaid) + amount),
    Status: due === 0 ? 'PAID' : invoice.Status,
    ...(due === 0 ? { FullyPaidOnDate: record.Date } : {}),
    UpdatedDateUTC: msDate(org.nowMs),
  });
  (invoice.Payments as XeroRecord[]).push(paymentSummary(record, amount, currencyRate));
  return { ok: true, record };
}

/** Money paid out against a sales credit note: what Xero calls refunding a credit note [S: Xero help "Refund a credit note"]. */
function createRefundPayment(org: XeroOrganisation, input: XeroRecord, creditRef: XeroRecord): Outcome {
  const errors: string[] = [];
  const note =
    typeof creditRef.CreditNoteID === 'string'
      ? org.creditNoteById(creditRef.CreditNoteID)
      : typeof creditRef.CreditNoteNumber === 'string'
        ? org.creditNotes.find((n) => sameText(n.CreditNoteNumber, creditRef.CreditNoteNumber))
        : undefined;
  if (!note) errors.push('Credit Note could not be found');
  const account = paymentAccount(org, input, errors);
  commonChecks(input, errors);
  if (note && note.Status !== 'AUTHORISED') errors.push('Payments can only be made against Authorised documents.');
  if (note && isNumber(input.Amount) && round2(input.Amount) > Number(note.RemainingCredit)) {
    errors.push('The payment amount exceeds the amount outstanding on this document.');
  }
  if (errors.length > 0 || !note || !account) return { ok: false, errors };

  const amount = round2(input.Amount as number);
  const paymentType = note.Type === 'ACCPAYCREDIT' ? 'APCREDITPAYMENT' : 'ARCREDITPAYMENT';
  const currencyRate = paymentCurrencyRate(org, input, note);
  const record = paymentRecord(org, input, account, amount, currencyRate, paymentType, {
    CreditNote: { CreditNoteID: note.CreditNoteID, CreditNoteNumber: note.CreditNoteNumber, Type: note.Type, Contact: note.Contact },
  });
  const remaining = round2(Number(note.RemainingCredit) - amount);
  Object.assign(note, {
    RemainingCredit: remaining,
    Status: remaining === 0 ? 'PAID' : note.Status,
    ...(remaining === 0 ? { FullyPaidOnDate: record.Date } : {}),
    UpdatedDateUTC: msDate(org.nowMs),
  });
  (note.Payments as XeroRecord[]).push(paymentSummary(record, amount, currencyRate));
  return { ok: true, record };
}

function paymentAccount(org: XeroOrganisation, input: XeroRecord, errors: string[]): XeroRecord | undefined {
  const accountRef = (input.Account && typeof input.Account === 'object' ? input.Account : {}) as XeroRecord;
  const account = org.account(accountRef);
  if (!account) errors.push('Account could not be found');
  else if (!canReceivePayments(account)) errors.push('Account type is invalid for making a payment to/from');
  return account;
}

function commonChecks(input: XeroRecord, errors: string[]): void {
  if (!isIsoDate(input.Date)) errors.push('Payment date is required and must be a valid date.');
  if (!isNumber(input.Amount) || input.Amount <= 0) errors.push('Payment amount must be greater than zero.');
  const reference = tooLong('Reference', input.Reference, 255);
  if (reference) errors.push(reference);
}

/**
 * A payment of a foreign-currency document: Amount in the document's currency at CurrencyRate (the one sent, else the
 * document's), BankAmount in the base currency the bank account keeps (notes §12 [C]; BankAmount arithmetic [S]).
 */
function paymentCurrencyRate(org: XeroOrganisation, input: XeroRecord, document: XeroRecord): number {
  if (document.CurrencyCode === org.baseCurrency) return 1;
  return isNumber(input.CurrencyRate) && input.CurrencyRate > 0 ? input.CurrencyRate : Number(document.CurrencyRate ?? 1);
}

function paymentRecord(org: XeroOrganisation, input: XeroRecord, account: XeroRecord, amount: number, currencyRate: number, paymentType: string, document: XeroRecord): XeroRecord {
  const record: XeroRecord = {
    PaymentID: randomUUID(),
    Date: msDate(dateMs(String(input.Date).slice(0, 10))),
    Amount: amount,
    BankAmount: round2(amount / currencyRate),
    CurrencyRate: currencyRate,
    ...(typeof input.Reference === 'string' ? { Reference: input.Reference } : {}),
    IsReconciled: false,
    Status: 'AUTHORISED',
    PaymentType: paymentType,
    UpdatedDateUTC: msDate(org.nowMs),
    HasAccount: true,
    HasValidationErrors: false,
    Account: { AccountID: account.AccountID, Code: account.Code },
    ...document,
  };
  org.payments.push(record);
  return record;
}

function paymentSummary(record: XeroRecord, amount: number, currencyRate: number): XeroRecord {
  return { PaymentID: record.PaymentID, Date: record.Date, Amount: amount, Reference: record.Reference ?? '', CurrencyRate: currencyRate, HasAccount: true, HasValidationErrors: false };
}
