import type { LedgerPayout } from '../domain/accounting-target.js';
import { markedPayout } from '../domain/ledger-document-ownership.js';
import { LedgerSettingMissingError } from '../domain/platform-errors.js';

/** The route's payout bank account as the ledger names it, with its currency (the ledger's home one when it names none). */
export interface PayoutBankAccount {
  name: string;
  currency: string;
}

/**
 * A payout books only into a bank account in its own currency. A ledger takes a payment into a bank account in that
 * account's currency (QuickBooks Online: a deposit; Xero: a transfer between bank accounts in one currency), and
 * converting the payout at a rate of the ledger's choosing would put into the bank's books an amount that never
 * reached the bank. So before anything is written the route's `payoutBankAccount` is compared with the payout's
 * currency: `read(false)` as cached, and on a mismatch `read(true)` afresh (the bookkeeper may just have changed it)
 * before the payout waits on the route option, naming the account, both currencies and what to change. Choosing
 * another account resumes the payout. Answers the account as last read.
 */
export async function payoutBankInCurrency<Bank extends PayoutBankAccount>(
  payout: LedgerPayout,
  ledger: { name: string; why: string },
  read: (fresh: boolean) => Promise<Bank>,
): Promise<Bank> {
  const cached = await read(false);
  if (cached.currency === payout.currency) return cached;
  const bank = await read(true);
  if (bank.currency === payout.currency) return bank;
  const payoutId = markedPayout(payout.marker)?.payoutId ?? payout.docNumber;
  throw new LedgerSettingMissingError(
    'payoutBankAccount',
    `Payout ${payoutId} is in ${payout.currency} (${payout.net} ${payout.currency}), but the bank account chosen for this route's payouts in ${ledger.name}, "${bank.name}", is in ${bank.currency}: ` +
      `${ledger.why}, so nothing was booked. Choose a bank account in ${payout.currency} for the route's payouts ` +
      `(PUT /routes/<route>/ledger-options {"payoutBankAccount": "<account name>"}; create one in ${ledger.name} with the currency ${payout.currency} if there is none), and the payout goes on by itself.`,
    `payout ${payoutId} (${payout.docNumber}) currency ${payout.currency}; payoutBankAccount "${bank.name}" read afresh: currency ${bank.currency}`,
  );
}
