import type { LedgerPayoutLine, LedgerSaleAccount } from '../domain/accounting-target.js';
import type { ClearedCents, CommercePayout } from '../domain/commerce-payout.js';
import { amountsIn } from '../domain/money.js';

/** One order of a payout as the ledger holds it: its sale's account and total, refunds booked, what payouts took before. */
export interface PayoutOrderSale {
  orderId: string;
  orderName: string;
  account: LedgerSaleAccount | null;
  /** Refunds of the order booked in the ledger (refund receipts), positive. */
  refundedCents: number;
  /** What earlier payouts moved through clearing for the order. */
  clearedBefore: ClearedCents;
}

export interface ClearingDifference {
  orderId: string;
  orderName: string;
  /** What would stay in the clearing account for the order after this payout (negative: more taken out than put in). */
  cents: number;
  why: string;
  /** The order's charges so far come to less than its sale: the rest may be in another payout not booked yet. */
  undercharged: boolean;
}

/**
 * The deposit's lines for a payout: per order, its charges out of the clearing account its sale went to and its
 * refunds back in; one line for all fees; each adjustment and chargeback its own line. The lines add up to the
 * payout's net. Also what the deposit clears per order, and the orders it would leave with a clearing balance:
 * an order's charges (this payout's and earlier ones') must come to its booked sale, and the refunds paid back must
 * not exceed the refunds booked. A refund booked but not paid back yet is money in flight (a later payout brings
 * it), not a difference.
 */
export function payoutDepositLines(payout: CommercePayout, sales: PayoutOrderSale[]): { lines: LedgerPayoutLine[]; cleared: Record<string, ClearedCents>; differences: ClearingDifference[] } {
  // Counted in the payout currency's own minor units (JPY 0, KWD 3).
  const { minor: toCents, amount: fromCents } = amountsIn(payout.currency);
  const lines: LedgerPayoutLine[] = [];
  const cleared: Record<string, ClearedCents> = {};
  for (const sale of sales) {
    const { charged, refunded } = clearedFor(payout, sale.orderId);
    const clearingAccountId = sale.account?.id ?? '';
    if (charged !== 0) lines.push({ kind: 'sale', amount: fromCents(charged), description: `Order ${sale.orderName}: payment`, clearingAccountId });
    if (refunded !== 0) lines.push({ kind: 'refund', amount: fromCents(-refunded), description: `Order ${sale.orderName}: refund`, clearingAccountId });
    cleared[sale.orderId] = { charged, refunded };
  }
  const fees = payout.transactions.reduce((sum, t) => sum + toCents(t.fee), 0);
  if (fees !== 0) lines.push({ kind: 'fee', amount: fromCents(-fees), description: `Payment processing fees, payout ${payout.id}` });
  for (const t of payout.transactions) {
    const orderless = (t.kind === 'charge' || t.kind === 'refund') && !t.order;
    if (t.kind !== 'adjustment' && t.kind !== 'chargeback' && !orderless) continue;
    if (toCents(t.amount) === 0) continue;
    const about = [t.order ? `order ${t.order.name}` : null, t.reason].filter(Boolean).join(', ');
    lines.push({ kind: t.kind === 'chargeback' ? 'chargeback' : 'adjustment', amount: fromCents(toCents(t.amount)), description: `${t.type.toLowerCase().replace(/_/g, ' ')}${about ? ` (${about})` : ''}` });
  }
  const differences = sales.flatMap((sale): ClearingDifference[] => {
    const sold = toCents(sale.account?.saleTotal ?? '0');
    const now = cleared[sale.orderId] ?? { charged: 0, refunded: 0 };
    const charged = sale.clearedBefore.charged + now.charged;
    const paidBack = sale.clearedBefore.refunded + now.refunded;
    // Left in clearing: the sale less its charges, plus the refunds paid back beyond those booked (the deposit puts
    // them back into clearing, where no refund receipt took them out).
    const remaining = sold - charged + Math.max(0, paidBack - sale.refundedCents);
    if (remaining === 0) return [];
    const why =
      `booked ${fromCents(sold)}, paid out ${fromCents(now.charged)}` +
      (sale.clearedBefore.charged ? ` (and ${fromCents(sale.clearedBefore.charged)} in earlier payouts)` : '') +
      (paidBack > sale.refundedCents ? `, refunds paid back ${fromCents(paidBack)} but booked ${fromCents(sale.refundedCents)}` : '');
    return [{ orderId: sale.orderId, orderName: sale.orderName, cents: remaining, why, undercharged: charged < sold }];
  });
  return { lines, cleared, differences };
}

/**
 * What the payout moves through clearing for each of these orders (charges out, refunds paid back, in minor units):
 * recorded with its deposit however the deposit was found (written now, or already in the ledger on a re-run), so
 * a later payout of the same orders counts it.
 */
export function payoutClears(payout: CommercePayout, orderIds: string[]): Record<string, ClearedCents> {
  return Object.fromEntries(orderIds.map((orderId) => [orderId, clearedFor(payout, orderId)]));
}

function clearedFor(payout: CommercePayout, orderId: string): ClearedCents {
  const { minor: toCents } = amountsIn(payout.currency);
  const ofOrder = payout.transactions.filter((t) => t.order?.id === orderId);
  const charged = ofOrder.filter((t) => t.kind === 'charge').reduce((sum, t) => sum + toCents(t.amount), 0);
  const refunded = ofOrder.filter((t) => t.kind === 'refund').reduce((sum, t) => sum + toCents(t.amount), 0);
  // Refunds are negative in the payout; cleared counts them paid back, positive.
  return { charged, refunded: -refunded };
}
