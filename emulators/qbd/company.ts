import { childNamed, childrenNamed, childText, type XmlElement, type XmlNode } from '../../platforms/qbd/xml-tree.js';
import { money, UNDEPOSITED_FUNDS, UNDEPOSITED_FUNDS_ID, type QbdAccount, type QbdAccountRef, type QbdArRefund, type QbdCompanySeed, type QbdCreditMemo, type QbdCustomer, type QbdDeposit, type QbdItem, type QbdItemType, type QbdSalesReceipt, type QbdSalesReceiptLine, type QbdSalesTaxCode } from './company-data.js';
import { QbdCompanyCurrencies, type ForeignDepositCashBack } from './company-currencies.js';
import { filtered, matchesActiveStatus, matchesNameFilter, matchesRefFilter, matchesTxnDateRange, pickExplicit, refLabel, type NotFoundAnswer } from './company-lists.js';
import { depositAdd, depositQuery, type NegativeDepositLines } from './company-deposits.js';
import { customerMod, itemMod } from './company-mods.js';
import { accountRet, arRefundCreditCardRet, creditMemoRet, customerRet, itemRet, salesReceiptRet, salesTaxCodeRet } from './qbxml-rets.js';
import { statusInvalidReference, statusNameInUse, statusOk, statusSaveError, type QbxmlStatus } from './qbxml-status.js';

export interface HandledRequest {
  status: QbxmlStatus;
  rets: XmlNode[];
}

const lower = (s: string) => s.toLowerCase();

/** One QuickBooks Desktop company file: its lists, its sales receipts, and the requests it executes. */
/** Whether QuickBooks keeps a sales tax item line's Amount as sent through the SDK, or works the rate out itself ([U]). */
export type SalesTaxLineAmount = 'as-sent' | 'worked-out';

export class QbdCompany {
  readonly customers: QbdCustomer[] = [];
  readonly items: QbdItem[] = [];
  readonly salesTaxCodes: QbdSalesTaxCode[] = [];
  readonly salesReceipts: QbdSalesReceipt[] = [];
  readonly creditMemos: QbdCreditMemo[] = [];
  readonly arRefunds: QbdArRefund[] = [];
  readonly accounts: QbdAccount[] = [];
  readonly deposits: QbdDeposit[] = [];
  readonly currencies: QbdCompanyCurrencies;
  private sequence = 0;
  private txnNumber = 0;
  private autoRefNumber = 1;

  constructor(
    readonly seed: QbdCompanySeed,
    private readonly now: () => Date,
    private readonly notFound: () => NotFoundAnswer,
    /** Whether a deposit line may be negative (FIDELITY.md §deposits: [U], played both ways). */
    readonly negativeDepositLines: () => NegativeDepositLines = () => 'accept',
    /** Whether a foreign account's deposit may keep its cash back in a home-currency account (FIDELITY.md §multiple currencies: [U], played both ways). */
    readonly foreignDepositCashBack: () => ForeignDepositCashBack = () => 'home-or-deposit-currency',
    /** Whether a sales tax item line keeps the Amount sent (FIDELITY.md §adds: [U] through the SDK, played both ways). */
    readonly salesTaxLineAmount: () => SalesTaxLineAmount = () => 'as-sent',
  ) {
    const country = seed.country ?? 'US';
    const { timeCreated, editSequence } = this.stamp();
    this.accounts.push({ listId: UNDEPOSITED_FUNDS_ID, timeCreated, editSequence, name: UNDEPOSITED_FUNDS, accountType: 'OtherCurrentAsset', isActive: true });
    for (const a of seed.accounts ?? []) {
      // Only bank (credit card, A/R, A/P) accounts take a currency [S]: a seed giving another one is a test's mistake.
      if (a.currency && a.type !== 'Bank') throw new Error(`QuickBooks Desktop gives no currency to a ${a.type} account ("${a.name}"): only bank accounts carry one here.`);
      this.accounts.push(this.listRecord({ name: a.name, accountType: a.type, isActive: a.isActive ?? true, ...(a.currency ? { currencyCode: a.currency } : {}) }));
    }
    this.currencies = new QbdCompanyCurrencies(seed, (fields) => this.listRecord(fields));
    if (country === 'US') {
      this.salesTaxCodes.push(this.listRecord({ name: 'Tax', isActive: true, isTaxable: true, desc: 'Taxable Sales' }));
      this.salesTaxCodes.push(this.listRecord({ name: 'Non', isActive: true, isTaxable: false, desc: 'Non-Taxable Sales' }));
    }
    for (const code of seed.salesTaxCodes ?? []) this.salesTaxCodes.push(this.listRecord({ ...code, isActive: true }));
    for (const item of seed.items ?? []) {
      this.items.push(
        this.listRecord({
          name: item.name,
          type: item.type ?? 'Service',
          isActive: item.isActive ?? true,
          price: item.price ?? '0.00',
          ...(item.description !== undefined ? { description: item.description } : {}),
          ...(item.type !== 'SalesTax' ? { salesTaxCodeName: item.salesTaxCodeName ?? (country === 'US' ? 'Tax' : undefined) } : {}),
        }) as QbdItem,
      );
    }
    for (const c of seed.customers ?? []) {
      this.customers.push(this.listRecord({ name: c.name, isActive: c.isActive ?? true, ...(c.email ? { email: c.email } : {}) }));
    }
  }

  /** A new transaction's TxnID, time, edit sequence and number. */
  newTxn(): { txnId: string; timeCreated: string; editSequence: string; txnNumber: number } {
    const { timeCreated, editSequence, seconds } = this.stamp();
    this.txnNumber += 1;
    return { txnId: `${(0x100 + this.txnNumber).toString(16).toUpperCase()}-${seconds}`, timeCreated, editSequence, txnNumber: this.txnNumber };
  }

  private stamp(): { timeCreated: string; editSequence: string; seconds: number } {
    const date = this.now();
    const seconds = Math.floor(date.getTime() / 1000);
    return { timeCreated: date.toISOString().replace(/\.\d{3}Z$/, '+00:00'), editSequence: String(seconds), seconds };
  }

  /**
   * The EditSequence a list record gets when it is modified: the time in seconds, as on adds, but never the one it
   * had (two saves within a second still tell apart, as QuickBooks' must for 3200 to work).
   */
  nextEditSequence(previous: string): string {
    const { editSequence } = this.stamp();
    return Number(editSequence) > Number(previous) ? editSequence : String(Number(previous) + 1);
  }

  /** Control: the bookkeeper saves `record` (by ListID) right after the next query that reads it (a stale EditSequence for the reader). */
  editAfterNextRead(listId: string, edit: (record: QbdCustomer | QbdItem) => void): void {
    this.pendingEdits.push({ listId, edit });
  }

  private readonly pendingEdits: { listId: string; edit: (record: QbdCustomer | QbdItem) => void }[] = [];

  /** Runs the bookkeeper's edits of records a query just answered (their Rets were written before the edit). */
  private afterRead(records: (QbdCustomer | QbdItem)[]): void {
    for (const record of records) {
      const at = this.pendingEdits.findIndex((p) => p.listId === record.listId);
      if (at < 0) continue;
      this.pendingEdits.splice(at, 1)[0]!.edit(record);
      record.editSequence = this.nextEditSequence(record.editSequence);
    }
  }

  private listRecord<T extends object>(fields: T): T & { listId: string; timeCreated: string; editSequence: string } {
    const { timeCreated, editSequence, seconds } = this.stamp();
    this.sequence += 1;
    return { ...fields, listId: `${(0x80000000 + this.sequence).toString(16).toUpperCase()}-${seconds}`, timeCreated, editSequence };
  }

  customerByRef(ref: XmlElement): QbdCustomer | undefined {
    const listId = childText(ref, 'ListID');
    const fullName = childText(ref, 'FullName');
    return this.customers.find((c) => (listId !== undefined ? c.listId === listId : lower(c.name) === lower(fullName ?? '')));
  }

  itemByRef(ref: XmlElement): QbdItem | undefined {
    const listId = childText(ref, 'ListID');
    const fullName = childText(ref, 'FullName');
    return this.items.find((i) => (listId !== undefined ? i.listId === listId : lower(i.name) === lower(fullName ?? '')));
  }

  taxCodeByRef(ref: XmlElement): QbdSalesTaxCode | undefined {
    const listId = childText(ref, 'ListID');
    const fullName = childText(ref, 'FullName');
    return this.salesTaxCodes.find((c) => (listId !== undefined ? c.listId === listId : lower(c.name) === lower(fullName ?? '')));
  }

  /** An active account by ListID or FullName (case-insensitive, as QuickBooks matches names). */
  accountByRef(ref: XmlElement): QbdAccountRef | undefined {
    const listId = childText(ref, 'ListID');
    const fullName = childText(ref, 'FullName');
    const account = this.accounts.find((a) => a.isActive && (listId !== undefined ? a.listId === listId : lower(a.name) === lower(fullName ?? '')));
    return account ? { listId: account.listId, fullName: account.name } : undefined;
  }

  /** The currency an account's amounts are in (by ListID): its own, else the home currency (all of them while Multiple Currencies is off). */
  accountCurrency(listId: string): string {
    const account = this.accounts.find((a) => a.listId === listId);
    return (this.currencies.multiCurrencyOn && account?.currencyCode) || this.currencies.homeCode;
  }

  /** Whether an account of this type carries a currency with Multiple Currencies on (bank, credit card, A/R, A/P [S]; here: Bank). */
  private static carriesCurrency(account: QbdAccount): boolean {
    return account.accountType === 'Bank';
  }

  /**
   * What an account holds from the emulated transactions, debits positive: sales receipts put their total in the
   * account they deposit to, refunds take theirs out of theirs, a deposit moves each line's amount from the line's
   * account into its own and its cash back into the cash back account.
   */
  accountBalance(name: string): string {
    const is = (ref: QbdAccountRef | undefined) => lower(ref?.fullName ?? UNDEPOSITED_FUNDS) === lower(name);
    let cents = 0;
    const add = (amount: string, sign: 1 | -1) => (cents += sign * Math.round(Number(amount) * 100));
    for (const r of this.salesReceipts) if (is(r.depositTo)) add(r.totalAmount, 1);
    for (const r of this.arRefunds) if (is(r.refundFrom)) add(r.totalAmount, -1);
    for (const d of this.deposits) {
      if (is(d.depositTo)) add(d.depositTotal, 1);
      for (const line of d.lines) if (is(line.account)) add(line.amount, -1);
      if (d.cashBack && is(d.cashBack.account)) add(d.cashBack.amount, 1);
    }
    return money(cents / 100);
  }

  customerRet(customer: QbdCustomer): XmlNode {
    return customerRet(customer, this.taxCodeListId, this.itemListId, this.currencies.multiCurrencyOn ? this.currencies.of(customer) : null);
  }

  currencyQuery(rq: XmlElement): HandledRequest {
    return this.currencies.query(rq, this.notFound());
  }

  readonly taxCodeListId = (name: string) => this.salesTaxCodes.find((c) => lower(c.name) === lower(name))?.listId;
  private readonly itemListId = (name: string) => this.items.find((i) => lower(i.name) === lower(name))?.listId;

  // --- queries ---

  customerQuery(rq: XmlElement): HandledRequest {
    const outcome =
      pickExplicit(rq, [
        { element: 'ListID', find: (v) => this.customers.find((c) => c.listId === v) },
        { element: 'FullName', find: (v) => this.customers.find((c) => lower(c.name) === lower(v)) },
      ], this.notFound()) ?? filtered(this.customers.filter((c) => matchesActiveStatus(c.isActive, rq) && matchesNameFilter(c.name, rq)), rq);
    const rets = outcome.found.map((c) => this.customerRet(c));
    this.afterRead(outcome.found);
    return { status: outcome.status, rets };
  }

  itemQuery(rq: XmlElement, onlySalesTax = false): HandledRequest {
    const pool = onlySalesTax ? this.items.filter((i) => i.type === 'SalesTax') : this.items;
    const outcome =
      pickExplicit(rq, [
        { element: 'ListID', find: (v) => pool.find((i) => i.listId === v) },
        { element: 'FullName', find: (v) => pool.find((i) => lower(i.name) === lower(v)) },
      ], this.notFound()) ?? filtered(pool.filter((i) => matchesActiveStatus(i.isActive, rq) && matchesNameFilter(i.name, rq)), rq);
    const rets = outcome.found.map((i) => itemRet(i, this.taxCodeListId));
    this.afterRead(outcome.found);
    return { status: outcome.status, rets };
  }

  salesTaxCodeQuery(rq: XmlElement): HandledRequest {
    const outcome =
      pickExplicit(rq, [
        { element: 'ListID', find: (v) => this.salesTaxCodes.find((c) => c.listId === v) },
        { element: 'FullName', find: (v) => this.salesTaxCodes.find((c) => lower(c.name) === lower(v)) },
      ], this.notFound()) ?? filtered(this.salesTaxCodes.filter((c) => matchesActiveStatus(c.isActive, rq) && matchesNameFilter(c.name, rq)), rq);
    return { status: outcome.status, rets: outcome.found.map(salesTaxCodeRet) };
  }

  salesReceiptQuery(rq: XmlElement): HandledRequest {
    const includeLines = childText(rq, 'IncludeLineItems') === 'true';
    const outcome = this.transactionsAsked(this.salesReceipts, rq);
    return { status: outcome.status, rets: outcome.found.map((r) => salesReceiptRet(r, includeLines, this.taxCodeListId)) };
  }

  /** A transaction query's answer: the explicitly named ones (TxnID, RefNumber, RefNumberCaseSensitive), else those the filters let through. */
  private transactionsAsked<T extends QbdSalesReceipt>(pool: T[], rq: XmlElement): { status: QbxmlStatus; found: T[] } {
    return (
      pickExplicit(rq, [
        { element: 'TxnID', find: (v) => pool.find((r) => r.txnId === v) },
        { element: 'RefNumber', find: (v) => pool.find((r) => r.refNumber !== undefined && lower(r.refNumber) === lower(v)) },
        { element: 'RefNumberCaseSensitive', find: (v) => pool.find((r) => r.refNumber === v) },
      ], this.notFound()) ?? filtered(pool.filter((r) => this.receiptMatchesFilters(r, rq)), rq)
    );
  }

  private receiptMatchesFilters(r: QbdSalesReceipt, rq: XmlElement): boolean {
    if (!matchesTxnDateRange(r.txnDate, rq)) return false;
    const entity = childNamed(rq, 'EntityFilter');
    if (entity && (!r.customer || !matchesRefFilter(entity, r.customer))) return false;
    const refFilter = childNamed(rq, 'RefNumberFilter');
    if (refFilter) {
      const criterion = childText(refFilter, 'MatchCriterion');
      const wanted = lower(childText(refFilter, 'RefNumber') ?? '');
      const have = lower(r.refNumber ?? '');
      if (criterion === 'StartsWith' && !have.startsWith(wanted)) return false;
      if (criterion === 'Contains' && !have.includes(wanted)) return false;
      if (criterion === 'EndsWith' && !have.endsWith(wanted)) return false;
    }
    return true;
  }

  accountQuery(rq: XmlElement): HandledRequest {
    const type = childText(rq, 'AccountType');
    const outcome =
      pickExplicit(rq, [
        { element: 'ListID', find: (v) => this.accounts.find((a) => a.listId === v) },
        { element: 'FullName', find: (v) => this.accounts.find((a) => lower(a.name) === lower(v)) },
      ], this.notFound()) ??
      filtered(this.accounts.filter((a) => matchesActiveStatus(a.isActive, rq) && matchesNameFilter(a.name, rq) && (type === undefined || a.accountType === type)), rq);
    // With Multiple Currencies on, an account that carries a currency names it (home included); others name none [U].
    const currencyOf = (a: QbdAccount) =>
      this.currencies.multiCurrencyOn && QbdCompany.carriesCurrency(a) ? this.currencies.list.find((c) => c.code === this.accountCurrency(a.listId)) : undefined;
    return { status: outcome.status, rets: outcome.found.map((a) => accountRet(a, currencyOf(a))) };
  }

  depositQuery(rq: XmlElement): HandledRequest {
    return depositQuery(this, rq, this.notFound());
  }

  depositAdd(rq: XmlElement): HandledRequest {
    return depositAdd(this, rq);
  }

  customerMod(rq: XmlElement): HandledRequest {
    return customerMod(this, rq);
  }

  itemMod(rq: XmlElement, type: QbdItemType): HandledRequest {
    return itemMod(this, rq, type);
  }

  // --- adds ---

  customerAdd(rq: XmlElement): HandledRequest {
    const add = childNamed(rq, 'CustomerAdd')!;
    const name = childText(add, 'Name')!;
    const taken = this.customers.some((c) => lower(c.name) === lower(name)) || (this.seed.otherNames ?? []).some((n) => lower(n) === lower(name));
    if (taken) return { status: statusNameInUse(name), rets: [] };
    const taxRef = childNamed(add, 'SalesTaxCodeRef');
    const taxCode = taxRef ? this.taxCodeByRef(taxRef) : undefined;
    if (taxRef && !taxCode) return { status: statusInvalidReference('Sales Tax Code', refLabel(taxRef), 'Customer'), rets: [] };
    const itemTaxRef = childNamed(add, 'ItemSalesTaxRef');
    const itemTax = itemTaxRef ? this.itemByRef(itemTaxRef) : undefined;
    if (itemTaxRef && (!itemTax || itemTax.type !== 'SalesTax')) return { status: statusInvalidReference('Item', refLabel(itemTaxRef), 'Customer'), rets: [] };
    const currency = this.currencies.customerCurrency(add);
    if (!currency.ok) return { status: currency.status, rets: [] };
    const optional = (field: keyof QbdCustomer, element: string) => {
      const v = childText(add, element);
      return v === undefined ? {} : { [field]: v };
    };
    const customer = this.listRecord({
      name,
      isActive: childText(add, 'IsActive') !== 'false',
      ...optional('companyName', 'CompanyName'),
      ...optional('firstName', 'FirstName'),
      ...optional('lastName', 'LastName'),
      ...optional('email', 'Email'),
      ...optional('phone', 'Phone'),
      ...(taxCode ? { salesTaxCodeName: taxCode.name } : {}),
      ...(itemTax ? { itemSalesTaxName: itemTax.name } : {}),
      ...(currency.code && currency.code !== this.currencies.homeCode ? { currencyCode: currency.code } : {}),
    }) as QbdCustomer;
    this.customers.push(customer);
    return { status: statusOk(), rets: [this.customerRet(customer)] };
  }

  /**
   * A second copy of a sales receipt under a new TxnID, same RefNumber and Memo: QuickBooks Desktop does not keep
   * RefNumbers unique (FIDELITY.md), so this is what a double post leaves. For audit tests (control, not qbXML).
   */
  duplicateSalesReceipt(txnId: string): QbdSalesReceipt {
    const original = this.salesReceipts.find((r) => r.txnId === txnId);
    if (!original) throw new Error(`no sales receipt ${txnId}`);
    this.txnNumber += 1;
    const copy: QbdSalesReceipt = { ...structuredClone(original), txnId: `${(0x100 + this.txnNumber).toString(16).toUpperCase()}-${original.txnId.split('-')[1]}`, txnNumber: this.txnNumber };
    this.salesReceipts.push(copy);
    return copy;
  }

  /**
   * A bookkeeper's edit of a deposit (control, for audit tests): its first line takes the difference, so the deposit
   * still adds up, and the edit sequence moves on as QuickBooks' does on every modification.
   */
  correctDeposit(txnId: string, total: string): QbdDeposit {
    const deposit = this.deposits.find((d) => d.txnId === txnId);
    if (!deposit) throw new Error(`no deposit ${txnId}`);
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    const [first] = deposit.lines;
    if (first) first.amount = money((cents(first.amount) + cents(total) - cents(deposit.depositTotal)) / 100);
    deposit.depositTotal = money(cents(total) / 100);
    deposit.editSequence = String(Number(deposit.editSequence) + 1);
    return deposit;
  }

  /**
   * A bookkeeper's edit of a credit memo none of whose credit is used yet (control): its last line takes the
   * difference, so it still adds up; its credit is the new total, and the edit sequence moves on.
   */
  correctCreditMemo(txnId: string, total: string): QbdCreditMemo {
    const memo = this.creditMemos.find((m) => m.txnId === txnId);
    if (!memo) throw new Error(`no credit memo ${txnId}`);
    if (memo.creditRemaining !== memo.totalAmount) throw new Error(`credit memo ${txnId} has some of its credit used already`);
    const cents = (amount: string) => Math.round(Number(amount) * 100);
    const last = memo.lines.at(-1);
    if (last) last.amount = money((cents(last.amount) + cents(total) - cents(memo.totalAmount)) / 100);
    memo.subtotal = money((cents(memo.subtotal) + cents(total) - cents(memo.totalAmount)) / 100);
    memo.totalAmount = money(cents(total) / 100);
    memo.creditRemaining = memo.totalAmount;
    memo.editSequence = String(Number(memo.editSequence) + 1);
    return memo;
  }

  salesReceiptAdd(rq: XmlElement): HandledRequest {
    const outcome = this.salesTransaction(childNamed(rq, 'SalesReceiptAdd')!, { object: 'Sales Receipt', header: 'SalesReceipt', line: 'SalesReceipt line', element: 'SalesReceipt' });
    if (!outcome.ok) return { status: outcome.status, rets: [] };
    this.salesReceipts.push(outcome.txn);
    return { status: statusOk(), rets: [salesReceiptRet(outcome.txn, true, this.taxCodeListId)] };
  }

  /** A credit memo holds its total as credit, which a refund (ARRefundCreditCardAdd) pays out. CustomerRef is required by the schema. */
  creditMemoAdd(rq: XmlElement): HandledRequest {
    const outcome = this.salesTransaction(childNamed(rq, 'CreditMemoAdd')!, { object: 'Credit Memo', header: 'CreditMemo', line: 'CreditMemo line', element: 'CreditMemo' });
    if (!outcome.ok) return { status: outcome.status, rets: [] };
    const memo: QbdCreditMemo = { ...outcome.txn, creditRemaining: outcome.txn.totalAmount };
    this.creditMemos.push(memo);
    return { status: statusOk(), rets: [creditMemoRet(memo, true, this.taxCodeListId)] };
  }

  creditMemoQuery(rq: XmlElement): HandledRequest {
    const includeLines = childText(rq, 'IncludeLineItems') === 'true';
    const outcome = this.transactionsAsked(this.creditMemos, rq);
    return { status: outcome.status, rets: outcome.found.map((r) => creditMemoRet(r, includeLines, this.taxCodeListId)) };
  }

  /**
   * A refund of credit memos' credit to the customer (qbXML's ARRefundCreditCard): each applied credit memo must be
   * the customer's, with at least that much credit remaining; the credit falls by it (FIDELITY.md §credit memos).
   */
  arRefundCreditCardAdd(rq: XmlElement): HandledRequest {
    const add = childNamed(rq, 'ARRefundCreditCardAdd')!;
    const fail = (status: QbxmlStatus): HandledRequest => ({ status, rets: [] });
    const header = 'ARRefundCreditCard';
    const customerRef = childNamed(add, 'CustomerRef')!;
    const customer = this.customerByRef(customerRef);
    if (!customer) return fail(statusInvalidReference('Customer', refLabel(customerRef), header));
    const accountRef = childNamed(add, 'RefundFromAccountRef');
    const refundFrom = accountRef ? this.accountByRef(accountRef) : { listId: UNDEPOSITED_FUNDS_ID, fullName: UNDEPOSITED_FUNDS };
    if (!refundFrom) return fail(statusInvalidReference('Account', refLabel(accountRef!), header));
    const applied: Array<{ memo: QbdCreditMemo; amount: number }> = [];
    for (const apply of childrenNamed(add, 'RefundAppliedToTxnAdd')) {
      const txnId = childText(apply, 'TxnID')!;
      const memo = this.creditMemos.find((m) => m.txnId === txnId);
      if (!memo || memo.customer?.listId !== customer.listId) return fail(statusInvalidReference('Transaction', txnId, header));
      const amount = Number(childText(apply, 'RefundAmount'));
      if (!(amount > 0) || amount > Number(memo.creditRemaining) + 1e-9) {
        return fail(statusSaveError('AR Refund Credit Card', `The refund amount ${money(amount)} is more than the credit remaining (${memo.creditRemaining}) on credit memo ${memo.refNumber ?? memo.txnId}.`));
      }
      applied.push({ memo, amount });
    }
    const { timeCreated, editSequence, seconds } = this.stamp();
    this.txnNumber += 1;
    for (const { memo, amount } of applied) memo.creditRemaining = money(Number(memo.creditRemaining) - amount);
    const refund: QbdArRefund = {
      txnId: `${(0x100 + this.txnNumber).toString(16).toUpperCase()}-${seconds}`,
      timeCreated,
      editSequence,
      txnNumber: this.txnNumber,
      customer: { listId: customer.listId, fullName: customer.name },
      txnDate: childText(add, 'TxnDate') ?? timeCreated.slice(0, 10),
      ...(childText(add, 'RefNumber') !== undefined ? { refNumber: childText(add, 'RefNumber')! } : {}),
      ...(childText(add, 'Memo') !== undefined ? { memo: childText(add, 'Memo')! } : {}),
      refundFrom,
      totalAmount: money(applied.reduce((sum, a) => sum + a.amount, 0)),
      applied: applied.map(({ memo, amount }) => ({ txnId: memo.txnId, txnDate: memo.txnDate, refNumber: memo.refNumber, creditRemaining: memo.creditRemaining, refundAmount: money(amount) })),
    };
    this.arRefunds.push(refund);
    return { status: statusOk(), rets: [arRefundCreditCardRet(refund)] };
  }

  /** A sales receipt or credit memo from its …Add aggregate: references checked, tax and totals computed as QuickBooks does. */
  private salesTransaction(
    add: XmlElement,
    names: { object: string; header: string; line: string; element: 'SalesReceipt' | 'CreditMemo' },
  ): { ok: true; txn: QbdSalesReceipt } | { ok: false; status: QbxmlStatus } {
    const fail = (status: QbxmlStatus) => ({ ok: false as const, status });
    const { object, header, line } = names;
    for (const unsupported of [`${names.element}LineGroupAdd`, 'DiscountLineAdd', 'SalesTaxLineAdd', 'ShippingLineAdd']) {
      if (childNamed(add, unsupported)) return fail(statusSaveError(object, `${unsupported} is not emulated by ledgerbridge's QuickBooks Desktop emulator.`));
    }
    const customerRef = childNamed(add, 'CustomerRef');
    const customer = customerRef ? this.customerByRef(customerRef) : undefined;
    if (customerRef && !customer) return fail(statusInvalidReference('Customer', refLabel(customerRef), header));
    const itemTaxRef = childNamed(add, 'ItemSalesTaxRef');
    let itemTax = itemTaxRef ? this.itemByRef(itemTaxRef) : undefined;
    if (itemTaxRef && (!itemTax || itemTax.type !== 'SalesTax')) return fail(statusInvalidReference('Item', refLabel(itemTaxRef), header));
    if (!itemTax && customer?.itemSalesTaxName) itemTax = this.items.find((i) => i.name === customer.itemSalesTaxName);
    const depositRef = childNamed(add, 'DepositToAccountRef');
    const depositTo = depositRef ? this.accountByRef(depositRef) : undefined;
    if (depositRef && !depositTo) return fail(statusInvalidReference('Account', refLabel(depositRef), header));
    const customerTaxRef = childNamed(add, 'CustomerSalesTaxCodeRef');
    const customerTaxCode = customerTaxRef ? this.taxCodeByRef(customerTaxRef) : undefined;
    if (customerTaxRef && !customerTaxCode) return fail(statusInvalidReference('Sales Tax Code', refLabel(customerTaxRef), header));

    const { timeCreated, editSequence, seconds } = this.stamp();
    const lines: QbdSalesReceiptLine[] = [];
    let subtotal = 0;
    let taxable = 0;
    for (const [index, lineAdd] of childrenNamed(add, `${names.element}LineAdd`).entries()) {
      const itemRef = childNamed(lineAdd, 'ItemRef');
      if (!itemRef) return fail(statusSaveError(object, 'A line without an item is not emulated by ledgerbridge\'s QuickBooks Desktop emulator.'));
      const item = this.itemByRef(itemRef);
      if (!item || !item.isActive) return fail(statusInvalidReference('Item', refLabel(itemRef), line));
      if (item.type === 'SalesTax') {
        // A sales tax item as a line (Intuit: taxes "can be reflected in transaction line items"): its amount as
        // entered, a tax adjustment to that item (FIDELITY.md, "Adds"); never itself taxed. What QuickBooks works
        // out for one without an amount (its rate on the lines above it) is not emulated.
        const sent = childText(lineAdd, 'Amount');
        if (sent === undefined) return fail(statusSaveError(object, 'A sales tax item line without an Amount is not emulated by ledgerbridge\'s QuickBooks Desktop emulator.'));
        // The other variant: the SDK ignores the amount and works the item's rate out on the line above, as the form
        // fills a tax line in before anyone types over it.
        const above = lines.at(-1);
        const adjustment = this.salesTaxLineAmount() === 'as-sent' ? Number(sent) : Number(money(((above ? Number(above.amount) : 0) * Number(item.price)) / 100));
        subtotal += adjustment;
        lines.push({ txnLineId: `${(index + 1).toString(16).toUpperCase()}-${seconds}`, itemListId: item.listId, itemName: item.name, amount: money(adjustment), ...(childText(lineAdd, 'Desc') !== undefined ? { desc: childText(lineAdd, 'Desc')! } : {}) });
        continue;
      }
      const lineTaxRef = childNamed(lineAdd, 'SalesTaxCodeRef');
      const lineTaxCode = lineTaxRef ? this.taxCodeByRef(lineTaxRef) : item.salesTaxCodeName ? this.salesTaxCodes.find((c) => c.name === item.salesTaxCodeName) : undefined;
      if (lineTaxRef && !lineTaxCode) return fail(statusInvalidReference('Sales Tax Code', refLabel(lineTaxRef), line));
      const quantity = childText(lineAdd, 'Quantity');
      const rate = childText(lineAdd, 'Rate');
      const amountText = childText(lineAdd, 'Amount');
      const amount = amountText !== undefined ? Number(amountText) : Number(rate ?? item.price) * Number(quantity ?? '1');
      subtotal += amount;
      if (lineTaxCode?.isTaxable) taxable += amount;
      lines.push({
        txnLineId: `${(index + 1).toString(16).toUpperCase()}-${seconds}`,
        itemListId: item.listId,
        itemName: item.name,
        amount: money(amount),
        ...(childText(lineAdd, 'Desc') !== undefined ? { desc: childText(lineAdd, 'Desc')! } : {}),
        ...(quantity !== undefined ? { quantity } : {}),
        ...(rate !== undefined ? { rate } : {}),
        ...(lineTaxCode ? { salesTaxCodeName: lineTaxCode.name } : {}),
      });
    }
    const ratePercent = itemTax ? Number(itemTax.price) : 0;
    const isTaxIncluded = childText(add, 'IsTaxIncluded') === 'true';
    // Tax-included amounts carry their tax: it is taken out of them, not added.
    const tax = isTaxIncluded ? taxable - taxable / (1 + ratePercent / 100) : (taxable * ratePercent) / 100;
    const totalAmount = isTaxIncluded ? subtotal : subtotal + tax;
    const currency = this.currencies.saleCurrency(add, customer, object, totalAmount);
    if (!currency.ok) return fail(currency.status);
    this.txnNumber += 1;
    const refNumber = childText(add, 'RefNumber') ?? String(this.autoRefNumber++);
    return {
      ok: true,
      txn: {
        txnId: `${(0x100 + this.txnNumber).toString(16).toUpperCase()}-${seconds}`,
        timeCreated,
        editSequence,
        txnNumber: this.txnNumber,
        ...(customer ? { customer: { listId: customer.listId, fullName: customer.name } } : {}),
        txnDate: childText(add, 'TxnDate') ?? timeCreated.slice(0, 10),
        refNumber,
        ...(childText(add, 'Memo') !== undefined ? { memo: childText(add, 'Memo')! } : {}),
        ...(depositTo ? { depositTo } : {}),
        ...(itemTax ? { itemSalesTax: { listId: itemTax.listId, fullName: itemTax.name, ratePercent: money(ratePercent) } } : {}),
        ...(customerTaxCode ? { customerSalesTaxCodeName: customerTaxCode.name } : {}),
        ...(childText(add, 'IsTaxIncluded') !== undefined ? { isTaxIncluded } : {}),
        subtotal: money(isTaxIncluded ? subtotal - tax : subtotal),
        salesTaxTotal: money(tax),
        totalAmount: money(totalAmount),
        ...(currency.currency ? { currency: currency.currency } : {}),
        lines,
      },
    };
  }
}
