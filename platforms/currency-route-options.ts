import type { ForeignCurrencyChoice, SaleCurrencyChoice } from '../domain/booking-currency.js';
import type { RouteOption } from './platform.js';

const SALE_CURRENCIES = ['shop', 'presentment'] as const;
const FOREIGN_CURRENCIES = ['park', 'home-currency'] as const;

/**
 * The currency choices a route into a ledger that books currencies (QuickBooks Online and Desktop, Xero) may make; each such
 * ledger declares them among its route options, and the sync reads them (activities/booking-currency.ts).
 */
export const CURRENCY_ROUTE_OPTIONS: readonly RouteOption[] = [
  {
    name: 'saleCurrency',
    allowedValues: SALE_CURRENCIES,
    description:
      "which amounts an order paid in another currency than the shop's is booked in: the shop's (what the payout holds), or the buyer's (presentment) with the shop's exchange rate on the document",
    defaultValue: 'shop',
  },
  {
    name: 'foreignCurrency',
    allowedValues: FOREIGN_CURRENCIES,
    description:
      "what an order in a currency the ledger cannot book (multicurrency off) does: waits with the setting to turn on, or books the shop's home-currency amounts with the original currency and rate in the memo",
    defaultValue: 'park',
  },
];

/** The route's currency choices from its effective options (defaults where the ledger declares none). */
export function currencyChoices(options: Readonly<Record<string, string>>): { saleCurrency: SaleCurrencyChoice; foreignCurrency: ForeignCurrencyChoice } {
  const sale = options.saleCurrency;
  const foreign = options.foreignCurrency;
  return {
    saleCurrency: (SALE_CURRENCIES as readonly string[]).includes(sale ?? '') ? (sale as SaleCurrencyChoice) : 'shop',
    foreignCurrency: (FOREIGN_CURRENCIES as readonly string[]).includes(foreign ?? '') ? (foreign as ForeignCurrencyChoice) : 'park',
  };
}
