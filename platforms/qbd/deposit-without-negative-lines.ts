import { LedgerRejectedError } from '../../domain/platform-errors.js';

/** A deposit line before it is written: the account it moves money from (ListID), in minor units, signed. */
export interface SignedDepositLine {
  accountId: string;
  cents: number;
  memo: string;
}

export interface DepositWithoutNegatives {
  /** `DepositLineAdd`s, every amount positive. */
  lines: SignedDepositLine[];
  /** What the deposit keeps back (`CashBackInfoAdd`), positive; null when nothing is. */
  cashBack: SignedDepositLine | null;
}

/** The longest line memo qbXML takes (DepositLineAdd/Memo, CashBackInfoAdd/Memo ≤ 4095). */
const MEMO = 4095;

/**
 * The payout's signed lines as a QuickBooks Desktop deposit with no negative line. Whether QuickBooks takes a
 * negative `DepositLineAdd` is unconfirmed (quickbooks-desktop.md §7 [U]), and a refusal's status is unknown too;
 * a deposit without one is valid either way, so none is ever sent:
 * - within one account, a negative line (an order's refund) comes off the positive lines before it (its order's
 *   payment), latest first, then off those after it; each such line's memo says what it is net of;
 * - an account whose lines come to less than zero (fees, a chargeback) is the deposit's cash back, which QuickBooks
 *   takes out of the deposit into that account. A deposit has one cash back, so two such accounts are refused.
 * The deposit's total stays the sum of the signed lines.
 */
export function depositWithoutNegativeLines(signed: SignedDepositLine[], money: (cents: number) => string, ledgerName: string): DepositWithoutNegatives {
  const accounts = [...new Set(signed.map((line) => line.accountId))];
  const lines: SignedDepositLine[] = [];
  const outOfDeposit: SignedDepositLine[] = [];
  for (const accountId of accounts) {
    const kept: SignedDepositLine[] = [];
    const owed: SignedDepositLine[] = [];
    const takeOff = (from: SignedDepositLine, debt: SignedDepositLine) => {
      const cents = Math.min(from.cents, -debt.cents);
      if (cents <= 0) return;
      from.cents -= cents;
      debt.cents += cents;
      from.memo = `${from.memo}, less ${debt.memo} ${money(cents)}`;
    };
    for (const line of signed.filter((l) => l.accountId === accountId && l.cents !== 0)) {
      if (line.cents > 0) {
        const positive = { ...line };
        kept.push(positive);
        for (const debt of owed) takeOff(positive, debt);
      } else {
        const debt = { ...line };
        for (const from of [...kept].reverse()) takeOff(from, debt);
        if (debt.cents < 0) owed.push(debt);
      }
    }
    lines.push(...kept.filter((line) => line.cents > 0));
    const left = owed.reduce((sum, debt) => sum + debt.cents, 0);
    if (left < 0) outOfDeposit.push({ accountId, cents: -left, memo: owed.map((debt) => debt.memo).join('; ') });
  }
  if (outOfDeposit.length > 1) {
    throw new LedgerRejectedError(
      'qbd-deposit-two-cash-backs',
      `${ledgerName} cannot book this payout as one deposit: ${outOfDeposit.length} accounts take money out of it (${outOfDeposit.map((o) => o.memo).join(' | ')}), and a QuickBooks Desktop deposit keeps back money for one account only. ` +
        'Choose the fee account for adjustments too (payoutAdjustmentAccount ""), or book this payout by hand; then retry.',
      `cash back needed for accounts ${outOfDeposit.map((o) => o.accountId).join(', ')}`,
    );
  }
  const clip = (line: SignedDepositLine) => ({ ...line, memo: [...line.memo].slice(0, MEMO).join('') });
  return { lines: lines.map(clip), cashBack: outOfDeposit[0] ? clip(outOfDeposit[0]) : null };
}
