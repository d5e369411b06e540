import { describe, expect, it } from 'vitest';
import { LedgerSettingMissingError } from '../domain/platform-errors.js';
import { payoutDepositCurrencyId } from '../platforms/qbd/qbd-deposit-currency.js';
import { QBD_MULTICURRENCY_SETTING, type QbdCompanyCurrencies } from '../platforms/qbd/qbd-currencies.js';
import { parseXml } from '../platforms/qbd/xml-tree.js';

/**
 * The currency a payout's QuickBooks Desktop deposit is booked in: the bank account's (its `AccountRet/CurrencyRef`,
 * read fresh for each deposit) must be the payout's; the company's currency list is the cached one, read again before
 * a refusal, and when a bank account names a currency the cached reading does not know.
 */
describe('payoutDepositCurrencyId', () => {
  const list = [
    { listId: 'USD-ID', code: 'USD', active: true },
    { listId: 'GBP-ID', code: 'GBP', active: true },
  ];
  const company = (multiCurrency: boolean, entries = list): QbdCompanyCurrencies => ({ homeCurrency: 'USD', multiCurrency, list: entries, setting: QBD_MULTICURRENCY_SETTING, country: 'US' });
  /** Answers `cached` until asked for a fresh reading, then `fresh`; counts the fresh readings. */
  const readings = (cached: QbdCompanyCurrencies, fresh = cached) => {
    const asked = { fresh: 0 };
    return { asked, read: async (again: boolean) => (again ? (asked.fresh++, fresh) : cached) };
  };
  const bank = (name: string, currencyId?: string) =>
    parseXml(`<AccountRet><ListID>B-1</ListID><FullName>${name}</FullName>${currencyId ? `<CurrencyRef><ListID>${currencyId}</ListID></CurrencyRef>` : ''}</AccountRet>`).root;
  const pounds = { payoutId: '81000001', currency: 'GBP', net: '38.80' };

  it('multiple currencies off: no currency is named, and nothing is read again', async () => {
    const { asked, read } = readings(company(false));
    expect(await payoutDepositCurrencyId({ ...pounds, currency: 'USD' }, bank('Checking'), 'QuickBooks Desktop #1', read)).toBeNull();
    expect(asked.fresh).toBe(0);
  });

  it('on: a bank account in the payout\'s currency gives its ListID; one without a CurrencyRef is in the home currency', async () => {
    const { asked, read } = readings(company(true));
    expect(await payoutDepositCurrencyId(pounds, bank('Barclays GBP', 'GBP-ID'), 'QuickBooks Desktop #1', read)).toBe('GBP-ID');
    expect(await payoutDepositCurrencyId({ ...pounds, currency: 'USD' }, bank('Checking'), 'QuickBooks Desktop #1', read)).toBe('USD-ID');
    expect(asked.fresh).toBe(0);
  });

  it('a bank account in another currency is refused on a fresh reading, naming both currencies and the route option', async () => {
    const { asked, read } = readings(company(true));
    const refusal = await payoutDepositCurrencyId(pounds, bank('Checking', 'USD-ID'), 'QuickBooks Desktop #1', read).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LedgerSettingMissingError);
    expect(refusal).toMatchObject({ option: 'payoutBankAccount' });
    expect((refusal as Error).message).toContain('Payout 81000001 is in GBP (38.80 GBP), but the bank account chosen for this route\'s payouts in QuickBooks Desktop #1, "Checking", is in USD');
    expect(asked.fresh).toBe(1);
  });

  it('an hour-old reading that says multiple currencies are off, or lacks the account\'s currency, is read again before anything is decided', async () => {
    // Turned on within the hour, with a new pound account: the cached reading would send no currency at all.
    const turnedOn = readings(company(false, []), company(true));
    expect(await payoutDepositCurrencyId(pounds, bank('Barclays GBP', 'GBP-ID'), 'QuickBooks Desktop #1', turnedOn.read)).toBe('GBP-ID');
    expect(turnedOn.asked.fresh).toBe(1);
    const newCurrency = readings(company(true, [list[0]!]), company(true));
    expect(await payoutDepositCurrencyId(pounds, bank('Barclays GBP', 'GBP-ID'), 'QuickBooks Desktop #1', newCurrency.read)).toBe('GBP-ID');
  });
});
