/**
 * A ledger customer has one currency, fixed when it is created, and every sale to it must be in that currency
 * (QuickBooks Online and Desktop). In a multicurrency company a person who buys in two currencies is two customers;
 * display names are unique across the company's names, so the one in a foreign currency is named with it:
 * "Chloé Dubois (EUR)", cut to fit `limit`. Home-currency customers keep the plain name, as they had before.
 */
export function displayNameInCurrency(displayName: string, currency: string, company: { homeCurrency: string; multiCurrency: boolean }, limit: number): string {
  if (!company.multiCurrency || currency === company.homeCurrency) return displayName;
  const suffix = ` (${currency})`;
  if (displayName.endsWith(suffix)) return displayName;
  return `${displayName.slice(0, Math.max(0, limit - suffix.length)).trimEnd()}${suffix}`;
}
