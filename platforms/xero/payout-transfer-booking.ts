import { BankTransaction, LineAmountTypes, type BankTransfer, type LineItem } from 'xero-node';
import { saleListing, type LedgerDateRange, type LedgerDocumentRef, type LedgerPayout, type LedgerPayoutLine, type LedgerSaleListing } from '../../domain/accounting-target.js';
import { amountsIn, normalizeAmount } from '../../domain/money.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { PayoutAccountNames } from '../payout-account-options.js';
import { payoutBankInCurrency } from '../payout-bank-currency.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import { findBankTransaction } from './receive-money-booking.js';
import { isLive, isoDay, preferLive } from './sale-booking.js';
import { whereDateBetween } from './date-range-listing.js';
import { receiveMoneyReference } from './sale-receive-money-payload.js';
import { forgetXeroAccountNamed, requireXeroAccountNamed, type XeroAccount } from './xero-account-by-name.js';
import type { XeroApi } from './xero-api.js';
import { whereString } from './where-literal.js';

/** What a payout becomes in Xero, for messages. */
export const BANK_TRANSFER = 'bank transfer';

/** The bank transactions beside the transfer, numbered after it: "PO-9001-SPEND", "PO-9001-RECEIVE". */
const SIDE_DOCUMENTS = { SPEND: '-SPEND', RECEIVE: '-RECEIVE' } as const;

function transferRef(transfer: BankTransfer, docNumber: string): LedgerDocumentRef {
  const reference = transfer.reference ?? '';
  return {
    id: String(transfer.bankTransferID),
    docNumber,
    // Xero keeps two decimals in every currency (its amounts are not in the currency's own minor units).
    total: normalizeAmount(Number(transfer.amount ?? 0), 'XXX2'),
    kind: BANK_TRANSFER,
    marker: reference.startsWith(`${docNumber} `) ? reference.slice(docNumber.length + 1) : reference,
  };
}

/**
 * Payouts in Xero, where a deposit with account lines does not exist: the sales were paid into the route's clearing
 * BANK account, so the payout is a bank transfer of its net from clearing to the payout bank account, beside one
 * spend-money out of clearing for its fees and negative adjustments and chargebacks, and one receive-money into
 * clearing for positive adjustments. Together they take out of clearing what the payout's sales put in, less the
 * refunds paid back. Each carries `<number> <our marker>` as its Reference and is looked up by it before it is
 * written; the transfer goes last, so finding it means the whole payout is booked.
 */
export class XeroPayoutTransfers {
  constructor(
    private readonly api: XeroApi,
    private readonly cacheKey: string,
    private readonly accounts: PayoutAccountNames,
    /** The organisation's base currency (cached): the currency of a bank account naming none. */
    private readonly baseCurrency: () => Promise<string>,
  ) {}

  async find(docNumber: string): Promise<LedgerDocumentRef | null> {
    const transfer = await this.findTransfer(docNumber);
    return transfer ? transferRef(transfer, docNumber) : null;
  }

  /**
   * The live transfers dated in the range, ours and the organisation's own: a reconciliation audit reads the payout
   * in the Reference and compares the Amount (the payout's net). BankTransfers take no page (xero-node
   * `getBankTransfers` has none): one answer holds them all.
   */
  async listBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    const body = await this.api.call('the listing of bank transfers', (api, tenant) => api.getBankTransfers(tenant, undefined, whereDateBetween(range)));
    return (body.bankTransfers ?? []).filter(isLive).map((transfer) => {
      const docNumber = (transfer.reference ?? '').split(' ', 1)[0]!;
      // A transfer names no currency: both its accounts are in one (the comparer then checks the amount only).
      return saleListing(transferRef(transfer, docNumber), BANK_TRANSFER, isoDay(transfer.date), null);
    });
  }

  async book(payout: LedgerPayout, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const existing = await this.findTransfer(payout.docNumber);
    if (existing) return transferRef(existing, payout.docNumber);
    const money = amountsIn(payout.currency);
    if (money.minor(payout.net) <= 0) {
      throw new LedgerRejectedError(
        'payout-not-positive',
        `Payout ${payout.docNumber} was not booked: its net is ${payout.net} ${payout.currency}, and a Xero bank transfer moves only a positive amount. Book it by hand.`,
        `net ${payout.net}`,
      );
    }
    try {
      const clearing = await this.account('clearingAccount', "the route's sales (its clearing account)", { bank: true, code: false });
      const strayed = payout.lines.filter((line) => (line.kind === 'sale' || line.kind === 'refund') && line.clearingAccountId !== clearing.accountID);
      if (strayed.length > 0) {
        throw new LedgerRejectedError(
          'payout-clearing-account',
          `Payout ${payout.docNumber} was not booked: ${strayed.map((line) => line.description).join(', ')} went to another account than the route's clearing account "${clearing.name}". Book this payout by hand.`,
          strayed.map((line) => `${line.description}: ${line.clearingAccountId}`).join('; '),
        );
      }
      const bank = await this.bankInPayoutCurrency(payout);
      const others = payout.lines.filter((line) => line.kind !== 'sale' && line.kind !== 'refund');
      const spent = others.filter((line) => money.minor(line.amount) < 0);
      const received = others.filter((line) => money.minor(line.amount) > 0);
      if (spent.length > 0) await this.sideDocument('SPEND', payout, clearing, spent, idempotencyKey);
      if (received.length > 0) await this.sideDocument('RECEIVE', payout, clearing, received, idempotencyKey);
      const transfer: BankTransfer = {
        fromBankAccount: { accountID: clearing.accountID },
        toBankAccount: { accountID: bank.accountID },
        amount: Number(normalizeAmount(payout.net, payout.currency)),
        date: payout.date,
        reference: receiveMoneyReference(payout.docNumber, payout.marker),
      };
      const key = xeroIdempotencyKey(`transfer:${idempotencyKey}`, transfer);
      const body = await this.api.call(`bank transfer ${payout.docNumber}`, (api, tenant) => api.createBankTransfer(tenant, { bankTransfers: [transfer] }, key));
      return transferRef(body.bankTransfers![0]!, payout.docNumber);
    } catch (error) {
      // A refused account may have been archived or renamed since it was read: read the names again next time.
      if (error instanceof LedgerRejectedError && error.code !== 'payout-clearing-account') {
        for (const name of Object.values(this.accounts)) forgetXeroAccountNamed(this.cacheKey, name);
      }
      throw error;
    }
  }

  /**
   * The route's bank account, in the payout's currency (platforms/payout-bank-currency.ts): a transfer through the
   * API names one amount, so Xero refuses one between bank accounts in two currencies or would have to convert it at
   * a rate nobody chose (emulators/xero/FIDELITY.md, "Bank transfers"). Read before the fees are spent out of
   * clearing, so a payout that waits has written nothing.
   */
  private bankInPayoutCurrency(payout: LedgerPayout): Promise<XeroAccount & { currency: string }> {
    return payoutBankInCurrency(payout, { name: 'Xero', why: 'Xero transfers a payout only between bank accounts in its currency' }, async (fresh) => {
      if (fresh) forgetXeroAccountNamed(this.cacheKey, this.accounts.payoutBankAccount);
      const bank = await this.account('payoutBankAccount', 'the bank account payouts are paid into', { bank: true, code: false });
      return { ...bank, currency: bank.currencyCode ?? ((await this.baseCurrency()) || 'the base currency') };
    });
  }

  private account(option: keyof PayoutAccountNames, purpose: string, needs: { bank: boolean; code: boolean }): Promise<XeroAccount> {
    return requireXeroAccountNamed(this.api, this.cacheKey, option, this.accounts[option], purpose, needs);
  }

  /** The account a fee, adjustment or chargeback line goes to; adjustments fall back to the fee account. */
  private async lineAccount(line: LedgerPayoutLine): Promise<XeroAccount> {
    const needs = { bank: false, code: true };
    if (line.kind === 'fee' || this.accounts.payoutAdjustmentAccount === '') return this.account('payoutFeeAccount', 'payment processing fees', needs);
    return this.account('payoutAdjustmentAccount', 'payout adjustments and chargebacks', needs);
  }

  /** One spend- or receive-money transaction on clearing, unless its number is there already. */
  private async sideDocument(type: 'SPEND' | 'RECEIVE', payout: LedgerPayout, clearing: XeroAccount, lines: LedgerPayoutLine[], idempotencyKey: string): Promise<void> {
    const docNumber = `${payout.docNumber}${SIDE_DOCUMENTS[type]}`;
    if (await findBankTransaction(this.api, type, docNumber)) return;
    const money = amountsIn(payout.currency);
    const lineItems: LineItem[] = [];
    for (const line of lines) {
      const account = await this.lineAccount(line);
      lineItems.push({ description: line.description, quantity: 1, unitAmount: Number(money.amount(Math.abs(money.minor(line.amount)))), accountCode: account.code! });
    }
    const payload: BankTransaction = {
      type: BankTransaction.TypeEnum[type],
      // Xero wants a contact on money spent or received; one of this name is used, or made once [S].
      contact: { name: payout.payee },
      bankAccount: { accountID: clearing.accountID },
      date: payout.date,
      reference: receiveMoneyReference(docNumber, payout.marker),
      currencyCode: payout.currency as unknown as BankTransaction['currencyCode'],
      status: BankTransaction.StatusEnum.AUTHORISED,
      lineAmountTypes: LineAmountTypes.NoTax,
      lineItems,
    };
    const key = xeroIdempotencyKey(`payout-${type.toLowerCase()}:${idempotencyKey}`, payload);
    await this.api.call(`the ${type === 'SPEND' ? 'fees and charges' : 'adjustments'} of payout ${payout.docNumber}`, (api, tenant) =>
      api.createBankTransactions(tenant, { bankTransactions: [payload] }, undefined, undefined, key),
    );
  }

  /** The transfer whose Reference opens with the number, a live one first (a deleted one still counts: never twice). */
  private async findTransfer(docNumber: string): Promise<BankTransfer | null> {
    const prefix = `${docNumber} `;
    const body = await this.api.call('a bank transfer lookup', (api, tenant) => api.getBankTransfers(tenant, undefined, `Reference.StartsWith(${whereString(prefix)})`, undefined, true));
    // The where clause may ignore case; the number must match exactly.
    return preferLive((body.bankTransfers ?? []).filter((transfer) => (transfer.reference ?? '').startsWith(prefix)));
  }
}
