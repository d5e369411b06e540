import type { CompanyCurrencies } from './company-tax-setup.js';
import type { QboEntity } from './qbo-client.js';

/**
 * A QuickBooks customer has one currency, fixed when it is created, and every sale to it must be in that currency
 * (notes §12 [C]). In a multicurrency company a person who buys in two currencies is two customers; display names
 * are unique across customers, vendors and employees, so the one in a foreign currency is named with it:
 * "Chloé Dubois (EUR)". Home-currency customers keep the plain name, as they had before.
 */
export function displayNameInCurrency(displayName: string, currency: string, company: CompanyCurrencies, limit: number): string {
  if (!company.multiCurrency || currency === company.homeCurrency) return displayName;
  const suffix = ` (${currency})`;
  if (displayName.endsWith(suffix)) return displayName;
  return `${displayName.slice(0, Math.max(0, limit - suffix.length)).trimEnd()}${suffix}`;
}

/** The customer's currency as QuickBooks reports it (absent: the home currency). */
export function currencyOfCustomer(customer: QboEntity, company: CompanyCurrencies): string {
  const ref = customer.CurrencyRef as { value?: unknown } | undefined;
  return typeof ref?.value === 'string' && ref.value !== '' ? ref.value : company.homeCurrency;
}

/** Whether a sale in `currency` can go to this customer. Without multicurrency every customer is in the home currency. */
export function customerTakesCurrency(customer: QboEntity, currency: string | undefined, company: CompanyCurrencies): boolean {
  return !company.multiCurrency || currency === undefined || currencyOfCustomer(customer, company) === currency;
}
