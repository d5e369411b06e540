import type { XeroOrganisation, XeroRecord } from './organisation.js';

/**
 * The organisation's currencies (GET /Currencies: Code and Description, the base currency among them [S]). A
 * document or contact in a currency not set up is refused (notes §12; wording [U]); one is added with
 * PUT /Currencies only on a plan with multicurrency (notes §12 [S]; refusal wording [U]).
 */
export function currencyError(org: XeroOrganisation, currency: unknown): string | null {
  if (currency === undefined || currency === org.baseCurrency) return null;
  return org.currencies.some((entry) => entry.Code === currency) ? null : `The currency code ${String(currency)} is not set up in this organisation.`;
}

/**
 * CurrencyRate of a document: base-currency documents 1; otherwise the rate sent (units of the document's currency
 * per unit of the base currency, "max length = [18].[6]" in xero-node's model [C]), else the day's rate the
 * organisation holds (Xero uses XE.com's daily rate when none is sent [C]; the emulator's seeded one, else 1 [U]).
 */
export function currencyRateOf(org: XeroOrganisation, input: XeroRecord, currency: string): number {
  if (currency === org.baseCurrency) return 1;
  const sent = input.CurrencyRate;
  if (typeof sent === 'number' && sent > 0) return Number(sent.toFixed(6));
  const seeded = org.currencies.find((entry) => entry.Code === currency)?.rate;
  return typeof seeded === 'number' ? seeded : 1;
}

/** PUT /Currencies: adds a currency to an organisation whose plan has multicurrency. */
export function createCurrency(org: XeroOrganisation, input: XeroRecord): { ok: true; record: XeroRecord } | { ok: false; errors: string[] } {
  const code = input.Code;
  if (typeof code !== 'string' || !/^[A-Z]{3}$/.test(code)) return { ok: false, errors: ['Code must be a three-letter currency code.'] };
  if (!org.multiCurrencyPlan) return { ok: false, errors: ['Multicurrency is not available on the plan of this organisation.'] };
  const existing = org.currencies.find((entry) => entry.Code === code);
  if (existing) return { ok: true, record: publicCurrency(existing) };
  const record = org.addCurrency({ code });
  return { ok: true, record: publicCurrency(record) };
}

/** What GET /Currencies shows of a currency (the seeded day's rate stays inside the emulator). */
export function publicCurrency(record: XeroRecord): XeroRecord {
  return { Code: record.Code, Description: record.Description };
}
