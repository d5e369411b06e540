import type { LedgerDocumentRef, LedgerPayout, LedgerPayoutLine, LedgerSaleAccount } from '../../domain/accounting-target.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import { normalizeAmount } from '../../domain/money.js';
import { payoutBankInCurrency } from '../payout-bank-currency.js';
import { forgetAccountNamed, requireAccountNamed, type QboNamedAccount } from './account-by-name.js';
import { qboDocumentRef } from './document-ref.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import type { QboPayoutAccountNames } from './payout-route-options.js';
import { qboQueryString } from './query-literal.js';
import { diagnoseAccountReferences, namingTheReference } from './reference-diagnosis.js';

/** What a payout becomes in QuickBooks Online. */
export const DEPOSIT = 'deposit';

/**
 * Payouts as QuickBooks Online deposits into the route's bank account: a line per order taking its charge out of
 * the account its sale went to (the clearing account), refunds put back there, fees as a negative line on the fee
 * account, adjustments and chargebacks on the adjustment account. The lines add up to the payout's net. Marked as
 * ours by the private note; found again by its number before every write.
 */
export class QboPayoutDeposits {
  constructor(
    private readonly client: QboClient,
    private readonly cacheKey: string,
    private readonly accounts: QboPayoutAccountNames,
    /** The company's home currency (cached with its preferences): the currency of an account naming none. */
    private readonly homeCurrency: () => Promise<string>,
  ) {}

  async find(docNumber: string): Promise<LedgerDocumentRef | null> {
    const result = await this.client.query(`select * from Deposit where DocNumber = ${qboQueryString(docNumber)}`, `deposit ${docNumber}`);
    const found = ((result.Deposit ?? []) as QboEntity[])[0];
    return found ? qboDocumentRef(found, DEPOSIT) : null;
  }

  /** The account a sales receipt deposited to; Undeposited Funds cannot be cleared by an account line. */
  async saleAccount(saleId: string): Promise<LedgerSaleAccount | null> {
    const sale = await this.client.read('salesreceipt', 'SalesReceipt', saleId, `sales receipt ${saleId}`).catch((error: unknown) => {
      if (error instanceof LedgerRejectedError && (error.code === '610' || error.code === '2500')) return null;
      throw error;
    });
    const accountId = (sale?.DepositToAccountRef as { value?: unknown } | undefined)?.value;
    if (!sale || accountId === undefined || accountId === null) return null;
    const account = await this.client.read('account', 'Account', String(accountId), `the account of sales receipt ${saleId}`);
    return { id: String(account.Id), name: String(account.Name), clearable: account.AccountSubType !== 'UndepositedFunds', saleTotal: qboDocumentRef(sale, 'sales receipt').total };
  }

  /**
   * The route's bank account, in the payout's currency (platforms/payout-bank-currency.ts). QuickBooks takes a
   * deposit into a foreign-currency account only in that currency, and may take foreign money into a home-currency
   * account at its own rate (emulators/qbo/FIDELITY.md, "Deposits"): neither a refusal to park on nor a conversion
   * to book, so the payout waits for a bank account in its currency.
   */
  private async bankInPayoutCurrency(payout: LedgerPayout): Promise<QboNamedAccount> {
    const name = this.accounts.payoutBankAccount;
    return payoutBankInCurrency(payout, { name: 'QuickBooks Online', why: "a deposit is in its bank account's currency" }, async (fresh) => {
      if (fresh) forgetAccountNamed(this.cacheKey, name);
      const bank = await requireAccountNamed(this.client, this.cacheKey, 'payoutBankAccount', name, 'the bank account payouts are deposited to');
      return { ...bank, currency: bank.currency ?? ((await this.homeCurrency()) || 'the home currency') };
    });
  }

  async book(payout: LedgerPayout, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const existing = await this.find(payout.docNumber);
    if (existing) return existing;
    const bank = await this.bankInPayoutCurrency(payout);
    const needs = (kind: LedgerPayoutLine['kind']) => payout.lines.some((line) => line.kind === kind);
    const fees = needs('fee') || (needs('adjustment') || needs('chargeback')) && this.accounts.payoutAdjustmentAccount === ''
      ? await requireAccountNamed(this.client, this.cacheKey, 'payoutFeeAccount', this.accounts.payoutFeeAccount, 'payment processing fees')
      : null;
    const adjustments = needs('adjustment') || needs('chargeback')
      ? this.accounts.payoutAdjustmentAccount === ''
        ? fees
        : await requireAccountNamed(this.client, this.cacheKey, 'payoutAdjustmentAccount', this.accounts.payoutAdjustmentAccount, 'payout adjustments and chargebacks')
      : null;
    const accountOf = (line: LedgerPayoutLine): string => {
      if (line.kind === 'sale' || line.kind === 'refund') return line.clearingAccountId!;
      return line.kind === 'fee' ? fees!.id : adjustments!.id;
    };
    const payload: QboEntity = {
      DocNumber: payout.docNumber,
      TxnDate: payout.date,
      CurrencyRef: { value: payout.currency },
      DepositToAccountRef: { value: bank.id },
      PrivateNote: payout.marker,
      Line: payout.lines.map((line) => ({
        DetailType: 'DepositLineDetail',
        Amount: Number(normalizeAmount(line.amount, payout.currency)),
        Description: line.description,
        DepositLineDetail: { AccountRef: { value: accountOf(line) } },
      })),
    };
    const subject = `deposit ${payout.docNumber}`;
    try {
      return qboDocumentRef(await this.client.create('deposit', 'Deposit', payload, { idempotencyKey, subject }), DEPOSIT);
    } catch (error) {
      if (error instanceof LedgerRejectedError && (error.code === '610' || error.code === '2500')) {
        for (const name of Object.values(this.accounts)) forgetAccountNamed(this.cacheKey, name);
      }
      if (error instanceof LedgerRejectedError && error.code === '6140') {
        const holder = await this.find(payout.docNumber);
        if (holder) return holder;
      }
      // A deposit refers to accounts only (its bank, each line's): name the one that is inactive or gone.
      const accountIds = [bank.id, ...payout.lines.map(accountOf)];
      throw await namingTheReference(error, subject, () => diagnoseAccountReferences(this.client, accountIds));
    }
  }
}
