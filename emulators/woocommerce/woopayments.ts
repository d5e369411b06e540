import { randomBytes } from 'node:crypto';
import { toMinor } from '../../domain/money.js';
import type { RestAnswer } from './rest-api.js';

/** One balance transaction a test puts in a deposit: decimal amounts, signed as WooPayments signs them. */
export interface WooPaymentsTransactionInput {
  /** WooPayments' `type`: charge, payment, refund, dispute, adjustment, … */
  type: string;
  /** Signed (a refund is negative), before the fee. */
  amount: string;
  fee?: string;
  orderId?: number;
  /** The order's number; the order id when absent. */
  orderNumber?: string;
}

export interface WooPaymentsDepositInput {
  currency: string;
  status?: 'paid' | 'pending' | 'in_transit' | 'canceled' | 'failed';
  type?: 'deposit' | 'withdrawal';
  /** Arrival; default now. */
  date?: Date;
  transactions: WooPaymentsTransactionInput[];
}

/**
 * The WooPayments extension's deposits and transactions (docs/rest-api deposits.md and transaction.md in
 * Automattic/woocommerce-payments): a deposit's `amount` is the net of its transactions, integers in minor units,
 * currencies lower-case. Present only when the site has WooPayments; otherwise WordPress has no such routes.
 */
export class WooPaymentsAccount {
  readonly deposits = new Map<string, Record<string, unknown>>();
  readonly transactions: Array<Record<string, unknown>> = [];

  createDeposit(input: WooPaymentsDepositInput): Record<string, unknown> {
    const currency = input.currency.toLowerCase();
    const id = `po_${randomBytes(12).toString('hex')}`;
    const at = input.date ?? new Date();
    let net = 0;
    for (const t of input.transactions) {
      const amount = toMinor(t.amount, currency);
      const fees = toMinor(t.fee ?? '0', currency);
      net += amount - fees;
      this.transactions.push({
        transaction_id: `txn_${randomBytes(10).toString('hex')}`,
        type: t.type,
        channel: 'online',
        date: at.toISOString().slice(0, 19).replace('T', ' '),
        source: 'visa',
        amount,
        fees,
        net: amount - fees,
        currency,
        charge_id: `ch_${randomBytes(10).toString('hex')}`,
        deposit_id: id,
        deposit_status: input.status ?? 'paid',
        customer_amount: Math.abs(amount),
        customer_currency: currency,
        order_id: t.orderId ?? null,
        order: t.orderId ? { number: t.orderNumber ?? String(t.orderId), url: '', customer_url: '', subscriptions: [] } : null,
      });
    }
    const deposit = {
      id,
      date: at.getTime(),
      type: input.type ?? (net < 0 ? 'withdrawal' : 'deposit'),
      amount: Math.abs(net),
      status: input.status ?? 'paid',
      bankAccount: `STRIPE TEST BANK •••• 6789 (${currency.toUpperCase()})`,
      currency,
      automatic: true,
      fee: 0,
      fee_percentage: 0,
      created: Math.floor(at.getTime() / 1000),
    };
    this.deposits.set(id, deposit);
    return deposit;
  }

  /** GET payments/deposits[/{id}] and payments/transactions. null: not a WooPayments route. */
  answer(verb: string, path: string[], params: Record<string, string>): RestAnswer | null {
    const [collection, id] = path;
    if (verb !== 'GET') return null;
    if (collection === 'deposits' && id === undefined) {
      const sorted = [...this.deposits.values()].sort((a, b) => (a.date as number) - (b.date as number));
      if (params.direction !== 'asc') sorted.reverse();
      return { status: 200, body: { data: page(sorted, params), total_count: sorted.length } };
    }
    if (collection === 'deposits' && id !== undefined && path.length === 2) {
      const deposit = this.deposits.get(id);
      // The plugin forwards its server's refusal as a WP_Error without a status: WordPress answers 500, data null.
      return deposit ? { status: 200, body: deposit } : { status: 500, body: { code: 'wcpay_resource_missing', message: `Error: No such payout: '${id}'`, data: null } };
    }
    if (collection === 'transactions' && id === undefined) {
      if (params.direction !== undefined && params.direction !== 'asc' && params.direction !== 'desc') {
        return { status: 500, body: { code: 'wcpay_bad_request', message: `Error: Invalid sorting direction: ${params.direction}`, data: null } };
      }
      const matching = this.transactions.filter((t) => params.deposit_id === undefined || t.deposit_id === params.deposit_id);
      const sorted = params.direction === 'desc' ? [...matching].reverse() : matching;
      return { status: 200, body: { data: page(sorted, params) } };
    }
    return null;
  }
}

/** WooPayments' `page` (1-based) and `pagesize` (default 25). */
function page<T>(items: T[], params: Record<string, string>): T[] {
  const size = Math.max(1, Number(params.pagesize ?? 25) || 25);
  const number = Math.max(1, Number(params.page ?? 1) || 1);
  return items.slice((number - 1) * size, number * size);
}
