import { describe, expect, it } from 'vitest';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';
import type { QbdCompanySeed } from '../emulators/qbd/company-data.js';
import { QBD_CURRENCY_REQUESTS, qbdCurrenciesOf, qbdHomeCurrencyUnknown } from '../platforms/qbd/qbd-currencies.js';
import { qbxmlRequestSet, readQbxmlResponses } from '../platforms/qbd/qbxml-envelope.js';

/**
 * How the product knows a QuickBooks Desktop company's home currency: named by its Multiple Currencies preference
 * when on; when off QuickBooks may name none ([U], the emulator names none), and the edition's currency (HostRet
 * Country) is inferred. An edition it does not know, or an answer without a country, leaves it unknown: every order
 * then waits with a message saying what to check, rather than book amounts in a guessed currency.
 */
describe('QuickBooks Desktop home currency', () => {
  const answer = (company: Partial<QbdCompanySeed>, edit: (qbxml: string) => string = (x) => x) => {
    const emulator = new QbdCompanyEmulator({ company: { companyName: 'Desk Books', companyFilePath: 'C:\\Company\\desk.qbw', ...company } });
    const result = emulator.process(qbxmlRequestSet(QBD_CURRENCY_REQUESTS, 'continueOnError'));
    if (result.kind !== 'response') throw new Error(result.message);
    return qbdCurrenciesOf(readQbxmlResponses(edit(result.qbxml)));
  };

  it("is the one the preference names when on; the edition's when off; unknown, and refused with what to check, without a known edition", () => {
    expect(answer({ multiCurrencyOn: true, country: 'UK' })).toMatchObject({ homeCurrency: 'GBP', multiCurrency: true });
    expect(answer({ multiCurrencyOn: false })).toMatchObject({ homeCurrency: 'USD', multiCurrency: false });
    expect(answer({ multiCurrencyOn: false, country: 'CA' })).toMatchObject({ homeCurrency: 'CAD', multiCurrency: false });
    expect(qbdHomeCurrencyUnknown(answer({ multiCurrencyOn: false }), 'QuickBooks Desktop #1')).toBeNull();

    const withoutCountry = answer({ multiCurrencyOn: false }, (qbxml) => qbxml.replace(/<Country>US<\/Country>/, ''));
    expect(withoutCountry.homeCurrency).toBe('');
    const otherEdition = answer({ multiCurrencyOn: false }, (qbxml) => qbxml.replace(/<Country>US<\/Country>/, '<Country>AU</Country>'));
    expect(otherEdition.homeCurrency).toBe('');
    expect(qbdHomeCurrencyUnknown(otherEdition, 'QuickBooks Desktop #1')).toEqual({
      message:
        'QuickBooks Desktop #1 did not say its home currency (multiple currencies are off, and its QuickBooks edition, country "AU", is not one whose currency ledgerbridge knows), ' +
        "so no order can be booked without guessing it: nothing was booked. Check the company's home currency in QuickBooks Desktop (Edit → Preferences → Multiple Currencies → Company Preferences), then retry the order.",
      detail: 'HostRet Country AU; MultiCurrencyPreferences without HomeCurrencyRef',
    });
  });
});
