import type { LedgerCurrencies } from '../../domain/booking-currency.js';
import { PerIntegrationCache } from '../qbo/per-integration-cache.js';
import type { QbxmlResponse } from './qbxml-envelope.js';
import { childNamed, childText, leaf, type XmlElement, type XmlNode } from './xml-tree.js';

/** Where a bookkeeper turns it on (Intuit's help, "Set up and use multicurrency" [S]). */
export const QBD_MULTICURRENCY_SETTING = 'Turn on multiple currencies in QuickBooks Desktop: Edit → Preferences → Multiple Currencies → Company Preferences';

/** The company's currencies, and its currency list (ListID ↔ ISO code) for customers' CurrencyRef. */
export interface QbdCompanyCurrencies extends LedgerCurrencies {
  list: Array<{ listId: string; code: string; active: boolean }>;
}

/**
 * The Multiple Currencies preference and the currency list, asked in one request set (one Web Connector round trip):
 * the home currency is the list entry the preference names. Without multicurrency QuickBooks may name no home
 * currency [U]: the product books US editions (sales tax US-style), so it is taken as USD.
 */
export const QBD_CURRENCY_REQUESTS: XmlNode[] = [
  { name: 'PreferencesQueryRq', children: [leaf('IncludeRetElement', 'MultiCurrencyPreferences')] },
  { name: 'CurrencyQueryRq', children: [leaf('ActiveStatus', 'All')] },
];

export function qbdCurrenciesOf([preferences, currencies]: QbxmlResponse[]): QbdCompanyCurrencies {
  const multi = preferences?.rets.find((r) => r.local === 'PreferencesRet');
  const prefs = multi ? childNamed(multi, 'MultiCurrencyPreferences') : undefined;
  const multiCurrency = prefs ? childText(prefs, 'IsMultiCurrencyOn') === 'true' : false;
  // A currency query refused (multicurrency off [U]) leaves the list empty: no customer gets a currency then.
  const list = (currencies?.statusCode === 0 ? currencies.rets : [])
    .filter((r) => r.local === 'CurrencyRet')
    .map((r) => ({ listId: childText(r, 'ListID') ?? '', code: childText(r, 'CurrencyCode') ?? '', active: childText(r, 'IsActive') !== 'false' }));
  const homeRef = prefs ? childNamed(prefs, 'HomeCurrencyRef') : undefined;
  const homeId = homeRef ? childText(homeRef, 'ListID') : undefined;
  const homeCurrency = list.find((c) => c.listId === homeId)?.code ?? 'USD';
  return { homeCurrency, multiCurrency, list, setting: QBD_MULTICURRENCY_SETTING };
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
