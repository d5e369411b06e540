import { GraphQLError } from 'graphql';
import { fromMinor, normalizeAmount, toMinor } from '../../domain/money.js';
import { paginate, type ConnectionArgs } from './connection.js';
import { ControlInputError } from './control-validation.js';
import { toGid } from './gid.js';
import { matchesSearch, parseSearchQuery } from './search-query.js';
import type { ShopData, ShopifyStore } from './store.js';

/**
 * Shopify Payments payouts and their balance transactions, served through the real schema's
 * `shopifyPaymentsAccount { payouts, balanceTransactions }` (emulators/shopify/FIDELITY.md, "Payouts").
 */
export interface EmulatedBalanceTransaction {
  id: string;
  /** A ShopifyPaymentsTransactionType value: CHARGE, REFUND, ADJUSTMENT, DISPUTE_WITHDRAWAL, ... */
  type: string;
  /** Signed: a charge is positive, a refund or a dispute withdrawal negative. */
  amount: string;
  /** What Shopify kept, positive. */
  fee: string;
  orderId: string | null;
  orderName: string | null;
  adjustmentReason: string | null;
  transactionDate: string;
  payoutId: string;
}

export interface EmulatedPayout {
  id: string;
  issuedAt: string;
  /** A ShopifyPaymentsPayoutStatus value. */
  status: string;
  currency: string;
  transactions: EmulatedBalanceTransaction[];
}

/** What a test issues: the balance transactions a payout pays out (an order's charge, a refund, a fee adjustment...). */
export interface PayoutInput {
  status?: string;
  issuedAt?: string;
  currency?: string;
  transactions: Array<{ type: string; amount: string; fee?: string; orderId?: string | null; adjustmentReason?: string | null }>;
}

const PAYOUT_STATUSES = ['CANCELED', 'FAILED', 'IN_TRANSIT', 'PAID', 'SCHEDULED'];
/** The schema's ShopifyPaymentsTransactionType values the emulator plays (each a real enum value; see FIDELITY.md). */
const TRANSACTION_TYPES = ['CHARGE', 'REFUND', 'ADJUSTMENT', 'DISPUTE_WITHDRAWAL', 'DISPUTE_REVERSAL', 'CHARGEBACK_FEE', 'REFUND_FAILURE'];

function netOf(transaction: { amount: string; fee: string }, currency: string): number {
  return toMinor(transaction.amount, currency) - toMinor(transaction.fee, currency);
}

/** Issues a payout: its balance transactions, each tied to an order of the shop where it names one. */
export function recordPayout(store: ShopifyStore, data: ShopData, input: PayoutInput): EmulatedPayout {
  const status = input.status ?? 'PAID';
  if (!PAYOUT_STATUSES.includes(status)) throw new ControlInputError(`payout status ${status} is not one of ${PAYOUT_STATUSES.join(', ')}`);
  if (!Array.isArray(input.transactions) || input.transactions.length === 0) throw new ControlInputError('a payout needs at least one balance transaction');
  const id = store.nextId('payout');
  const issuedAt = input.issuedAt ?? new Date().toISOString();
  const currency = input.currency ?? data.shop.currencyCode;
  const transactions = input.transactions.map((wanted) => {
    if (!TRANSACTION_TYPES.includes(wanted.type)) throw new ControlInputError(`balance transaction type ${wanted.type} is not one of ${TRANSACTION_TYPES.join(', ')}`);
    const order = wanted.orderId ? data.orders.get(wanted.orderId) : null;
    if (wanted.orderId && !order) throw new ControlInputError(`the shop has no order ${wanted.orderId}`);
    return {
      id: store.nextId('balanceTransaction'),
      type: wanted.type,
      amount: normalizeAmount(wanted.amount, currency),
      fee: normalizeAmount(wanted.fee ?? '0', currency),
      orderId: order?.id ?? null,
      orderName: order?.name ?? null,
      adjustmentReason: wanted.type === 'ADJUSTMENT' ? (wanted.adjustmentReason ?? null) : null,
      transactionDate: issuedAt,
      payoutId: id,
    };
  });
  const net = transactions.reduce((sum, t) => sum + netOf(t, currency), 0);
  if (net === 0) throw new ControlInputError('a payout of 0.00 is never issued');
  const payout: EmulatedPayout = { id, issuedAt, status, currency, transactions };
  data.payouts.set(id, payout);
  return payout;
}

interface PayoutListArgs extends ConnectionArgs {
  query?: string | null;
  sortKey?: string | null;
  reverse?: boolean | null;
}

/**
 * `shopifyPaymentsAccount` needs `read_shopify_payments` or `read_shopify_payments_accounts` (the schema's
 * requiredAccess for ShopifyPaymentsAccount); without either the field is ACCESS_DENIED like any other.
 */
export function shopifyPaymentsAccountView(data: ShopData, grantedScopes: string[]) {
  const accepted = ['read_shopify_payments', 'read_shopify_payments_accounts'];
  if (!accepted.some((scope) => grantedScopes.includes(scope))) {
    throw new GraphQLError('Access denied for shopifyPaymentsAccount field. Required access: the `read_shopify_payments` or the `read_shopify_payments_accounts` access scope.', {
      extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: accepted.map((s) => `\`${s}\``).join(' or ') },
    });
  }
  const payouts = () => [...data.payouts.values()];
  return {
    __typename: 'ShopifyPaymentsAccount',
    id: toGid('ShopifyPaymentsAccount', data.shop.id),
    activated: true,
    country: 'US',
    defaultCurrency: data.shop.currencyCode,
    payouts: (args: PayoutListArgs) => {
      const terms = parseSearchQuery(args.query);
      const listed = payouts().filter((p) => matchesSearch(terms, { id: p.id, issued_at: p.issuedAt, status: p.status.toLowerCase(), currency: p.currency }, new Set(['issued_at'])));
      const sortValue = (p: EmulatedPayout) => (args.sortKey === 'ISSUED_AT' ? p.issuedAt + p.id.padStart(20, '0') : p.id.padStart(20, '0'));
      return connection(listed, args, (p) => p.id, sortValue, payoutView);
    },
    balanceTransactions: (args: PayoutListArgs) => {
      const terms = parseSearchQuery(args.query);
      const listed = payouts()
        .flatMap((p) => p.transactions.map((t) => ({ t, p })))
        .filter(({ t, p }) =>
          matchesSearch(terms, { id: t.id, payments_transfer_id: p.id, payout_status: p.status.toLowerCase(), transaction_type: t.type.toLowerCase(), processed_at: t.transactionDate }, new Set(['processed_at'])),
        );
      const sortValue = ({ t }: { t: EmulatedBalanceTransaction }) => t.id.padStart(20, '0');
      return connection(listed, args, ({ t }) => t.id, sortValue, ({ t, p }) => balanceTransactionView(t, p));
    },
  };
}

function connection<T, V>(items: T[], args: PayoutListArgs, idOf: (item: T) => string, sortValue: (item: T) => string, view: (item: T) => V) {
  const sorted = [...items].sort((a, b) => (sortValue(a) < sortValue(b) ? -1 : sortValue(a) > sortValue(b) ? 1 : 0));
  const page = paginate(args.reverse ? sorted.reverse() : sorted, args, idOf, sortValue);
  return {
    nodes: page.nodes.map(view),
    edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: view(edge.node) })),
    pageInfo: page.pageInfo,
  };
}

function money(cents: number, currency: string) {
  return { __typename: 'MoneyV2', amount: fromMinor(cents, currency), currencyCode: currency };
}

/** Sums of a payout's transactions of some types: what ShopifyPaymentsPayoutSummary reports per kind. */
function summaryOf(payout: EmulatedPayout) {
  const of = (types: string[]) => payout.transactions.filter((t) => types.includes(t.type));
  const gross = (types: string[]) => money(of(types).reduce((sum, t) => sum + toMinor(t.amount, payout.currency), 0), payout.currency);
  const fee = (types: string[]) => money(of(types).reduce((sum, t) => sum + toMinor(t.fee, payout.currency), 0), payout.currency);
  const adjustments = payout.transactions.map((t) => t.type).filter((type) => type !== 'CHARGE' && type !== 'REFUND');
  const zero = money(0, payout.currency);
  return {
    chargesGross: gross(['CHARGE']),
    chargesFee: fee(['CHARGE']),
    refundsFeeGross: gross(['REFUND']),
    refundsFee: fee(['REFUND']),
    adjustmentsGross: gross(adjustments),
    adjustmentsFee: fee(adjustments),
    advanceGross: zero,
    advanceFees: zero,
    reservedFundsGross: zero,
    reservedFundsFee: zero,
    retriedPayoutsGross: zero,
    retriedPayoutsFee: zero,
    usdcRebateCreditAmount: zero,
  };
}

function payoutView(payout: EmulatedPayout) {
  const net = payout.transactions.reduce((sum, t) => sum + netOf(t, payout.currency), 0);
  return {
    __typename: 'ShopifyPaymentsPayout',
    id: toGid('ShopifyPaymentsPayout', payout.id),
    legacyResourceId: payout.id,
    issuedAt: payout.issuedAt,
    status: payout.status,
    // A negative balance is taken from the bank: a WITHDRAWAL of the positive amount.
    transactionType: net < 0 ? 'WITHDRAWAL' : 'DEPOSIT',
    net: money(Math.abs(net), payout.currency),
    gross: money(Math.abs(net), payout.currency),
    externalTraceId: null,
    summary: summaryOf(payout),
  };
}

function balanceTransactionView(transaction: EmulatedBalanceTransaction, payout: EmulatedPayout) {
  const sourceType: Record<string, string> = { CHARGE: 'CHARGE', REFUND: 'REFUND', ADJUSTMENT: 'ADJUSTMENT', DISPUTE_WITHDRAWAL: 'DISPUTE', DISPUTE_REVERSAL: 'DISPUTE' };
  return {
    __typename: 'ShopifyPaymentsBalanceTransaction',
    id: toGid('ShopifyPaymentsBalanceTransaction', transaction.id),
    type: transaction.type,
    test: false,
    amount: money(toMinor(transaction.amount, payout.currency), payout.currency),
    fee: money(toMinor(transaction.fee, payout.currency), payout.currency),
    net: money(netOf(transaction, payout.currency), payout.currency),
    transactionDate: transaction.transactionDate,
    adjustmentReason: transaction.adjustmentReason,
    adjustmentsOrders: [],
    sourceType: sourceType[transaction.type] ?? 'SYSTEM_ADJUSTMENT',
    sourceId: null,
    sourceOrderTransactionId: null,
    associatedOrder: transaction.orderId ? { __typename: 'ShopifyPaymentsAssociatedOrder', id: toGid('Order', transaction.orderId), name: transaction.orderName } : null,
    associatedPayout: { __typename: 'ShopifyPaymentsBalanceTransactionAssociatedPayout', id: toGid('ShopifyPaymentsPayout', payout.id), status: payout.status },
  };
}
