import type { QboCompany } from './company.js';
import { checkCurrencyUsable, exchangeFields } from './currency-rules.js';
import { validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';

const BUSINESS_VALIDATION = 'A business validation error has occurred while processing your request';

function accountCurrency(company: QboCompany, account: QboRecord): string {
  const ref = account.CurrencyRef as { value?: unknown } | undefined;
  return typeof ref?.value === 'string' && ref.value !== '' ? ref.value : company.homeCurrency;
}

function refused(nowMs: number, detail: string, element: string) {
  return validationFault(nowMs, { Message: BUSINESS_VALIDATION, Detail: `Business Validation Error: ${detail}`, code: '6000', element });
}

/**
 * A deposit's currency against its accounts' (emulators/qbo/FIDELITY.md, "Deposits"):
 *  - a currency other than the home one needs Multicurrency on and an active listed currency, as on a sales form;
 *  - every account it names, the bank it goes to and each line's, must be in the home currency or the deposit's:
 *    QuickBooks' own message "The currency of the account must be either in home currency or the transaction
 *    currency" (quoted by integrators meeting it [S]; the 6000 code [U]);
 *  - a foreign-currency deposit into a home-currency bank account is converted at the rate or refused, as the
 *    company's `foreignDepositToHomeAccount` variant says [U].
 * Answers ExchangeRate and HomeTotalAmt for the stored deposit (multicurrency companies only).
 */
export function checkDepositCurrency(company: QboCompany, deposit: { currency: string; bank: QboRecord; lineAccounts: QboRecord[]; body: QboRecord; totalAmt: number }, nowMs: number): QboRecord {
  const { currency, bank } = deposit;
  checkCurrencyUsable(company, currency, nowMs);
  const home = company.homeCurrency;
  const mismatched = (account: QboRecord) => {
    const inAccount = accountCurrency(company, account);
    return inAccount !== home && inAccount !== currency;
  };
  if (mismatched(bank)) {
    throw refused(nowMs, `The currency of the account must be either in home currency or the transaction currency. Account ${String(bank.Name)} is in ${accountCurrency(company, bank)}; the deposit is in ${currency}.`, 'DepositToAccountRef');
  }
  const line = deposit.lineAccounts.find(mismatched);
  if (line) {
    throw refused(nowMs, `The currency of the account must be either in home currency or the transaction currency. Account ${String(line.Name)} is in ${accountCurrency(company, line)}; the deposit is in ${currency}.`, 'Line.DepositLineDetail.AccountRef');
  }
  if (currency !== home && accountCurrency(company, bank) === home && company.preferences.foreignDepositToHomeAccount === 'refused') {
    throw refused(nowMs, `The deposit must be in the currency of its bank account: ${String(bank.Name)} is in ${home}, the deposit in ${currency}.`, 'CurrencyRef');
  }
  return exchangeFields(company, deposit.body, currency, deposit.totalAmt);
}
