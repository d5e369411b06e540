/** Small checks shared by the entity rules; messages follow Xero's "… must not be more than N characters long". */

export function tooLong(label: string, value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length > max ? `${label} must not be more than ${max} characters long` : null;
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T00:00:00)?$/.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)));
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Cents, half away from zero (Xero rounds line amounts and line tax to 2 decimals). */
export function round2(value: number): number {
  const sign = value < 0 ? -1 : 1;
  return (sign * Math.round(Math.abs(value) * 100 + 1e-9)) / 100;
}

export function defined(...messages: Array<string | null | undefined>): string[] {
  return messages.filter((message): message is string => typeof message === 'string');
}
