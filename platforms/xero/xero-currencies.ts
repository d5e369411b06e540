import type { LedgerSale } from '../../domain/accounting-target.js';
import type { LedgerCurrencies } from '../../domain/booking-currency.js';
import { minorUnitDigits, toMinor } from '../../domain/money.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import { PerIntegrationCache } from '../qbo/per-integration-cache.js';

/**
 * Where a bookkeeper adds a currency in Xero (Xero Central, "Add a foreign currency"; multicurrency needs a plan that
 * has it, notes §12 [S]). Wording of the menu path [U]: Xero renames its menus from time to time.
 */
export const XERO_CURRENCY_SETTING = 'Add the currency in Xero: Accounting → Advanced → Currencies → Add Currency (a Xero plan with multicurrency)';

/** The organisation's currencies: BaseCurrency, and those in GET /Currencies. Read at most once an hour. */
const cache = new PerIntegrationCache<LedgerCurrencies>(60 * 60 * 1000);

export function cachedXeroCurrencies(key: string, read: () => Promise<{ base: string; currencies: string[] }>, fresh = false): Promise<LedgerCurrencies> {
  if (fresh) cache.forget(key);
  return cache.get(key, async () => {
    const { base, currencies } = await read();
    const setUp = [...new Set([base, ...currencies])];
    // An organisation that has added a currency books in it; one with only its base currency books nothing else.
    return { homeCurrency: base, multiCurrency: setUp.length > 1, setting: XERO_CURRENCY_SETTING, setUp };
  });
}

/** Xero keeps line amounts, tax and totals to two decimals whatever the currency ("Rounding in Xero" [C]). */
const XERO_DECIMALS = 2;

/**
 * A sale Xero cannot hold exactly: amounts in a currency with more decimals than Xero keeps (KWD, BHD, OMR: fils) that
 * use them. Xero would round each line and the total would not be the shop's; refused before anything is sent.
 */
export function inexactInXero(sale: LedgerSale): LedgerRejectedError | null {
  if (minorUnitDigits(sale.currency) <= XERO_DECIMALS) return null;
  const amounts = [sale.total, sale.totalTax, sale.discount, ...sale.lines.flatMap((line) => [line.unitPrice, line.amount, line.discount ?? '0']), sale.shipping?.amount ?? '0'];
  const exceeding = amounts.find((amount) => toMinor(amount, sale.currency) % 10 ** (minorUnitDigits(sale.currency) - XERO_DECIMALS) !== 0);
  if (exceeding === undefined) return null;
  return new LedgerRejectedError(
    'currency',
    `Xero keeps amounts to ${XERO_DECIMALS} decimals, but the order to book as ${sale.docNumber} has ${sale.currency} amounts to ${minorUnitDigits(sale.currency)} (${exceeding} ${sale.currency}): ` +
      `Xero would round them and the document would not come to the shop's ${sale.total} ${sale.currency}. Nothing was booked; book this order by hand.`,
    `currency ${sale.currency} has ${minorUnitDigits(sale.currency)} minor-unit digits; amount ${exceeding}`,
  );
}
