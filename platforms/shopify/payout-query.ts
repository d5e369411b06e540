import type { CommercePayout, CommercePayoutRef, PayoutTransaction, PayoutTransactionKind } from '../../domain/commerce-payout.js';

const MONEY = 'amount currencyCode';

/** Payouts issued since a moment, oldest first (PayoutSortKeys.ISSUED_AT): ids, states and what reached the bank. */
export const PAYOUTS_ISSUED_SINCE_QUERY = `#graphql
  query LedgerbridgePayoutsIssuedSince($query: String!, $first: Int!, $after: String) {
    shopifyPaymentsAccount {
      payouts(first: $first, after: $after, query: $query, sortKey: ISSUED_AT) {
        nodes { legacyResourceId issuedAt status transactionType net { ${MONEY} } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

/** One payout (found by its id) and a page of its balance transactions (ShopifyPaymentsAccount.balanceTransactions by payments_transfer_id). */
export const PAYOUT_QUERY = `#graphql
  query LedgerbridgePayout($payoutQuery: String!, $transactionsQuery: String!, $first: Int!, $after: String) {
    shopifyPaymentsAccount {
      payouts(first: 1, query: $payoutQuery) {
        nodes { legacyResourceId issuedAt status transactionType net { ${MONEY} } }
      }
      balanceTransactions(first: $first, after: $after, query: $transactionsQuery) {
        nodes { id type adjustmentReason amount { ${MONEY} } fee { ${MONEY} } associatedOrder { id name } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

interface MoneyData {
  amount: string;
  currencyCode: string;
}

export interface PayoutsPageData {
  shopifyPaymentsAccount: {
    payouts: { nodes: PayoutNodeData[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

export interface BalanceTransactionData {
  id: string;
  type: string;
  adjustmentReason: string | null;
  amount: MoneyData;
  fee: MoneyData;
  associatedOrder: { id: string; name: string } | null;
}

export interface PayoutNodeData {
  legacyResourceId: string;
  issuedAt: string;
  status: string;
  transactionType: string;
  net: MoneyData;
}

export interface PayoutData {
  shopifyPaymentsAccount: {
    payouts: { nodes: PayoutNodeData[] };
    balanceTransactions: { nodes: BalanceTransactionData[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  } | null;
}

/** Shopify's search syntax for payouts issued after a moment. */
export function issuedSinceSearch(since: string): string {
  return `issued_at:>'${since}'`;
}

/**
 * How each ShopifyPaymentsTransactionType is booked: charges and refunds move an order's money through clearing,
 * disputes and chargeback holds are chargebacks, everything else (adjustments, reserves, ...) an adjustment.
 */
function kindOf(type: string): PayoutTransactionKind {
  if (type === 'CHARGE') return 'charge';
  if (type === 'REFUND' || type === 'REFUND_FAILURE') return 'refund';
  if (type.startsWith('DISPUTE_') || type.startsWith('CHARGEBACK_')) return 'chargeback';
  return 'adjustment';
}

function toTransaction(node: BalanceTransactionData): PayoutTransaction {
  const orderId = node.associatedOrder ? node.associatedOrder.id.slice(node.associatedOrder.id.lastIndexOf('/') + 1) : null;
  return {
    id: node.id.slice(node.id.lastIndexOf('/') + 1),
    kind: kindOf(node.type),
    type: node.type,
    amount: node.amount.amount,
    fee: node.fee.amount,
    order: node.associatedOrder && orderId ? { id: orderId, name: node.associatedOrder.name } : null,
    reason: node.adjustmentReason,
  };
}

export function toCommercePayoutRef(payout: PayoutNodeData): CommercePayoutRef {
  return {
    id: String(payout.legacyResourceId),
    issuedAt: new Date(payout.issuedAt).toISOString(),
    status: payout.status,
    direction: payout.transactionType === 'WITHDRAWAL' ? 'withdrawal' : 'deposit',
    currency: payout.net.currencyCode,
    net: payout.net.amount,
  };
}

export function toCommercePayout(payout: PayoutNodeData, transactions: BalanceTransactionData[]): CommercePayout {
  return { ...toCommercePayoutRef(payout), transactions: transactions.map(toTransaction) };
}
