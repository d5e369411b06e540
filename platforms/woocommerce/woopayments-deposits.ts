import type { CommercePayout, CommercePayoutRef, PayoutTransaction, PayoutTransactionKind } from '../../domain/commerce-payout.js';
import { fromMinor } from '../../domain/money.js';
import { PayoutsUnavailableError } from '../../domain/payouts-unavailable.js';
import type { WooClient } from './woo-client.js';
import { WooRequestRefusedError, type WooCallContext } from './woo-error-translation.js';

/**
 * WooPayments' deposits (`GET wc/v3/payments/deposits`, `…/deposits/{id}`) and their balance transactions
 * (`GET wc/v3/payments/transactions?deposit_id=`), as its REST docs (docs/rest-api in Automattic/woocommerce-payments)
 * name the fields. Amounts are integers in the currency's minor units; currencies lower-case.
 */
export interface WooPaymentsDeposit {
  id: string;
  /** Arrival date, Unix milliseconds. */
  date: number;
  type: 'deposit' | 'withdrawal';
  amount: number;
  status: string;
  currency: string;
  /** An instant deposit's own fee (0 for a scheduled one). */
  fee: number;
}

export interface WooPaymentsTransaction {
  transaction_id: string;
  type: string;
  amount: number;
  fees: number;
  net: number;
  currency: string;
  order_id: number | null;
  order: { number: string } | null;
  deposit_id: string | null;
}

/** What a payout sync shows when the store has no WooPayments (WordPress answers rest_no_route). */
export const NO_WOOPAYMENTS = 'this store has no WooPayments deposits; book payouts by hand or from your processor';

/** WooPayments' page size for deposits and transactions (its `pagesize` parameter). */
const PAGE_SIZE = 100;

export class WooPaymentsDeposits {
  constructor(
    private readonly client: WooClient,
    private readonly ctx: (action: string) => WooCallContext,
  ) {}

  /** Deposits that arrived after `since`, oldest first: pages newest first until one is older. */
  async issuedSince(since: string): Promise<CommercePayoutRef[]> {
    const after = Date.parse(since);
    if (Number.isNaN(after)) throw new Error(`Not an ISO 8601 time: ${JSON.stringify(since)}`);
    const found: CommercePayoutRef[] = [];
    for (let page = 1; ; page++) {
      const { data } = await this.call<{ data: WooPaymentsDeposit[] }>('payments/deposits', `listing deposits after ${since}`, { sort: 'date', direction: 'desc', page, pagesize: PAGE_SIZE });
      const newer = data.data.filter((deposit) => deposit.date > after);
      found.push(...newer.map((deposit) => payoutRef(deposit)));
      if (data.data.length < PAGE_SIZE || newer.length < data.data.length) break;
    }
    return found.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  }

  /** The deposit with its transactions; null for an id WooPayments never gives (its ids are Stripe payout ids, po_…). */
  async deposit(depositId: string): Promise<CommercePayout | null> {
    if (!/^po_[A-Za-z0-9]+$/.test(depositId)) return null;
    const { data: deposit } = await this.call<WooPaymentsDeposit>(`payments/deposits/${depositId}`, `reading deposit ${depositId}`);
    const transactions: WooPaymentsTransaction[] = [];
    for (let page = 1; ; page++) {
      const { data } = await this.call<{ data: WooPaymentsTransaction[] }>('payments/transactions', `listing the transactions of deposit ${depositId}`, { deposit_id: depositId, sort: 'date', direction: 'asc', page, pagesize: PAGE_SIZE });
      transactions.push(...data.data);
      if (data.data.length < PAGE_SIZE) break;
    }
    return toCommercePayout(deposit, transactions);
  }

  private async call<T>(endpoint: string, action: string, params: Record<string, string | number> = {}) {
    try {
      return await this.client.request<T>('get', endpoint, this.ctx(action), { params });
    } catch (error) {
      // WordPress answers rest_no_route for a route no plugin registered: WooPayments is not installed (or not active).
      if (error instanceof WooRequestRefusedError && error.status === 404 && error.code === 'rest_no_route') throw new PayoutsUnavailableError(NO_WOOPAYMENTS);
      throw error;
    }
  }
}

function payoutRef(deposit: WooPaymentsDeposit): CommercePayoutRef {
  const currency = deposit.currency.toUpperCase();
  return {
    id: deposit.id,
    issuedAt: new Date(deposit.date).toISOString(),
    // WooPayments' words (paid, in_transit, pending, canceled, failed) as the domain spells them.
    status: deposit.status.toUpperCase(),
    direction: deposit.type === 'withdrawal' ? 'withdrawal' : 'deposit',
    currency,
    net: fromMinor(Math.abs(deposit.amount), currency),
  };
}

/** A deposit and its balance transactions as the domain's payout: charges and refunds per order, fees kept apart. */
export function toCommercePayout(deposit: WooPaymentsDeposit, transactions: WooPaymentsTransaction[]): CommercePayout {
  const ref = payoutRef(deposit);
  const lines: PayoutTransaction[] = transactions.map((t) => ({
    id: t.transaction_id,
    kind: transactionKind(t.type),
    type: t.type.toUpperCase(),
    amount: fromMinor(t.amount, ref.currency),
    fee: fromMinor(t.fees, ref.currency),
    order: t.order_id ? { id: String(t.order_id), name: `#${t.order?.number ?? t.order_id}` } : null,
    reason: null,
  }));
  // An instant deposit's fee is taken from the deposit itself, not from a transaction of it.
  if (deposit.fee) lines.push({ id: `${deposit.id}-fee`, kind: 'adjustment', type: 'INSTANT_DEPOSIT_FEE', amount: fromMinor(-deposit.fee, ref.currency), fee: fromMinor(0, ref.currency), order: null, reason: null });
  return { ...ref, transactions: lines };
}

function transactionKind(type: string): PayoutTransactionKind {
  if (type === 'charge' || type === 'payment') return 'charge';
  if (type === 'refund' || type === 'payment_refund') return 'refund';
  if (type.startsWith('dispute')) return 'chargeback';
  return 'adjustment';
}
