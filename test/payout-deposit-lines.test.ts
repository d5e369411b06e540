import { describe, expect, it } from 'vitest';
import { payoutDepositLines, type PayoutOrderSale } from '../activities/payout-deposit-lines.js';
import type { CommercePayout, PayoutTransaction } from '../domain/commerce-payout.js';

const order = { id: '1', name: '#1001' };
const tx = (kind: PayoutTransaction['kind'], amount: string, fee = '0.00', withOrder = true): PayoutTransaction => ({
  id: `${kind}-${amount}`,
  kind,
  type: kind === 'charge' ? 'CHARGE' : kind === 'refund' ? 'REFUND' : kind === 'chargeback' ? 'DISPUTE_WITHDRAWAL' : 'ADJUSTMENT',
  amount,
  fee,
  order: withOrder ? order : null,
  reason: null,
});
const payout = (transactions: PayoutTransaction[]): CommercePayout => ({ id: '77', issuedAt: '2026-11-30T00:00:00.000Z', status: 'PAID', direction: 'deposit', currency: 'USD', net: '0.00', transactions });
const sale = (over: Partial<PayoutOrderSale> = {}): PayoutOrderSale => ({
  orderId: '1',
  orderName: '#1001',
  account: { id: 'clearing', name: 'Shopify Clearing', clearable: true, saleTotal: '100.00' },
  refundedCents: 0,
  clearedBefore: { charged: 0, refunded: 0 },
  ...over,
});

/** The clearing check of a payout, order by order: what would stay in the clearing account after its deposit. */
describe('payout deposit lines and the clearing check', () => {
  it('a refund booked in the ledger but paid back only in a later payout is money in flight, not a difference', () => {
    expect(payoutDepositLines(payout([tx('charge', '100.00', '3.20')]), [sale({ refundedCents: 3000 })]).differences).toEqual([]);
    // The later payout brings the refund back: the order's clearing balance is zero.
    const later = payoutDepositLines(payout([tx('refund', '-30.00')]), [sale({ refundedCents: 3000, clearedBefore: { charged: 10000, refunded: 0 } })]);
    expect(later.differences).toEqual([]);
    expect(later.lines).toEqual([{ kind: 'refund', amount: '-30.00', description: 'Order #1001: refund', clearingAccountId: 'clearing' }]);
    expect(later.cleared).toEqual({ '1': { charged: 0, refunded: 3000 } });
  });

  it('a refund the shop paid back that the ledger never booked is a difference', () => {
    const { differences } = payoutDepositLines(payout([tx('charge', '100.00'), tx('refund', '-30.00')]), [sale()]);
    expect(differences).toEqual([{ orderId: '1', orderName: '#1001', cents: 3000, why: 'booked 100.00, paid out 100.00, refunds paid back 30.00 but booked 0.00', undercharged: false }]);
  });

  it('charges short of the booked sale leave the rest in clearing; charges of earlier payouts count', () => {
    expect(payoutDepositLines(payout([tx('charge', '60.00')]), [sale()]).differences).toEqual([
      // Undercharged: the rest may come in an earlier payout not booked yet (the payout waits for those, not parks).
      { orderId: '1', orderName: '#1001', cents: 4000, why: 'booked 100.00, paid out 60.00', undercharged: true },
    ]);
    expect(payoutDepositLines(payout([tx('charge', '40.00')]), [sale({ clearedBefore: { charged: 6000, refunded: 0 } })]).differences).toEqual([]);
  });

  it('fees are one negative line; adjustments, chargebacks and orderless charges their own lines; all add up to the net', () => {
    const { lines } = payoutDepositLines(payout([tx('charge', '100.00', '3.20'), tx('chargeback', '-100.00', '15.00'), tx('adjustment', '2.50', '0.00', false), tx('charge', '5.00', '0.00', false)]), [sale()]);
    expect(lines.map((line) => [line.kind, line.amount])).toEqual([
      ['sale', '100.00'],
      ['fee', '-18.20'],
      ['chargeback', '-100.00'],
      ['adjustment', '2.50'],
      ['adjustment', '5.00'],
    ]);
    expect(lines.reduce((sum, line) => sum + Math.round(Number(line.amount) * 100), 0)).toBe(100_00 - 3_20 - 115_00 + 2_50 + 5_00);
  });
});
