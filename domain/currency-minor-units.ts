/**
 * Each currency's own minor units (ISO 4217 exponent): JPY has none, KWD three, most two. Amounts compared in a
 * currency's minor units, so "1000" yen and "1000.00" yen agree, and 1.234 KWD differs from 1.23 KWD.
 * Source: ISO 4217 list one (SIX Group), the "Minor unit" column. Pure: safe in workflows.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function minorUnitExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** "107.25" USD → 10725; "1000" JPY → 1000; "1.234" KWD → 1234. Rounds half away from zero past the exponent. */
export function toMinorUnits(amount: string | number, currency: string): number {
  const exponent = minorUnitExponent(currency);
  const text = typeof amount === 'number' ? amount.toFixed(exponent + 2) : amount.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`Not an amount: ${JSON.stringify(amount)}`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const kept = fraction.padEnd(exponent, '0').slice(0, exponent);
  const roundUp = (fraction[exponent] ?? '0') >= '5';
  const units = Number(whole) * 10 ** exponent + Number(kept || '0') + (roundUp ? 1 : 0);
  return negative ? -units : units;
}

/** 10725 USD → "107.25"; 1000 JPY → "1000"; 1234 KWD → "1.234". */
export function fromMinorUnits(units: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const negative = units < 0;
  const abs = Math.abs(Math.round(units));
  if (exponent === 0) return `${negative ? '-' : ''}${abs}`;
  const scale = 10 ** exponent;
  return `${negative ? '-' : ''}${Math.floor(abs / scale)}.${String(abs % scale).padStart(exponent, '0')}`;
}
