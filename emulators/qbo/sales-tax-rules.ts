import type { Amounts } from '../../domain/money.js';
import { minorOf, transactionAmounts } from './transaction-currency.js';
import type { QboCompany } from './company.js';
import { validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';

/** US companies take these pseudo codes on lines; the rate is the sale's (TxnTaxCodeRef) or QuickBooks' own. */
export const US_LINE_TAX_CODES = new Set(['TAX', 'NON']);

/**
 * How a tax-inclusive line's amounts are read, which no primary source settles [U]:
 * - `net-amount` (default): `Amount`/`UnitPrice` are net of tax; `TaxInclusiveAmt`, when sent, is the price paid
 *   and QBO backs the tax out of it (what the SDKs' field docs and forum answers describe);
 * - `gross-amount`: `Amount` already holds the tax and `TaxInclusiveAmt` is ignored.
 */
export type TaxInclusiveLineReading = 'net-amount' | 'gross-amount';

/** A sales line the tax rules look at. */
export interface TaxableLine {
  record: QboRecord;
  detail: QboRecord;
  amountCents: number;
  isShipping: boolean;
}

export interface ComputedTax {
  totalTaxCents: number;
  /** What the lines add to the receipt's total (net + tax when inclusive, net otherwise). */
  linesTotalCents: number;
  taxLines: QboRecord[];
  txnTaxCodeId: string | null;
}

function refValue(ref: unknown): string | null {
  if (ref && typeof ref === 'object' && 'value' in ref) return String((ref as QboRecord).value);
  return null;
}


/** The noun QBO's "transactions must have a … rate" error uses, by company country. */
function taxNoun(country: string): string {
  if (country === 'CA') return 'GST/HST';
  if (['AU', 'NZ', 'SG', 'IN', 'MY'].includes(country)) return 'GST';
  if (['GB', 'IE', 'FR', 'ZA', 'AE'].includes(country)) return 'VAT';
  return 'tax';
}

/** A code's sales rates: each rate's id, name and percent. */
function salesRatesOf(company: QboCompany, taxCode: QboRecord): { id: string; name: string; percent: number }[] {
  const details = ((taxCode.SalesTaxRateList as QboRecord | undefined)?.TaxRateDetail ?? []) as QboRecord[];
  return details.flatMap((detail) => {
    const id = refValue(detail.TaxRateRef);
    const rate = id === null ? undefined : company.get('TaxRate', id);
    return rate && id !== null ? [{ id, name: String(rate.Name), percent: Number(rate.RateValue ?? 0) }] : [];
  });
}

/**
 * Refuses line tax codes the company's edition does not take: a US company only `TAX`/`NON` on lines (6100,
 * one error per line, as QBO lists them); any other company a tax code on every sales line (6000).
 */
export function checkLineTaxCodes(company: QboCompany, lines: TaxableLine[], nowMs: number): void {
  if (company.country === 'US') {
    const wrong = lines.map((line) => refValue(line.detail.TaxCodeRef)).filter((code): code is string => code !== null && !US_LINE_TAX_CODES.has(code));
    if (wrong.length > 0) {
      throw validationFault(
        nowMs,
        ...wrong.map((code) => ({
          Message: 'Invalid Line TaxCode in the request',
          Detail: `Valid line TaxCodes for US should be TAX or NON. Supplied value: ${code}`,
          code: '6100',
          element: 'Line.SalesItemLineDetail.TaxCodeRef',
        })),
      );
    }
    return;
  }
  if (!company.preferences.usingSalesTax) return;
  if (lines.some((line) => refValue(line.detail.TaxCodeRef) === null)) {
    throw validationFault(nowMs, {
      Message: 'A business validation error has occurred while processing your request',
      Detail: `Business Validation Error: Make sure all your transactions have a ${taxNoun(company.country)} rate before you save.`,
      code: '6000',
    });
  }
}

/**
 * The receipt's tax from the company's own rates, never from the TotalTax a client sends: US by the sale's
 * code (or QuickBooks' automated rate) on `TAX` lines, elsewhere by each line's code, grouped by rate and
 * rounded once per rate (as QBO's TaxLine per rate shows).
 */
export function computeTax(
  company: QboCompany,
  body: QboRecord,
  lines: TaxableLine[],
  discountCents: number,
  reading: TaxInclusiveLineReading,
): ComputedTax {
  const plain = lines.reduce((sum, line) => sum + line.amountCents, 0);
  if (!company.preferences.usingSalesTax) return { totalTaxCents: 0, linesTotalCents: plain, taxLines: [], txnTaxCodeId: null };
  return company.country === 'US' ? usTax(company, body, lines, discountCents) : perLineTax(company, body, lines, reading);
}

function usTax(company: QboCompany, body: QboRecord, lines: TaxableLine[], discountCents: number): ComputedTax {
  const money = transactionAmounts(company, body);
  const plain = lines.reduce((sum, line) => sum + line.amountCents, 0);
  const supplied = refValue((body.TxnTaxDetail as QboRecord | undefined)?.TxnTaxCodeRef);
  // Automated sales tax replaces whatever code the client sent with QuickBooks' own rate [C: TaxPrefs note].
  const automated = company.preferences.partnerTaxEnabled;
  const code = automated ? null : supplied === null ? undefined : company.get('TaxCode', supplied);
  const rates = automated
    ? [{ id: 'AST', name: 'Automated sales tax', percent: company.preferences.automatedSalesTaxPercent }]
    : code
      ? salesRatesOf(company, code)
      : [];
  const taxable = lines.filter((line) => refValue(line.detail.TaxCodeRef) === 'TAX').reduce((sum, line) => sum + line.amountCents, 0);
  // A discount line lowers the taxable amount in proportion to the taxable share of the lines.
  const base = plain === 0 ? 0 : taxable - Math.round((discountCents * taxable) / plain);
  const taxLines = rates.map((rate) => ({ rate, cents: Math.round((base * rate.percent) / 100) }));
  const totalTaxCents = taxLines.reduce((sum, line) => sum + line.cents, 0);
  return {
    totalTaxCents,
    linesTotalCents: plain,
    txnTaxCodeId: automated ? null : supplied,
    taxLines: taxLines.map(({ rate, cents: amount }) => taxLineRecord(rate, amount, base, money)),
  };
}

function perLineTax(company: QboCompany, body: QboRecord, lines: TaxableLine[], reading: TaxInclusiveLineReading): ComputedTax {
  const money = transactionAmounts(company, body);
  const inclusive = body.GlobalTaxCalculation === 'TaxInclusive';
  type RateTotals = { rate: { id: string; name: string; percent: number }; netCents: number; exclusiveNetCents: number; inclusiveTaxCents: number };
  const byRate = new Map<string, RateTotals>();
  let linesTotalCents = 0;
  for (const line of lines) {
    const codeId = refValue(line.detail.TaxCodeRef);
    const code = codeId === null ? undefined : company.get('TaxCode', codeId);
    const rates = code ? salesRatesOf(company, code) : [];
    const percent = rates.reduce((sum, rate) => sum + rate.percent, 0);
    // The line's price paid when inclusive: TaxInclusiveAmt (net-amount reading) or Amount itself (gross-amount).
    const inclusiveAmt = minorOf(line.detail.TaxInclusiveAmt, money);
    const gross = !inclusive ? null : reading === 'gross-amount' ? line.amountCents : (inclusiveAmt ?? null);
    const net = gross === null ? line.amountCents : Math.round((gross * 100) / (100 + percent));
    if (gross !== null) {
      // What QBO keeps on the line: Amount net of tax, TaxInclusiveAmt the price paid.
      line.record.Amount = Number(money.amount(net));
      line.detail.TaxInclusiveAmt = Number(money.amount(gross));
    }
    linesTotalCents += net;
    // Inclusive: the tax is what the price paid holds beyond its net, shared among the code's rates.
    let unallocated = gross === null ? 0 : gross - net;
    rates.forEach((rate, index) => {
      const entry = byRate.get(rate.id) ?? { rate, netCents: 0, exclusiveNetCents: 0, inclusiveTaxCents: 0 };
      entry.netCents += net;
      if (gross === null) entry.exclusiveNetCents += net;
      else {
        const share = index === rates.length - 1 ? unallocated : Math.round(((gross - net) * rate.percent) / percent);
        entry.inclusiveTaxCents += share;
        unallocated -= share;
      }
      byRate.set(rate.id, entry);
    });
  }
  const taxLines: QboRecord[] = [];
  let totalTaxCents = 0;
  for (const { rate, netCents, exclusiveNetCents, inclusiveTaxCents } of byRate.values()) {
    const amount = inclusiveTaxCents + Math.round((exclusiveNetCents * rate.percent) / 100);
    totalTaxCents += amount;
    taxLines.push(taxLineRecord(rate, amount, netCents, money));
  }
  return { totalTaxCents, linesTotalCents, taxLines, txnTaxCodeId: null };
}

function taxLineRecord(rate: { id: string; name: string; percent: number }, amountCents: number, netCents: number, money: Amounts): QboRecord {
  return {
    Amount: Number(money.amount(amountCents)),
    DetailType: 'TaxLineDetail',
    TaxLineDetail: {
      TaxRateRef: { value: rate.id, name: rate.name },
      PercentBased: true,
      TaxPercent: rate.percent,
      NetAmountTaxable: Number(money.amount(netCents)),
    },
  };
}
