import { describe, expect, it } from 'vitest';
import { LedgerRejectedError } from '../domain/platform-errors.js';
import { depositWithoutNegativeLines, type SignedDepositLine } from '../platforms/qbd/deposit-without-negative-lines.js';

const money = (cents: number) => (cents / 100).toFixed(2);
const line = (accountId: string, cents: number, memo: string): SignedDepositLine => ({ accountId, cents, memo });
const total = (d: ReturnType<typeof depositWithoutNegativeLines>) => d.lines.reduce((sum, l) => sum + l.cents, 0) - (d.cashBack?.cents ?? 0);

/**
 * A QuickBooks Desktop deposit is written without a negative line (whether QuickBooks takes one is unconfirmed):
 * its total must stay the payout's net, whatever order the signed lines come in.
 */
describe('a QuickBooks Desktop deposit without negative lines', () => {
  it('takes a refund off the payment before it, or after it when it comes first, and keeps the fees back', () => {
    const signed = [line('clear', -800, 'Order #2: refund'), line('clear', 4000, 'Order #1: payment'), line('clear', 4000, 'Order #2: payment'), line('fees', -280, 'Fees')];
    const deposit = depositWithoutNegativeLines(signed, money, 'QuickBooks Desktop #1');
    expect(deposit.lines.map((l) => [l.accountId, l.cents, l.memo])).toEqual([
      ['clear', 3200, 'Order #1: payment, less Order #2: refund 8.00'],
      ['clear', 4000, 'Order #2: payment'],
    ]);
    expect(deposit.cashBack).toEqual({ accountId: 'fees', cents: 280, memo: 'Fees' });
    expect(total(deposit)).toBe(signed.reduce((sum, l) => sum + l.cents, 0));
  });

  it('spreads a refund larger than one payment over the payments before it, latest first', () => {
    const deposit = depositWithoutNegativeLines([line('clear', 1000, 'A'), line('clear', 500, 'B'), line('clear', -1200, 'R')], money, 'QuickBooks Desktop #1');
    expect(deposit.lines.map((l) => [l.cents, l.memo])).toEqual([[300, 'A, less R 7.00']]);
    expect([deposit.cashBack, total(deposit)]).toEqual([null, 300]);
  });

  it('refuses a payout that would need money kept back for two accounts (one cash back per deposit)', () => {
    const signed = [line('clear', 4000, 'Order #1: payment'), line('fees', -120, 'Fees'), line('adjust', -1500, 'dispute withdrawal')];
    expect(() => depositWithoutNegativeLines(signed, money, 'QuickBooks Desktop #1')).toThrow(LedgerRejectedError);
    expect(() => depositWithoutNegativeLines(signed, money, 'QuickBooks Desktop #1')).toThrow(/keeps back money for one account only/);
  });
});
