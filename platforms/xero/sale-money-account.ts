import { normalizeAmount } from '../../domain/money.js';
import type { XeroApi } from './xero-api.js';
import { preferLive } from './sale-booking.js';

/** Where a booked sale's money went, and the sale's total as Xero holds it now. */
export interface SaleMoney {
  account: { accountID: string; code: string | null };
  total: string;
}

/**
 * The bank account a booked sale's money went into: the account of its invoice's payment, or the bank account of its
 * receive money. `invoiceFirst`: which kind the route books (an order booked before its route's `saleDocument`
 * changed is the other kind). Null when Xero no longer has the sale, or the invoice was never paid.
 */
export async function saleMoneyAccount(api: XeroApi, saleId: string, invoiceFirst: boolean): Promise<SaleMoney | null> {
  const readers = invoiceFirst ? [invoicePayment, receivedMoney] : [receivedMoney, invoicePayment];
  for (const read of readers) {
    const found = await read(api, saleId);
    if (found) return found;
  }
  return null;
}

async function invoicePayment(api: XeroApi, invoiceId: string): Promise<SaleMoney | null> {
  const body = await api.call('the sale invoice', (client, tenant) => client.getInvoices(tenant, undefined, undefined, undefined, [invoiceId]));
  const invoice = (body.invoices ?? []).find((candidate) => candidate.invoiceID === invoiceId);
  const paymentId = invoice?.payments?.find((payment) => payment.paymentID)?.paymentID;
  if (!invoice || !paymentId) return null;
  const payments = await api.call('the payment of the sale invoice', (client, tenant) => client.getPayment(tenant, paymentId));
  const account = payments.payments?.[0]?.account;
  if (!account?.accountID) return null;
  return { account: { accountID: String(account.accountID), code: account.code ? String(account.code) : null }, total: normalizeAmount(Number(invoice.total ?? 0), 'XXX2') };
}

async function receivedMoney(api: XeroApi, transactionId: string): Promise<SaleMoney | null> {
  // Guid("…") takes only a GUID: an id of another form is no bank transaction of Xero's.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(transactionId)) return null;
  const body = await api.call('the money received for the sale', (client, tenant) => client.getBankTransactions(tenant, undefined, `BankTransactionID==Guid("${transactionId}")`));
  const transaction = preferLive((body.bankTransactions ?? []).filter((candidate) => candidate.bankTransactionID === transactionId && String(candidate.type) === 'RECEIVE'));
  const account = transaction?.bankAccount;
  if (!transaction || !account?.accountID) return null;
  return { account: { accountID: String(account.accountID), code: account.code ? String(account.code) : null }, total: normalizeAmount(Number(transaction.total ?? 0), 'XXX2') };
}
