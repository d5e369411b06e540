import { randomUUID } from 'node:crypto';

/** Xero's JSON dates: `/Date(1539993600000+0000)/`. */
export function msDate(ms: number): string {
  return `/Date(${ms}+0000)/`;
}

/** `DateString`-style local date-time for a YYYY-MM-DD date: `2026-11-20T00:00:00`. */
export function dateString(isoDate: string): string {
  return `${isoDate}T00:00:00`;
}

export function dateMs(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

/** The envelope every Accounting API answer wraps its array in. */
export function envelope(collection: string, records: unknown[], nowMs: number): Record<string, unknown> {
  return { Id: randomUUID(), Status: 'OK', ProviderName: 'ledgerbridge', DateTimeUTC: msDate(nowMs), [collection]: records };
}

/** An HTTP answer an API handler throws to stop with (errors, throttles). */
export class XeroHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Xero HTTP ${status}`);
  }
}

/** 401/403 problem+json as Xero's API gateway sends it. */
export function problem(status: 401 | 403, detail: string): XeroHttpError {
  return new XeroHttpError(status, {
    Type: null,
    Title: status === 401 ? 'Unauthorized' : 'Forbidden',
    Status: status,
    Detail: detail,
    Instance: randomUUID(),
    Extensions: {},
  });
}

/** `TokenExpired: token expired at 01/31/2026 10:00:00` (US date order, UTC). */
export function tokenExpiredDetail(expiredAtMs: number): string {
  const d = new Date(expiredAtMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `TokenExpired: token expired at ${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** 400 ValidationException: the refused elements echoed back, each with its ValidationErrors. */
export function validationException(elements: Array<Record<string, unknown>>): XeroHttpError {
  return new XeroHttpError(400, {
    ErrorNumber: 10,
    Type: 'ValidationException',
    Message: 'A validation exception occurred',
    Elements: elements,
  });
}

export function notFound(): XeroHttpError {
  return new XeroHttpError(404, 'The resource you\'re looking for cannot be found');
}
