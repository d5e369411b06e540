import { LedgerSettingMissingError } from '../../domain/platform-errors.js';
import type { QbdCompanyCurrencies } from './qbd-currencies.js';
import { childNamed, childText, type XmlElement } from './xml-tree.js';

/** The company's currencies, as cached (`fresh`: read again). */
export type ReadQbdCurrencies = (fresh: boolean) => Promise<QbdCompanyCurrencies>;

/**
 * The currency a payout's deposit is booked in, with Multiple Currencies on: a deposit is in its bank account's
 * currency (Intuit's help, "How currencies work with QuickBooks deposits" [S]), so a payout books only into a bank
 * account in its own currency. Pounds sent to a dollar account would be taken as dollars (no `CurrencyRef`), or
 * converted at a rate nobody chose (a `CurrencyRef` in pounds: QuickBooks takes foreign funds into a home account at
 * its list's rate [S]); either way the bank's figures would be wrong, so the payout waits for the route's
 * `payoutBankAccount` to name an account in its currency (that choice resumes it).
 *
 * Answers the ListID of the payout's currency, sent as the deposit's `CurrencyRef` so QuickBooks refuses rather than
 * guesses should the account's currency differ after all; null with Multiple Currencies off (QuickBooks refuses a
 * `CurrencyRef` then, and a payout in a foreign currency has waited on the setting before it got here). No
 * `ExchangeRate` is sent: a payout gives its net in one currency and no rate to the home one, so QuickBooks applies
 * its currency list's rate, the one the bookkeeper keeps.
 *
 * `bank`: the bank account's `AccountRet`, just read by the deposit's own `AccountQuery` (this target caches no account
 * lookup, so it is fresh); the currency list is the hourly cached one, read again before refusing or when it lacks
 * the account's currency.
 */
export async function payoutDepositCurrencyId(
  payout: { payoutId: string; currency: string; net: string },
  bank: XmlElement,
  ledgerName: string,
  readCurrencies: ReadQbdCurrencies,
): Promise<string | null> {
  const bankRef = childNamed(bank, 'CurrencyRef');
  const bankCurrencyId = bankRef ? childText(bankRef, 'ListID') : undefined;
  let company = await readCurrencies(false);
  // An account naming a currency means multicurrency is on, and a currency the list lacks is newer than it: read again.
  const stale = (c: QbdCompanyCurrencies) => bankCurrencyId !== undefined && (!c.multiCurrency || !c.list.some((entry) => entry.listId === bankCurrencyId));
  if (stale(company)) company = await readCurrencies(true);
  // Without a CurrencyRef the account is in the home currency (QuickBooks names none for some account types [U]).
  const bankCurrency = (c: QbdCompanyCurrencies) => (bankCurrencyId === undefined ? c.homeCurrency : (c.list.find((entry) => entry.listId === bankCurrencyId)?.code ?? null));
  if (!company.multiCurrency) return null;
  if (bankCurrency(company) !== payout.currency) {
    // Refused on an hour-old currency list: read it again first.
    company = await readCurrencies(true);
    if (!company.multiCurrency) return null;
  }
  const inBank = bankCurrency(company);
  if (inBank !== payout.currency) {
    const bankName = childText(bank, 'FullName') ?? '';
    const shown = inBank ?? 'a currency missing from its currency list';
    throw new LedgerSettingMissingError(
      'payoutBankAccount',
      `Payout ${payout.payoutId} is in ${payout.currency} (${payout.net} ${payout.currency}), but the bank account chosen for this route's payouts in ${ledgerName}, "${bankName}", is in ${shown}: ` +
        `a deposit is in its bank account's currency, so nothing was booked. Choose a bank account in ${payout.currency} for the route's payouts ` +
        `(PUT /routes/<route>/ledger-options {"payoutBankAccount": "<account name>"}; create one in QuickBooks Desktop with the currency ${payout.currency} if there is none), and the payout goes on by itself.`,
      `payout currency ${payout.currency}; AccountRet "${bankName}" CurrencyRef ${bankCurrencyId ?? 'absent'} = ${inBank ?? 'not in CurrencyQuery'}; home ${company.homeCurrency}, multicurrency on`,
    );
  }
  return company.list.find((entry) => entry.code === payout.currency && entry.active)?.listId ?? null;
}
