import { saleListing, type LedgerDateRange, type LedgerDocumentRef, type LedgerPayout, type LedgerPayoutLine, type LedgerSaleAccount, type LedgerSaleListing } from '../../domain/accounting-target.js';
import { LedgerSettingMissingError, PlatformUnavailableError } from '../../domain/platform-errors.js';
import { toMinor } from '../../domain/money.js';
import type { PayoutAccountNames } from '../payout-account-options.js';
import { depositWithoutNegativeLines } from './deposit-without-negative-lines.js';
import { payoutDepositCurrencyId, type ReadQbdCurrencies } from './qbd-deposit-currency.js';
import { qbxmlAmount } from './qbxml-amount.js';
import type { QbxmlResponse } from './qbxml-envelope.js';
import { childNamed, childText, leaf, type XmlElement, type XmlNode } from './xml-tree.js';

/** What a payout becomes in QuickBooks Desktop. */
export const DEPOSIT = 'deposit';

/** Where a sales receipt without a DepositToAccountRef goes [S]: a deposit line cannot clear it (its payments are moved, not an amount). */
export const UNDEPOSITED_FUNDS = 'Undeposited Funds';

/** How far from the payout's date a deposit of ours is still looked for (a person may have moved its date a little). */
const SEARCH_DAYS = 7;

/** One request to the company and its answer ("nothing found" included); refusals are thrown by the caller's channel. */
export type QbdAsk = (request: XmlNode, action: string) => Promise<QbxmlResponse>;

/**
 * Payouts as QuickBooks Desktop deposits (`DepositAdd`, quickbooks-desktop.md §7) into the route's bank account: a
 * line per order taking its payment out of the account its sales receipt went to (the clearing account), refunds
 * netted against them, fees and other money kept back as the deposit's cash back (see depositWithoutNegativeLines).
 * A deposit has no number in qbXML and QuickBooks takes no idempotency key (§11): ours is known by its Memo, whose
 * first line names the payout, and is looked for by `DepositQuery` around the payout's date before every add, so a
 * deposit whose answer was lost is found, never added twice.
 */
export class QbdPayoutDeposits {
  constructor(
    private readonly ask: QbdAsk,
    private readonly ledgerName: string,
    private readonly accounts: PayoutAccountNames,
    private readonly currencies: ReadQbdCurrencies,
  ) {}

  /** The deposit whose Memo opens with this payout's marker, booked within a week of its date. */
  async find(docNumber: string, payout: { date: string; marker: string }): Promise<LedgerDocumentRef | null> {
    const deposits = await this.depositsDated({ from: shiftDate(payout.date, -SEARCH_DAYS), to: shiftDate(payout.date, SEARCH_DAYS) }, `the search for the deposit of ${docNumber}`);
    const ours = deposits.find((ret) => firstLine(childText(ret, 'Memo')) === payout.marker);
    return ours ? depositRef(ours, docNumber) : null;
  }

  /**
   * Every deposit dated in the range, ours and the bank's others: a reconciliation audit reads the payout in the Memo's
   * first line and compares the deposit's total (the payout's net). Ours give their number on the Memo's second line.
   */
  async listBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    const deposits = await this.depositsDated(range, `the listing of deposits from ${range.from} to ${range.to}`);
    return deposits.map((ret) => {
      const docNumber = NUMBER_LINE.exec(childText(ret, 'Memo') ?? '')?.[1] ?? childText(ret, 'TxnID') ?? '';
      // The company's home currency: QuickBooks Desktop names currencies, not by ISO code.
      return saleListing({ ...depositRef(ret, docNumber), marker: firstLine(childText(ret, 'Memo')) || null }, DEPOSIT, childText(ret, 'TxnDate') ?? '', null);
    });
  }

  /** One `DepositQuery` by TxnDate, answering only what tells ours apart and what the engine reads (notes §6: IncludeRetElement trims the answer). */
  private async depositsDated(range: LedgerDateRange, action: string): Promise<XmlElement[]> {
    const response = await this.ask(
      {
        name: 'DepositQueryRq',
        children: [
          { name: 'TxnDateRangeFilter', children: [leaf('FromTxnDate', range.from), leaf('ToTxnDate', range.to)] },
          ...['TxnID', 'TxnDate', 'Memo', 'DepositTotal'].map((element) => leaf('IncludeRetElement', element)),
        ],
      },
      action,
    );
    return response.rets.filter((ret) => ret.local === 'DepositRet');
  }

  /** The account a sales receipt deposited to (its ListID) and its total; null when the receipt is gone. */
  async saleAccount(saleTxnId: string): Promise<LedgerSaleAccount | null> {
    const response = await this.ask({ name: 'SalesReceiptQueryRq', children: [leaf('TxnID', saleTxnId)] }, `the sales receipt ${saleTxnId}`);
    const sale = response.rets.find((ret) => ret.local === 'SalesReceiptRet');
    if (!sale) return null;
    const account = childNamed(sale, 'DepositToAccountRef');
    const name = (account && childText(account, 'FullName')) ?? UNDEPOSITED_FUNDS;
    return {
      id: (account && childText(account, 'ListID')) ?? name,
      name,
      clearable: name.toLowerCase() !== UNDEPOSITED_FUNDS.toLowerCase(),
      saleTotal: childText(sale, 'TotalAmount') ?? '0.00',
    };
  }

  async book(payout: LedgerPayout): Promise<LedgerDocumentRef> {
    const existing = await this.find(payout.docNumber, payout);
    if (existing) return existing;
    const needs = (...kinds: LedgerPayoutLine['kind'][]) => payout.lines.some((line) => kinds.includes(line.kind));
    const adjustmentOption = this.accounts.payoutAdjustmentAccount === '' ? 'payoutFeeAccount' : 'payoutAdjustmentAccount';
    const wanted: Array<{ option: keyof PayoutAccountNames; purpose: string }> = [
      { option: 'payoutBankAccount', purpose: 'the bank account payouts are deposited to' },
      ...(needs('fee') || (needs('adjustment', 'chargeback') && adjustmentOption === 'payoutFeeAccount') ? [{ option: 'payoutFeeAccount' as const, purpose: 'payment processing fees' }] : []),
      ...(needs('adjustment', 'chargeback') && adjustmentOption === 'payoutAdjustmentAccount' ? [{ option: 'payoutAdjustmentAccount' as const, purpose: 'payout adjustments and chargebacks' }] : []),
    ];
    const { ids, rets } = await this.accountIds(wanted);
    // Multiple Currencies on: only into a bank account in the payout's currency, named on the deposit (qbd-deposit-currency.ts).
    const currencyId = await payoutDepositCurrencyId(payout, rets.payoutBankAccount!, this.ledgerName, this.currencies);
    const accountOf = (line: LedgerPayoutLine): string => {
      if (line.kind === 'sale' || line.kind === 'refund') return line.clearingAccountId!;
      return line.kind === 'fee' ? ids.payoutFeeAccount! : ids[adjustmentOption]!;
    };
    const money = (cents: number) => qbxmlAmount(cents, payout.currency);
    const { lines, cashBack } = depositWithoutNegativeLines(
      payout.lines.map((line) => ({ accountId: accountOf(line), cents: toMinor(line.amount, payout.currency), memo: line.description })),
      money,
      this.ledgerName,
    );
    const response = await this.ask(
      {
        name: 'DepositAddRq',
        children: [
          {
            name: 'DepositAdd',
            children: [
              leaf('TxnDate', payout.date),
              { name: 'DepositToAccountRef', children: [leaf('ListID', ids.payoutBankAccount)] },
              leaf('Memo', `${payout.marker}\nledgerbridge number ${payout.docNumber}`),
              cashBack
                ? { name: 'CashBackInfoAdd', children: [{ name: 'AccountRef', children: [leaf('ListID', cashBack.accountId)] }, leaf('Memo', cashBack.memo), leaf('Amount', money(cashBack.cents))] }
                : null,
              currencyId ? { name: 'CurrencyRef', children: [leaf('ListID', currencyId)] } : null,
              ...lines.map(
                (line): XmlNode => ({
                  name: 'DepositLineAdd',
                  children: [{ name: 'AccountRef', children: [leaf('ListID', line.accountId)] }, leaf('Memo', line.memo), leaf('Amount', money(line.cents))],
                }),
              ),
            ],
          },
        ],
      },
      `the deposit of ${payout.docNumber}`,
    );
    const ret = response.rets.find((r) => r.local === 'DepositRet');
    // Looked up again on the retry: a deposit that was added after all is found, not added twice.
    if (!ret) throw new PlatformUnavailableError(null, `${this.ledgerName} answered the deposit of ${payout.docNumber} without it; it is checked and tried again.`, response.statusMessage);
    return depositRef(ret, payout.docNumber);
  }

  /**
   * The ListIDs of the route's chosen accounts (and their `AccountRet`s), one `AccountQuery` for all, read afresh for
   * each deposit; a setting unchosen or naming no active account waits for a person.
   */
  private async accountIds(
    wanted: Array<{ option: keyof PayoutAccountNames; purpose: string }>,
  ): Promise<{ ids: Partial<Record<keyof PayoutAccountNames, string>>; rets: Partial<Record<keyof PayoutAccountNames, XmlElement>> }> {
    for (const { option, purpose } of wanted) {
      if (this.accounts[option] === '') {
        throw new LedgerSettingMissingError(
          option,
          `No account is chosen for ${purpose} in ${this.ledgerName}: choose one for the route (PUT /routes/<route>/ledger-options {"${option}": "<account name>"}), then retry.`,
          `route option ${option} is unset`,
        );
      }
    }
    const response = await this.ask(
      { name: 'AccountQueryRq', children: [...new Set(wanted.map(({ option }) => this.accounts[option]))].map((name) => leaf('FullName', name)) },
      'the accounts of the payout',
    );
    const found = response.rets.filter((ret) => ret.local === 'AccountRet' && childText(ret, 'IsActive') !== 'false');
    const ids: Partial<Record<keyof PayoutAccountNames, string>> = {};
    const rets: Partial<Record<keyof PayoutAccountNames, XmlElement>> = {};
    for (const { option, purpose } of wanted) {
      const name = this.accounts[option];
      const account = found.find((ret) => (childText(ret, 'FullName') ?? '').toLowerCase() === name.toLowerCase());
      if (!account) {
        throw new LedgerSettingMissingError(
          option,
          `${this.ledgerName} has no active account named "${name}" (chosen for ${purpose}): create it in QuickBooks or choose another account for the route (${option}), then retry.`,
          `AccountQuery FullName "${name}" found nothing active`,
        );
      }
      ids[option] = childText(account, 'ListID') ?? '';
      rets[option] = account;
    }
    return { ids, rets };
  }
}

function depositRef(ret: XmlElement, docNumber: string): LedgerDocumentRef {
  return { id: childText(ret, 'TxnID') ?? '', docNumber, total: childText(ret, 'DepositTotal') ?? '0.00', kind: DEPOSIT, marker: childText(ret, 'Memo') ?? null };
}

/** The Memo line `bookPayout` writes under the marker: "ledgerbridge number PO-…". */
const NUMBER_LINE = /^ledgerbridge number (\S+)$/m;

function firstLine(memo: string | undefined | null): string {
  return (memo ?? '').split('\n', 1)[0]!;
}

function shiftDate(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}
