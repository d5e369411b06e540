import { amountsIn, type Amounts } from '../../domain/money.js';
import type { QboCompany } from './company.js';
import type { QboRecord } from './query-evaluation.js';

/**
 * The currency a sales form's amounts are in (its CurrencyRef, else the home currency), with its ISO 4217 minor
 * units: QuickBooks rounds a JPY form to whole yen and a KWD one to fils (Intuit multicurrency docs: amounts in the
 * transaction currency [S]; rounding per currency [U], played as ISO 4217).
 */
export function transactionAmounts(company: QboCompany, body: QboRecord): Amounts {
  const ref = body.CurrencyRef as { value?: unknown } | undefined;
  return amountsIn(typeof ref?.value === 'string' && ref.value !== '' ? ref.value : company.homeCurrency);
}

/** A JSON amount as minor units of the form's currency; null when it is not a number. */
export function minorOf(value: unknown, money: Amounts): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? money.minor(value) : null;
}
