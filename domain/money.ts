/**
 * Money as integer minor units of its currency (cents for USD, yen for JPY, fils for KWD), so sums are exact and
 * every amount is rounded the way the currency is: JPY has no decimals, KWD three.
 */

/**
 * ISO 4217 minor units where they differ from what Intl (CLDR) formats: CLDR gives display digits, and drops to 0
 * decimals for currencies whose small coins are out of use (HUF, IDR, COP, PKR...), while ISO 4217 and the ledgers
 * keep 2 (IQD keeps 3). Source: ISO 4217 list one (SIX), checked against Node 20's CLDR 48.
 */
const ISO_4217_EXCEPTIONS: Readonly<Record<string, number>> = {
  AFN: 2, ALL: 2, COP: 2, HUF: 2, IDR: 2, IRR: 2, KPW: 2, LAK: 2, LBP: 2, MGA: 2, MMK: 2, PKR: 2, RSD: 2, SLL: 2, SLE: 2, SOS: 2, SYP: 2, YER: 2,
  IQD: 3,
  CLF: 4, UYW: 4, UYI: 0,
  // Not a currency: the scale `sameAmount` compares any two amounts at.
  XXX6: 6,
};

const digitsCache = new Map<string, number>();

/** How many decimals an amount in `currency` has (ISO 4217 minor units): JPY 0, USD 2, KWD 3. Unknown codes: 2. */
export function minorUnitDigits(currency: string): number {
  const code = currency.trim().toUpperCase();
  const cached = digitsCache.get(code);
  if (cached !== undefined) return cached;
  let digits = ISO_4217_EXCEPTIONS[code];
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2; // not a well-formed code: treat as the common case, the ledger will refuse it if it must
    }
  }
  digitsCache.set(code, digits);
  return digits;
}

function scaleOf(currency: string): number {
  return 10 ** minorUnitDigits(currency);
}

/**
 * An amount ("1234.5", 1234.5) as integer minor units of `currency`, rounded half away from zero to the currency's
 * decimals ("1200.0" JPY → 1200; "1.2345" KWD → 1235).
 */
export function toMinor(amount: string | number, currency: string): number {
  const digits = minorUnitDigits(currency);
  const text = typeof amount === 'number' ? amount.toFixed(Math.max(digits, 6)) : amount.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`Not an amount: ${JSON.stringify(amount)}`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  const roundsUp = fraction.length > digits && Number(fraction[digits]) >= 5;
  const minor = Number(whole) * scaleOf(currency) + Number(kept || '0') + (roundsUp ? 1 : 0);
  return negative ? -minor : minor;
}

/** Minor units as the decimal string of `currency`: 1200 JPY → "1200", 1235 KWD → "1.235", 1050 USD → "10.50". */
export function fromMinor(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = minor < 0;
  const abs = Math.abs(Math.round(minor));
  const scale = scaleOf(currency);
  const text = digits === 0 ? String(abs) : `${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
  return negative && abs !== 0 ? `-${text}` : text;
}

/** A decimal amount written the way `currency` is: "1200.0" JPY → "1200", "10.5" USD → "10.50". */
export function normalizeAmount(amount: string | number, currency: string): string {
  return fromMinor(toMinor(amount, currency), currency);
}

/** Minor units as the number a ledger's JSON API takes (QBO, Xero): 1235 KWD → 1.235. */
export function minorToNumber(minor: number, currency: string): number {
  return Number(fromMinor(minor, currency));
}

/** Whether two decimal amounts of one currency are the same figure ("10.5" and "10.50"), whatever the currency. */
export function sameAmount(a: string, b: string): boolean {
  // Six decimals hold every ISO 4217 currency's minor units; CLF's 4 are the most.
  return toMinor(a, 'XXX6') === toMinor(b, 'XXX6');
}

/** The two conversions bound to one currency, for code that handles many amounts of one order. */
export interface Amounts {
  readonly currency: string;
  /** A decimal amount as minor units of the currency. */
  minor(amount: string | number): number;
  /** Minor units as the currency's decimal string. */
  amount(minor: number): string;
}

export function amountsIn(currency: string): Amounts {
  return { currency, minor: (amount) => toMinor(amount, currency), amount: (minor) => fromMinor(minor, currency) };
}

/** Splits `totalCents` over `weights` in proportion, by largest remainder: the parts sum to it exactly. */
export function spreadCents(totalCents: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || totalCents === 0) return weights.map(() => 0);
  const raw = weights.map((w) => (totalCents * w) / sum);
  const parts = raw.map(Math.floor);
  let left = totalCents - parts.reduce((a, b) => a + b, 0);
  for (const [, i] of raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0])) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}
