import type { BankTransaction } from 'xero-node';
import { saleListing, type LedgerDateRange, type LedgerDocumentRef, type LedgerSale, type LedgerSaleListing, type LedgerTaxSetup } from '../../domain/accounting-target.js';
import { normalizeAmount } from '../../domain/money.js';
import { allPages, whereDateBetween } from './date-range-listing.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import type { SaleAccounts } from './sale-invoice-payload.js';
import { RECEIVE_MONEY, isLive, isoDay, preferLive, type XeroSaleBooking } from './sale-booking.js';
import { toSaleReceiveMoney } from './sale-receive-money-payload.js';
import type { XeroApi } from './xero-api.js';
import { whereString } from './where-literal.js';

/** A bank transaction as the engine sees it: its number is the head of its Reference, our marker the rest. */
export function bankTransactionRef(transaction: BankTransaction, docNumber: string, kind: string): LedgerDocumentRef {
  const reference = transaction.reference ?? '';
  return {
    id: String(transaction.bankTransactionID),
    docNumber,
    total: normalizeAmount(Number(transaction.total ?? 0), String(transaction.currencyCode ?? 'USD')),
    kind,
    marker: reference.startsWith(`${docNumber} `) ? reference.slice(docNumber.length + 1) : reference,
  };
}

/** The bank transaction of this type whose Reference opens with the number, a live one first. */
export async function findBankTransaction(api: XeroApi, type: 'RECEIVE' | 'SPEND', docNumber: string): Promise<BankTransaction | null> {
  const prefix = `${docNumber} `;
  const where = `Type==${whereString(type)} AND Reference.StartsWith(${whereString(prefix)})`;
  const body = await api.call('a lookup', (client, tenant) => client.getBankTransactions(tenant, undefined, where));
  // The where clause may ignore case; the number must match exactly.
  return preferLive((body.bankTransactions ?? []).filter((transaction) => (transaction.reference ?? '').startsWith(prefix)));
}

function toDocumentRef(transaction: BankTransaction, docNumber: string): LedgerDocumentRef {
  return bankTransactionRef(transaction, docNumber, RECEIVE_MONEY);
}

/**
 * A paid sale as a receive-money bank transaction. Xero enforces no unique number here, so the lookup by
 * Reference before every write and the Idempotency-Key are what keep a retry from booking twice.
 */
export class ReceiveMoneyBooking implements XeroSaleBooking {
  readonly kind = RECEIVE_MONEY;

  constructor(
    private readonly api: XeroApi,
    private readonly accounts: SaleAccounts,
  ) {}

  async find(docNumber: string): Promise<LedgerDocumentRef | null> {
    const found = await this.findTransaction(docNumber);
    return found ? toDocumentRef(found, docNumber) : null;
  }

  async book(receipt: LedgerSale, setup: LedgerTaxSetup, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const existing = await this.findTransaction(receipt.docNumber);
    if (existing) return toDocumentRef(existing, receipt.docNumber);
    const payload = toSaleReceiveMoney(receipt, setup, this.accounts);
    const key = xeroIdempotencyKey(`receive:${idempotencyKey}`, payload);
    const body = await this.api.call(`the money received for sale ${receipt.docNumber}`, (api, tenant) =>
      api.createBankTransactions(tenant, { bankTransactions: [payload] }, undefined, undefined, key),
    );
    return toDocumentRef(body.bankTransactions![0]!, receipt.docNumber);
  }

  /** Money received dated in the range: `where` on Type and Date, 100 a page; the number heads each Reference. */
  async listBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    const where = `Type=="RECEIVE" AND ${whereDateBetween(range)}`;
    const transactions = await allPages(
      async (page) => (await this.api.call('the listing of money received', (api, tenant) => api.getBankTransactions(tenant, undefined, where, undefined, page))).bankTransactions ?? [],
      'money received',
    );
    return transactions.filter(isLive).map((transaction) => {
      const docNumber = (transaction.reference ?? '').split(' ', 1)[0]!;
      return saleListing(bankTransactionRef(transaction, docNumber, RECEIVE_MONEY), RECEIVE_MONEY, isoDay(transaction.date), transaction.currencyCode ? String(transaction.currencyCode) : null);
    });
  }

  private findTransaction(docNumber: string): Promise<BankTransaction | null> {
    return findBankTransaction(this.api, 'RECEIVE', docNumber);
  }
}
