import type { LedgerCurrencies } from '../../domain/booking-currency.js';
import { PerIntegrationCache } from '../qbo/per-integration-cache.js';
import type { QbxmlResponse } from './qbxml-envelope.js';
import { childNamed, childText, leaf, type XmlElement, type XmlNode } from './xml-tree.js';

/** Where a bookkeeper turns it on (Intuit's help, "Set up and use multicurrency" [S]). */
export const QBD_MULTICURRENCY_SETTING = 'Turn on multiple currencies in QuickBooks Desktop: Edit → Preferences → Multiple Currencies → Company Preferences';

/** The company's currencies, and its currency list (ListID ↔ ISO code) for customers' CurrencyRef. */
export interface QbdCompanyCurrencies extends LedgerCurrencies {
  list: Array<{ listId: string; code: string; active: boolean }>;
  /** The edition's country as HostRet gives it ('' when absent). */
  country: string;
}

/** The home currency of each QuickBooks Desktop edition (HostRet Country, XSD [C]; editions' currencies [S]). */
const HOME_BY_EDITION: Record<string, string> = { US: 'USD', CA: 'CAD', UK: 'GBP' };

/**
 * The host (its edition's country), the Multiple Currencies preference and the currency list, asked in one request
 * set (one Web Connector round trip; the list last, as a company without multicurrency may refuse it [U]). The home
 * currency is the list entry the preference names; without multicurrency QuickBooks may name none [U], and the
 * edition's currency is taken: inferred, not read. An edition we do not know, or none, leaves it unknown ('') rather
 * than guessed (qbdHomeCurrencyUnknown).
 */
export const QBD_CURRENCY_REQUESTS: XmlNode[] = [
  { name: 'HostQueryRq', children: [] },
  { name: 'PreferencesQueryRq', children: [leaf('IncludeRetElement', 'MultiCurrencyPreferences')] },
  { name: 'CurrencyQueryRq', children: [leaf('ActiveStatus', 'All')] },
];

export function qbdCurrenciesOf([host, preferences, currencies]: QbxmlResponse[]): QbdCompanyCurrencies {
  const hostRet = host?.rets.find((r) => r.local === 'HostRet');
  const multi = preferences?.rets.find((r) => r.local === 'PreferencesRet');
  const prefs = multi ? childNamed(multi, 'MultiCurrencyPreferences') : undefined;
  const multiCurrency = prefs ? childText(prefs, 'IsMultiCurrencyOn') === 'true' : false;
  // A currency query refused leaves the list empty: no customer gets a currency then.
  const list = (currencies?.statusCode === 0 ? currencies.rets : [])
    .filter((r) => r.local === 'CurrencyRet')
    .map((r) => ({ listId: childText(r, 'ListID') ?? '', code: childText(r, 'CurrencyCode') ?? '', active: childText(r, 'IsActive') !== 'false' }));
  const homeRef = prefs ? childNamed(prefs, 'HomeCurrencyRef') : undefined;
  const homeId = homeRef ? childText(homeRef, 'ListID') : undefined;
  const country = hostRet ? childText(hostRet, 'Country') : undefined;
  const edition = (country && HOME_BY_EDITION[country]) || '';
  const homeCurrency = list.find((c) => c.listId === homeId)?.code ?? edition;
  return { homeCurrency, multiCurrency, list, setting: QBD_MULTICURRENCY_SETTING, country: country ?? '' };
}

/**
 * Why a company's home currency is unknown (neither named by its preferences nor known from its edition), to
 * refuse an order with rather than book amounts in a currency guessed; null when it is known.
 */
export function qbdHomeCurrencyUnknown(company: QbdCompanyCurrencies, name: string): { message: string; detail: string } | null {
  if (company.homeCurrency !== '') return null;
  return {
    message:
      `${name} did not say its home currency (multiple currencies are off, and its QuickBooks edition, country "${company.country || 'none'}", is not one whose currency ledgerbridge knows), ` +
      `so no order can be booked without guessing it: nothing was booked. Check the company's home currency in QuickBooks Desktop (Edit → Preferences → Multiple Currencies → Company Preferences), then retry the order.`,
    detail: `HostRet Country ${company.country || 'absent'}; MultiCurrencyPreferences without HomeCurrencyRef`,
  };
}

/** A customer's currency (its CurrencyRef in the list; none: the home currency). */
export function customerCurrencyOf(ret: XmlElement, company: QbdCompanyCurrencies): string {
  const ref = childNamed(ret, 'CurrencyRef');
  const listId = ref ? childText(ref, 'ListID') : undefined;
  return company.list.find((c) => c.listId === listId)?.code ?? company.homeCurrency;
}

/** Read at most once an hour per integration (each read is a Web Connector round trip); a failed read is not kept. */
const cache = new PerIntegrationCache<QbdCompanyCurrencies>(60 * 60 * 1000);

export function cachedQbdCurrencies(key: string, read: () => Promise<QbdCompanyCurrencies>, fresh = false): Promise<QbdCompanyCurrencies> {
  if (fresh) cache.forget(key);
  return cache.get(key, read);
}

export function forgetQbdCurrencies(key: string): void {
  cache.forget(key);
}
