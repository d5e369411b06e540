import { minorUnitDigits } from '../../domain/money.js';
import type { QboCompany } from './company.js';
import { validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';

function refValue(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'value' in ref ? String((ref as QboRecord).value) : null;
}

const BUSINESS_VALIDATION = 'A business validation error has occurred while processing your request';

/**
 * A customer's currency is fixed when it is created, and a sale must be in the customer's currency
 * (Intuit multicurrency docs [C]; the Fault's wording is unconfirmed [U]).
 */
export function checkCustomerCurrency(company: QboCompany, receipt: QboRecord, nowMs: number): void {
  const customerId = refValue(receipt.CustomerRef);
  if (customerId === null) return;
  const customer = company.get('Customer', customerId);
  if (!customer) return;
  const customerCurrency = refValue(customer.CurrencyRef) ?? company.homeCurrency;
  const receiptCurrency = refValue(receipt.CurrencyRef) ?? company.homeCurrency;
  if (customerCurrency === receiptCurrency) return;
  throw validationFault(nowMs, {
    Message: BUSINESS_VALIDATION,
    Detail: `Business Validation Error: The transaction currency ${receiptCurrency} does not match the currency ${customerCurrency} of customer Id=${customerId}.`,
    code: '6000',
    element: 'CurrencyRef',
  });
}

/**
 * A currency other than the home one needs Multicurrency on (Finance.xsd, Transaction.ExchangeRate: "Valid only if
 * the company file is set up to use Multi-Currency" [C]; refusal code and wording [U]) and an active CompanyCurrency
 * ("Inactive Currency … may not be used on financial transactions", Finance.xsd CompanyCurrency.Active [C]). One never
 * added is added on first use or refused like an inactive one, as the company's `unlistedCurrencies` variant says [U].
 * Used for customers and sales forms alike.
 */
export function checkCurrencyUsable(company: QboCompany, currency: string, nowMs: number): void {
  if (currency === company.homeCurrency) return;
  if (!company.preferences.multiCurrencyEnabled) {
    throw validationFault(nowMs, {
      Message: BUSINESS_VALIDATION,
      Detail: `Business Validation Error: Multicurrency is off; the transaction currency ${currency} must be the home currency ${company.homeCurrency}.`,
      code: '6000',
      element: 'CurrencyRef',
    });
  }
  const listed = company.all('CompanyCurrency').find((entry) => entry.Code === currency);
  if (!listed && company.preferences.unlistedCurrencies === 'added') {
    company.addCurrency({ code: currency });
    return;
  }
  if (!listed || listed.Active === false) {
    throw validationFault(nowMs, {
      Message: BUSINESS_VALIDATION,
      Detail: `Business Validation Error: The currency ${currency} is not ${listed ? 'active' : 'in the currency list'} of this company.`,
      code: '6000',
      element: 'CurrencyRef',
    });
  }
}

/**
 * CompanyCurrency create: `Code` required ("Required for the create/delete operation", Finance.xsd [C]), at most 3
 * characters [C], only with Multicurrency on [S], once per code [U: duplicate wording]. `Name` is output only [C].
 */
export function validateCompanyCurrency(company: QboCompany, body: QboRecord, nowMs: number): QboRecord {
  const code = body.Code;
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) {
    throw validationFault(nowMs, { Message: 'Required param missing, need to supply the required value for the API', Detail: 'Required parameter Code is missing or not a 3-letter currency code', code: '2020', element: 'Code' });
  }
  if (!company.preferences.multiCurrencyEnabled) {
    throw validationFault(nowMs, { Message: BUSINESS_VALIDATION, Detail: 'Business Validation Error: Multicurrency is off in this company.', code: '6000', element: 'Code' });
  }
  if (code === company.homeCurrency || company.all('CompanyCurrency').some((entry) => entry.Code === code)) {
    throw validationFault(nowMs, { Message: 'Duplicate Name Exists Error', Detail: `The currency ${code} is already in the currency list.`, code: '6240', element: 'Code' });
  }
  return { Code: code, Name: currencyName(code), Active: true };
}

function currencyName(code: string): string {
  try {
    return new Intl.DisplayNames('en', { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The transaction's ExchangeRate (home units per one foreign unit, Finance.xsd [C]) and HomeTotalAmt (read-only [C]):
 * the rate sent, else the company's rate of the day (an ExchangeRate entity for the currency [S]: QuickBooks
 * downloads daily rates), else 1 [U]. Only in a multicurrency company.
 */
export function exchangeFields(company: QboCompany, body: QboRecord, currency: string, totalAmt: number): QboRecord {
  if (!company.preferences.multiCurrencyEnabled) return {};
  const sent = typeof body.ExchangeRate === 'number' && body.ExchangeRate > 0 ? body.ExchangeRate : null;
  const rate = currency === company.homeCurrency ? 1 : (sent ?? rateOfTheDay(company, currency) ?? 1);
  const homeDigits = minorUnitDigits(company.homeCurrency);
  return { ExchangeRate: rate, HomeTotalAmt: Number((totalAmt * rate).toFixed(homeDigits)) };
}

/** The newest ExchangeRate the company holds from `currency` to its home currency. */
export function rateOfTheDay(company: QboCompany, currency: string): number | null {
  const rates = company
    .all('ExchangeRate')
    .filter((rate) => rate.SourceCurrencyCode === currency && rate.TargetCurrencyCode === company.homeCurrency)
    .sort((a, b) => String(b.AsOfDate).localeCompare(String(a.AsOfDate)));
  return typeof rates[0]?.Rate === 'number' ? rates[0].Rate : null;
}
