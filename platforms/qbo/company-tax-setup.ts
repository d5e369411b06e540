import type { LedgerTaxSetup } from '../../domain/accounting-target.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { PerIntegrationCache } from './per-integration-cache.js';

/** Companies change their tax settings rarely; a refused receipt forgets the entry at once (see forgetTaxSetup). */
const TAX_SETUP_TTL_MS = 60 * 60 * 1000;

const cache = new PerIntegrationCache<LedgerTaxSetup>(TAX_SETUP_TTL_MS);

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

/** The integration's tax setup, read from the company once an hour at most. */
export function cachedTaxSetup(cacheKey: string, client: QboClient): Promise<LedgerTaxSetup> {
  return cache.get(cacheKey, async () => {
    const [info, preferences] = await Promise.all([client.companyInfo(), client.preferences()]);
    return taxSetupOf(info, preferences);
  });
}

export function forgetTaxSetup(cacheKey: string): void {
  cache.forget(cacheKey);
}
