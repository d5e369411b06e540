import { randomUUID } from 'node:crypto';
import { isIsoDate, isNumber, round2, tooLong } from './field-rules.js';
import type { Outcome } from './invoice-rules.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';
import { dateMs, msDate } from './wire-format.js';

/**
 * `PUT /BankTransfers`: money moved from one bank account to another (FIDELITY.md § Bank transfers). Required:
 * `FromBankAccount`, `ToBankAccount` (each by `Code` or `AccountID`) and `Amount` [C: developer.xero.com bank
 * transfers]; both must be BANK accounts in one currency [S]; the amount above zero and the accounts different [U].
 * Xero records the two sides as SPEND-TRANSFER and RECEIVE-TRANSFER bank transactions [S].
 */
export function createBankTransfer(org: XeroOrganisation, input: XeroRecord): Outcome {
  const errors: string[] = [];
  const from = bankAccount(org, input.FromBankAccount, 'FromBankAccount', errors);
  const to = bankAccount(org, input.ToBankAccount, 'ToBankAccount', errors);
  if (input.Amount === undefined || input.Amount === null) errors.push('Amount must be specified.');
  else if (!isNumber(input.Amount)) errors.push('Amount must be a number.');
  else if (round2(input.Amount) <= 0) errors.push('Amount must be greater than zero.');
  if (from && to && from.AccountID === to.AccountID) errors.push('The FromBankAccount and ToBankAccount must be different.');
  const currency = (account: XeroRecord) => String(account.CurrencyCode ?? org.baseCurrency);
  // Between two currencies: refused, or (variant) converted at the day's rates [U] (options.ts, XeroCurrencyVariants).
  const crossCurrency = from && to && currency(from) !== currency(to);
  if (crossCurrency && org.currencyVariants.crossCurrencyTransfers === 'refused') {
    errors.push(`You cannot transfer between bank accounts in different currencies (${currency(from)} and ${currency(to)}).`);
  }
  const date = input.Date ?? new Date(org.nowMs).toISOString().slice(0, 10);
  if (!isIsoDate(date)) errors.push('Date is not a valid date.');
  const reference = tooLong('Reference', input.Reference, 255);
  if (reference) errors.push(reference);
  if (errors.length > 0 || !from || !to) return { ok: false, errors };

  const amount = round2(input.Amount as number);
  const dated = msDate(dateMs(String(date).slice(0, 10)));
  // Each side in its own account's currency: the received side converted through the base currency at the day's rates.
  const sideAmount = (account: XeroRecord) => (account === to && crossCurrency ? round2((amount / dayRate(org, currency(from))) * dayRate(org, currency(to))) : amount);
  const side = (type: 'SPEND-TRANSFER' | 'RECEIVE-TRANSFER', account: XeroRecord): XeroRecord => ({
    BankTransactionID: randomUUID(),
    Type: type,
    BankAccount: summary(account),
    Date: dated,
    Status: 'AUTHORISED',
    LineAmountTypes: 'NoTax',
    LineItems: [],
    SubTotal: sideAmount(account),
    TotalTax: 0,
    Total: sideAmount(account),
    CurrencyCode: currency(account),
    CurrencyRate: dayRate(org, currency(account)),
    IsReconciled: false,
    HasAttachments: false,
    UpdatedDateUTC: msDate(org.nowMs),
  });
  const spent = side('SPEND-TRANSFER', from);
  const received = side('RECEIVE-TRANSFER', to);
  const record: XeroRecord = {
    BankTransferID: randomUUID(),
    FromBankAccount: summary(from),
    ToBankAccount: summary(to),
    Amount: amount,
    Date: dated,
    // Units of the receiving account's currency per unit of the sending one's (1 within one currency).
    CurrencyRate: crossCurrency ? Number((dayRate(org, currency(to)) / dayRate(org, currency(from))).toFixed(6)) : 1,
    FromBankTransactionID: spent.BankTransactionID,
    ToBankTransactionID: received.BankTransactionID,
    FromIsReconciled: false,
    ToIsReconciled: false,
    ...(typeof input.Reference === 'string' ? { Reference: input.Reference } : {}),
    HasAttachments: false,
    CreatedDateUTC: msDate(org.nowMs),
    Status: 'AUTHORISED',
  };
  org.bankTransfers.push(record);
  org.bankTransactions.push(spent, received);
  return { ok: true, record };
}

/**
 * `POST /BankTransfers` deletes in the current spec (xero-node `deleteBankTransfers`, body `BankTransfersDelete`:
 * `BankTransferID` and `Status`) [C]: the transfer and its two sides become DELETED. It creates nothing.
 */
export function deleteBankTransfer(org: XeroOrganisation, input: XeroRecord): Outcome {
  const id = typeof input.BankTransferID === 'string' ? input.BankTransferID : '';
  if (id === '') return { ok: false, errors: ['BankTransferID must be specified: POST /BankTransfers deletes bank transfers; PUT creates them.'] };
  const transfer = org.bankTransfers.find((candidate) => String(candidate.BankTransferID).toLowerCase() === id.toLowerCase());
  if (!transfer) return { ok: false, errors: [`Bank transfer ${id} could not be found.`] };
  if (input.Status !== 'DELETED') return { ok: false, errors: ['Status must be DELETED.'] };
  transfer.Status = 'DELETED';
  for (const side of org.bankTransactions) {
    if (side.BankTransactionID === transfer.FromBankTransactionID || side.BankTransactionID === transfer.ToBankTransactionID) side.Status = 'DELETED';
  }
  return { ok: true, record: transfer };
}

function bankAccount(org: XeroOrganisation, raw: unknown, field: string, errors: string[]): XeroRecord | undefined {
  const ref = (raw && typeof raw === 'object' ? raw : {}) as XeroRecord;
  if (typeof ref.Code !== 'string' && typeof ref.AccountID !== 'string') {
    errors.push(`${field} must be specified (its Code or AccountID).`);
    return undefined;
  }
  const account = org.account(ref);
  if (!account || account.Status !== 'ACTIVE' || account.Type !== 'BANK') {
    errors.push(`${field} must be an active bank account.`);
    return undefined;
  }
  return account;
}

/** Units of `code` per unit of the base currency, as seeded for the day (1 for the base currency, or none seeded). */
function dayRate(org: XeroOrganisation, code: string): number {
  if (code === org.baseCurrency) return 1;
  const rate = org.currencies.find((entry) => entry.Code === code)?.rate;
  return typeof rate === 'number' && rate > 0 ? rate : 1;
}

function summary(account: XeroRecord): XeroRecord {
  return { AccountID: account.AccountID, Code: account.Code, Name: account.Name };
}
