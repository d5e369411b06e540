import type { LedgerTaxCode, LedgerTaxSetup } from '../../domain/accounting-target.js';
import type { Organisation, TaxRate } from 'xero-node';
import { PerIntegrationCache } from '../qbo/per-integration-cache.js';

/** Organisations change their tax registration rarely; a refused invoice forgets the entry (forgetXeroTaxSetup). */
const cache = new PerIntegrationCache<LedgerTaxSetup>(60 * 60 * 1000);

/** Xero puts a tax type on every line in every country; an organisation that does not pay tax gets NoTax. */
export function xeroTaxSetup(organisation: Organisation): LedgerTaxSetup {
  const country = String(organisation.countryCode ?? 'GB').toUpperCase();
  return organisation.paysTax === false ? { mode: 'off', country } : { mode: 'per-line', country };
}

export function cachedXeroTaxSetup(key: string, read: () => Promise<Organisation>): Promise<LedgerTaxSetup> {
  return cache.get(key, async () => xeroTaxSetup(await read()));
}

export function forgetXeroTaxSetup(key: string): void {
  cache.forget(key);
}

/** A tax rate as a ledger tax code: its TaxType is what lines carry; rates that cannot go on sales count as inactive. */
export function toLedgerTaxCode(rate: TaxRate): LedgerTaxCode {
  return {
    id: String(rate.taxType),
    name: String(rate.name),
    ratePercent: Math.round(Number(rate.effectiveRate ?? rate.displayTaxRate ?? 0) * 10_000) / 10_000,
    active: String(rate.status) === 'ACTIVE' && rate.canApplyToRevenue !== false,
  };
}
