import { childNamed, childrenNamed, childText, type XmlElement } from '../../platforms/qbd/xml-tree.js';
import { money, type QbdDeposit, type QbdDepositLine } from './company-data.js';
import type { HandledRequest, QbdCompany } from './company.js';
import { filtered, matchesRefFilter, matchesTxnDateRange, pickExplicit, refLabel, type NotFoundAnswer } from './company-lists.js';
import { depositRet } from './qbxml-rets.js';
import { statusInvalidReference, statusOk, statusSaveError, type QbxmlStatus } from './qbxml-status.js';

/**
 * Whether QuickBooks Desktop takes a negative `DepositLineAdd` Amount (a fee taken out of the deposit). Unconfirmed
 * (quickbooks-desktop.md §7: "negative lines for fees [U]"): the emulator plays both, and ledgerbridge must book
 * correctly under each (FIDELITY.md §deposits).
 */
export type NegativeDepositLines = 'accept' | 'refuse';

const cents = (amount: string | undefined) => Math.round(Number(amount ?? '0') * 100);

/**
 * A deposit (qbXML DepositAdd, §7 [C]): lines `{EntityRef, AccountRef, Memo, Amount}` move money from their account
 * into `DepositToAccountRef`, less the cash back (`CashBackInfoAdd`, money kept out of the deposit into its account).
 * Every reference must name an active account or name (3140 [S]); a payment line (PaymentTxnID) is not emulated.
 * Its currency (Multiple Currencies on) follows QbdCompanyCurrencies.depositCurrency.
 */
export function depositAdd(company: QbdCompany, rq: XmlElement): HandledRequest {
  const add = childNamed(rq, 'DepositAdd')!;
  const fail = (status: QbxmlStatus): HandledRequest => ({ status, rets: [] });
  const depositRef = childNamed(add, 'DepositToAccountRef')!;
  const depositTo = company.accountByRef(depositRef);
  if (!depositTo) return fail(statusInvalidReference('Account', refLabel(depositRef), 'Deposit'));
  const lines: QbdDepositLine[] = [];
  for (const [index, lineAdd] of childrenNamed(add, 'DepositLineAdd').entries()) {
    if (childNamed(lineAdd, 'PaymentTxnID')) return fail(statusSaveError('Deposit', "A deposit line moving a payment (PaymentTxnID) is not emulated by ledgerbridge's QuickBooks Desktop emulator."));
    const accountRef = childNamed(lineAdd, 'AccountRef')!;
    const account = company.accountByRef(accountRef);
    if (!account) return fail(statusInvalidReference('Account', refLabel(accountRef), 'Deposit line'));
    const entityRef = childNamed(lineAdd, 'EntityRef');
    const entity = entityRef ? company.customerByRef(entityRef) : undefined;
    if (entityRef && !entity) return fail(statusInvalidReference('Customer', refLabel(entityRef), 'Deposit line'));
    const amount = cents(childText(lineAdd, 'Amount'));
    if (amount < 0 && company.negativeDepositLines() === 'refuse') {
      return fail(statusSaveError('Deposit', `The amount of deposit line ${index + 1} (${money(amount / 100)}) cannot be negative.`));
    }
    const memo = childText(lineAdd, 'Memo');
    lines.push({
      txnLineId: '',
      ...(entity ? { entity: { listId: entity.listId, fullName: entity.name } } : {}),
      account,
      ...(memo !== undefined ? { memo } : {}),
      amount: money(amount / 100),
    });
  }
  const cashBackAdd = childNamed(add, 'CashBackInfoAdd');
  const cashBackAccount = cashBackAdd ? company.accountByRef(childNamed(cashBackAdd, 'AccountRef')!) : undefined;
  if (cashBackAdd && !cashBackAccount) return fail(statusInvalidReference('Account', refLabel(childNamed(cashBackAdd, 'AccountRef')!), 'Deposit'));
  const cashBack = cashBackAdd ? cents(childText(cashBackAdd, 'Amount')) : 0;
  const total = lines.reduce((sum, l) => sum + cents(l.amount), 0) - cashBack;
  const currency = company.currencies.depositCurrency(
    add,
    { depositTo: company.accountCurrency(depositTo.listId), lines: lines.map((l) => company.accountCurrency(l.account.listId)), ...(cashBackAccount ? { cashBack: company.accountCurrency(cashBackAccount.listId) } : {}) },
    total / 100,
    company.foreignDepositCashBack(),
  );
  if (!currency.ok) return fail(currency.status);
  const txn = company.newTxn();
  const lineId = (index: number) => `${(index + 1).toString(16).toUpperCase()}-${txn.editSequence}`;
  lines.forEach((line, index) => (line.txnLineId = lineId(index)));
  const cashBackMemo = cashBackAdd ? childText(cashBackAdd, 'Memo') : undefined;
  const memo = childText(add, 'Memo');
  const deposit: QbdDeposit = {
    ...txn,
    txnDate: childText(add, 'TxnDate') ?? txn.timeCreated.slice(0, 10),
    depositTo,
    ...(memo !== undefined ? { memo } : {}),
    ...(cashBackAdd && cashBackAccount
      ? { cashBack: { txnLineId: lineId(lines.length), account: cashBackAccount, ...(cashBackMemo !== undefined ? { memo: cashBackMemo } : {}), amount: money(cashBack / 100) } }
      : {}),
    depositTotal: money(total / 100),
    ...(currency.currency ? { currency: currency.currency } : {}),
    lines,
  };
  company.deposits.push(deposit);
  return { status: statusOk(), rets: [depositRet(deposit, true)] };
}

/** DepositQuery: by TxnID, else by TxnDateRangeFilter / AccountFilter (the account deposited to) and MaxReturned. */
export function depositQuery(company: QbdCompany, rq: XmlElement, notFound: NotFoundAnswer): HandledRequest {
  const includeLines = childText(rq, 'IncludeLineItems') === 'true';
  const outcome =
    pickExplicit(rq, [{ element: 'TxnID', find: (v) => company.deposits.find((d) => d.txnId === v) }], notFound) ??
    filtered(company.deposits.filter((d) => matchesFilters(d, rq)), rq);
  return { status: outcome.status, rets: outcome.found.map((d) => depositRet(d, includeLines)) };
}

function matchesFilters(d: QbdDeposit, rq: XmlElement): boolean {
  const account = childNamed(rq, 'AccountFilter');
  return matchesTxnDateRange(d.txnDate, rq) && (!account || matchesRefFilter(account, d.depositTo));
}
