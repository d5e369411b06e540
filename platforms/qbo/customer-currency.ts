import type { CompanyCurrencies } from './company-tax-setup.js';
import type { QboEntity } from './qbo-client.js';

/**
 * The customer's currency as QuickBooks reports it (absent: the home currency). A QuickBooks customer has one currency
 * (notes §12 [C]); one in a foreign currency is named with it (domain/customer-currency-name.ts).
 */
export function currencyOfCustomer(customer: QboEntity, company: CompanyCurrencies): string {
  const ref = customer.CurrencyRef as { value?: unknown } | undefined;
  return typeof ref?.value === 'string' && ref.value !== '' ? ref.value : company.homeCurrency;
}

/** Whether a sale in `currency` can go to this customer. Without multicurrency every customer is in the home currency. */
export function customerTakesCurrency(customer: QboEntity, currency: string | undefined, company: CompanyCurrencies): boolean {
  return !company.multiCurrency || currency === undefined || currencyOfCustomer(customer, company) === currency;
}
