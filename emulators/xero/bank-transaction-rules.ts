import { randomUUID } from 'node:crypto';
import { contactFromReference, contactSummary, createContact } from './contact-rules.js';
import { isIsoDate, tooLong } from './field-rules.js';
import type { Outcome, WriteOptions } from './invoice-rules.js';
import { documentTotals, saleLine, type LineAmountTypes } from './line-items.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';
import { dateMs, msDate } from './wire-format.js';
import { currencyError, currencyRateOf } from './currency-rules.js';

const AMOUNT_TYPES = new Set(['Exclusive', 'Inclusive', 'NoTax']);

/**
 * Receive money (`RECEIVE`) into a bank account, a paid sale in one document, or spend money (`SPEND`) out of it,
 * a refund of one. Other types (transfers, overpayments, prepayments) are not emulated.
 */
export function createBankTransaction(org: XeroOrganisation, input: XeroRecord, options: WriteOptions = { unitDp: 2 }): Outcome {
  const errors: string[] = [];
  if (input.Type !== 'RECEIVE' && input.Type !== 'SPEND') errors.push(`Bank transaction type ${String(input.Type)} is not supported by the emulator (RECEIVE and SPEND only).`);
  const amountTypes = (input.LineAmountTypes ?? 'Exclusive') as LineAmountTypes;
  if (!AMOUNT_TYPES.has(amountTypes)) errors.push(`LineAmountTypes ${String(amountTypes)} is not valid.`);
  const contact = contactFromReference(org, (input.Contact && typeof input.Contact === 'object' ? input.Contact : {}) as XeroRecord);
  if (contact.error) errors.push(contact.error);
  const bankRef = (input.BankAccount && typeof input.BankAccount === 'object' ? input.BankAccount : {}) as XeroRecord;
  const bank = org.account(bankRef);
  if (!bank || bank.Type !== 'BANK' || bank.Status !== 'ACTIVE') errors.push('A valid BankAccount must be specified.');
  const date = input.Date ?? new Date(org.nowMs).toISOString().slice(0, 10);
  if (!isIsoDate(date)) errors.push('Date is not a valid date.');
  const reference = tooLong('Reference', input.Reference, 255);
  if (reference) errors.push(reference);
  const sentCurrency = String(input.CurrencyCode ?? org.baseCurrency);
  const bankCurrency = bank ? String(bank.CurrencyCode ?? org.baseCurrency) : sentCurrency;
  // Money spent or received is in its bank account's currency (xero-node BankTransaction.currencyRate: "Only used for
  // bank transactions in non base currency" accounts; "Setting currency is only supported on overpayments" [C]).
  // Another CurrencyCode is refused, or (variant) ignored: what Xero does with it is unconfirmed [U].
  const ignoresCurrency = org.currencyVariants.bankTransactionCurrency === 'account-currency';
  const currency = ignoresCurrency ? bankCurrency : sentCurrency;
  const unknownCurrency = currencyError(org, sentCurrency);
  if (unknownCurrency) errors.push(unknownCurrency);
  else if (currency !== bankCurrency) {
    errors.push(`The currency ${currency} does not match the currency ${bankCurrency} of bank account ${String(bank?.Code)}.`);
  }
  const lineInputs = Array.isArray(input.LineItems) ? (input.LineItems as XeroRecord[]) : [];
  if (lineInputs.length === 0) errors.push('One or more line items must be specified');
  const lines = lineInputs.map((line) => saleLine(org, line, amountTypes, true, options.unitDp, false, input.Type === 'SPEND' ? 'PurchaseDetails' : 'SalesDetails', 'any-but-bank'));
  for (const line of lines) errors.push(...line.errors);
  if (errors.length > 0 || !bank) return { ok: false, errors };

  const contactRecord = contact.contact ?? createContact(org, { Name: contact.createName });
  const accepted = lines.map((line) => line.line);
  const record: XeroRecord = {
    BankTransactionID: randomUUID(),
    Type: input.Type,
    Contact: contactSummary(contactRecord),
    BankAccount: { AccountID: bank.AccountID, Code: bank.Code, Name: bank.Name },
    Date: msDate(dateMs(String(date).slice(0, 10))),
    ...(typeof input.Reference === 'string' ? { Reference: input.Reference } : {}),
    Status: 'AUTHORISED',
    LineAmountTypes: amountTypes,
    LineItems: accepted,
    ...documentTotals(accepted, amountTypes),
    CurrencyCode: currency,
    CurrencyRate: currencyRateOf(org, input, currency),
    IsReconciled: false,
    HasAttachments: false,
    UpdatedDateUTC: msDate(org.nowMs),
  };
  org.bankTransactions.push(record);
  return { ok: true, record };
}
