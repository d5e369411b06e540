import type { QboCompany } from './company.js';
import { validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';

function refValue(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'value' in ref ? String((ref as QboRecord).value) : null;
}

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
    Message: 'A business validation error has occurred while processing your request',
    Detail: `Business Validation Error: The transaction currency ${receiptCurrency} does not match the currency ${customerCurrency} of customer Id=${customerId}.`,
    code: '6000',
    element: 'CurrencyRef',
  });
}
