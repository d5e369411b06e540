import { fromMinor, toMinor } from '../../domain/money.js';
import type { QboCompany } from './company.js';
import { checkDepositCurrency } from './deposit-currency-rules.js';
import { invalidReferenceFault, objectNotFoundFault, validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';

/**
 * A Deposit create the way QuickBooks Online checks it (emulators/qbo/FIDELITY.md, "Deposits"): the bank account it
 * goes to (DepositToAccountRef, "Required for the create operation" in the XSD), and lines that each either link a
 * transaction waiting in Undeposited Funds (LinkedTxn) or name the account the money comes from
 * (DepositLineDetail.AccountRef). Lines may be negative (fees taken off); the deposit's total may not.
 */
const UNDEPOSITED_FUNDS_SUBTYPE = 'UndepositedFunds';
const DEPOSIT_TARGET_TYPES = new Set(['Bank', 'Other Current Asset']);
const LINKABLE = new Set(['SalesReceipt', 'Payment', 'RefundReceipt']);

function refValue(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'value' in ref ? String((ref as QboRecord).value) : null;
}

function missing(nowMs: number, element: string) {
  return validationFault(nowMs, {
    Message: 'Required param missing, need to supply the required value for the API',
    Detail: `Required parameter ${element} is missing in the request`,
    code: '2020',
    element,
  });
}

function businessError(nowMs: number, detail: string, element: string) {
  return validationFault(nowMs, { Message: 'A business validation error has occurred while processing your request', Detail: `Business Validation Error: ${detail}`, code: '6000', element });
}

function activeAccount(company: QboCompany, nowMs: number, id: string, element: string): QboRecord {
  const account = company.get('Account', id);
  if (!account) throw invalidReferenceFault(nowMs, `Invalid Reference Id : Account ${id} does not exist`, element);
  if (account.Active === false) throw objectNotFoundFault(nowMs, `Object Not Found : Something you're trying to use has been made inactive. Account: ${String(account.Name)} (Id=${id})`, element);
  return account;
}

/** Validates the body and returns the record to store, with TotalAmt computed (never taken from the client). */
export function validateDeposit(company: QboCompany, body: QboRecord, nowMs: number): QboRecord {
  if (body.Id !== undefined) throw validationFault(nowMs, { Message: 'Unsupported Operation', Detail: 'The emulator supports Deposit create only', code: '500' });
  const targetId = refValue(body.DepositToAccountRef);
  if (targetId === null) throw missing(nowMs, 'DepositToAccountRef');
  const target = activeAccount(company, nowMs, targetId, 'DepositToAccountRef');
  if (!DEPOSIT_TARGET_TYPES.has(String(target.AccountType)) || target.AccountSubType === UNDEPOSITED_FUNDS_SUBTYPE) {
    throw businessError(nowMs, `Account ${String(target.Name)} cannot take a deposit; choose a Bank or Other Current Asset account.`, 'DepositToAccountRef');
  }
  const lines = body.Line;
  if (!Array.isArray(lines) || lines.length === 0) throw missing(nowMs, 'Line');
  const currency = refValue(body.CurrencyRef) ?? company.homeCurrency;
  let totalCents = 0;
  const lineAccounts: QboRecord[] = [];
  const stored = lines.map((raw: unknown, index: number) => {
    const line = (raw ?? {}) as QboRecord;
    if (typeof line.Amount !== 'number' && typeof line.Amount !== 'string') throw missing(nowMs, `Line[${index}].Amount`);
    const cents = toMinor(String(line.Amount), currency);
    const linked = Array.isArray(line.LinkedTxn) ? (line.LinkedTxn as QboRecord[]) : [];
    if (linked.length > 0) {
      for (const txn of linked) checkLinkedTxn(company, nowMs, txn, cents, index, currency);
    } else {
      if (line.DetailType !== 'DepositLineDetail') {
        throw validationFault(nowMs, { Message: 'Invalid Enumeration', Detail: `Invalid Enumeration : ${String(line.DetailType)} is not a deposit line`, code: '2170', element: 'DetailType' });
      }
      const accountId = refValue((line.DepositLineDetail as QboRecord | undefined)?.AccountRef);
      if (accountId === null) throw missing(nowMs, 'Line.DepositLineDetail.AccountRef');
      const account = activeAccount(company, nowMs, accountId, 'Line.DepositLineDetail.AccountRef');
      // Money waiting in Undeposited Funds is deposited by linking its transaction, not by naming the account.
      if (account.AccountSubType === UNDEPOSITED_FUNDS_SUBTYPE) {
        throw businessError(nowMs, 'Undeposited Funds cannot be used on a deposit line; link the payments to deposit instead.', 'Line.DepositLineDetail.AccountRef');
      }
      lineAccounts.push(account);
    }
    totalCents += cents;
    return { ...line, Id: String(index + 1), LineNum: index + 1 };
  });
  if (totalCents < 0) throw businessError(nowMs, 'The deposit total cannot be negative.', 'TotalAmt');
  const totalAmt = Number(fromMinor(totalCents, currency));
  const exchange = checkDepositCurrency(company, { currency, bank: target, lineAccounts, body, totalAmt }, nowMs);
  return {
    ...body,
    TxnDate: body.TxnDate ?? new Date(nowMs).toISOString().slice(0, 10),
    CurrencyRef: { value: currency },
    Line: stored,
    TotalAmt: totalAmt,
    ...exchange,
  };
}

/** A linked transaction must exist, wait in Undeposited Funds, not be deposited already, and be deposited whole. */
function checkLinkedTxn(company: QboCompany, nowMs: number, txn: QboRecord, cents: number, index: number, currency: string): void {
  const type = String(txn.TxnType ?? '');
  const id = String(txn.TxnId ?? '');
  if (!LINKABLE.has(type) || id === '') throw missing(nowMs, `Line[${index}].LinkedTxn.TxnId`);
  const linked = company.get(type, id);
  if (!linked) throw invalidReferenceFault(nowMs, `Invalid Reference Id : ${type} ${id} does not exist`, 'LinkedTxn');
  const account = company.get('Account', refValue(linked.DepositToAccountRef) ?? '');
  if (account?.AccountSubType !== UNDEPOSITED_FUNDS_SUBTYPE) {
    throw businessError(nowMs, `${type} ${id} is not waiting in Undeposited Funds and cannot be deposited.`, 'LinkedTxn');
  }
  const depositedBefore = company.all('Deposit').some((deposit) =>
    ((deposit.Line as QboRecord[]) ?? []).some((line) => ((line.LinkedTxn as QboRecord[]) ?? []).some((l) => l.TxnId === id && l.TxnType === type)),
  );
  if (depositedBefore) throw businessError(nowMs, `${type} ${id} has been deposited already.`, 'LinkedTxn');
  if (toMinor(String(linked.TotalAmt ?? 0), currency) !== cents) throw businessError(nowMs, `The line linking ${type} ${id} must deposit its whole amount.`, 'Line.Amount');
}
