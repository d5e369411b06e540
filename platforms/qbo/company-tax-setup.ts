import type { LedgerTaxSetup } from '../../domain/accounting-target.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { PerIntegrationCache } from './per-integration-cache.js';

/** Companies change their tax settings rarely; a refused receipt forgets the entry at once (see forgetTaxSetup). */
const TAX_SETUP_TTL_MS = 60 * 60 * 1000;

/** The company's currencies (Preferences.CurrencyPrefs): a customer has one, fixed at creation, and a sale must be in it. */
export interface CompanyCurrencies {
  homeCurrency: string;
  multiCurrency: boolean;
}

/** What one read of CompanyInfo and Preferences tells the product, kept together. */
export interface CompanySettings {
  taxSetup: LedgerTaxSetup;
  currencies: CompanyCurrencies;
}

const cache = new PerIntegrationCache<CompanySettings>(TAX_SETUP_TTL_MS);

/**
 * The company's tax setup from CompanyInfo.Country and Preferences.TaxPrefs: US companies take `TAX`/`NON` on
 * lines and the rate from the sale's tax code, or from QuickBooks itself with automated sales tax
 * (PartnerTaxEnabled); every other country takes a tax code on every line. UsingSalesTax false: no tax at all.
 */
export function taxSetupOf(companyInfo: QboEntity, preferences: QboEntity): LedgerTaxSetup {
  const country = typeof companyInfo.Country === 'string' && companyInfo.Country !== '' ? companyInfo.Country.toUpperCase() : 'US';
  const taxPrefs = (preferences.TaxPrefs ?? {}) as QboEntity;
  if (taxPrefs.UsingSalesTax === false) return { mode: 'off', country };
  if (country !== 'US') return { mode: 'per-line', country };
  return { mode: taxPrefs.PartnerTaxEnabled === true ? 'ledger-computed' : 'per-sale', country };
}

export function currenciesOf(preferences: QboEntity): CompanyCurrencies {
  const prefs = (preferences.CurrencyPrefs ?? {}) as QboEntity;
  const home = (prefs.HomeCurrency as { value?: unknown } | undefined)?.value;
  // Without CurrencyPrefs (multicurrency never used) the home currency does not matter: no sale may differ from it.
  return { homeCurrency: typeof home === 'string' ? home : '', multiCurrency: prefs.MultiCurrencyEnabled === true };
}

/** The integration's tax setup and currencies, read from the company once an hour at most. */
export function cachedCompanySettings(cacheKey: string, client: QboClient): Promise<CompanySettings> {
  return cache.get(cacheKey, async () => {
    const [info, preferences] = await Promise.all([client.companyInfo(), client.preferences()]);
    return { taxSetup: taxSetupOf(info, preferences), currencies: currenciesOf(preferences) };
  });
}

export async function cachedTaxSetup(cacheKey: string, client: QboClient): Promise<LedgerTaxSetup> {
  return (await cachedCompanySettings(cacheKey, client)).taxSetup;
}

export function forgetTaxSetup(cacheKey: string): void {
  cache.forget(cacheKey);
}
