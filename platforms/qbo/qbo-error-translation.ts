import {
  CredentialsInvalidError,
  DisplayNameTakenError,
  LedgerRejectedError,
  MissingScopeError,
  PlatformUnavailableError,
  RateLimitedError,
  type PlatformError,
} from '../../domain/platform-errors.js';
import type { QboFault } from './qbo-fault.js';

export const QBO_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

export interface FailedResponse {
  status: number;
  retryAfter: string | null;
  intuitTid: string | null;
  body: string;
  fault: QboFault | null;
}

/** What the failed call was about, for messages: "sales receipt 1001", "customer 'Jane Doe'", "a lookup". */
export interface CallSubject {
  subject: string;
}

const EXCERPT = 500;

export function describeFailure(response: FailedResponse): string {
  const codes = response.fault?.errors.map((error) => `${error.code} ${error.message}: ${error.detail}`).join(' | ');
  return [
    `HTTP ${response.status}`,
    response.intuitTid ? `intuit_tid=${response.intuitTid}` : null,
    codes ? `fault: ${codes}` : `body: ${response.body.slice(0, EXCERPT)}`,
  ]
    .filter((part) => part !== null)
    .join('; ');
}

export function retryAfterMs(header: string | null, defaultMs: number, nowMs = Date.now()): number {
  if (header === null || header.trim() === '') return defaultMs;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? defaultMs : Math.max(0, date - nowMs);
}

function rejectionReason(code: string, message: string, detail: string, element: string): string {
  switch (code) {
    case '2050': {
      const max = /Max:(\d+)/.exec(detail)?.[1];
      const field = element || 'a text field';
      return `${field} is longer than QuickBooks Online allows${max ? ` (at most ${max} characters)` : ''}`;
    }
    case '6140':
      return 'its document number is already used by another document of the same type';
    case '6240':
      return 'another customer, vendor or employee already uses this name';
    case '5010':
      return 'it was changed by someone else since ledgerbridge read it';
    case '610':
      return 'something it refers to (an item, customer, tax code or account) is inactive or deleted';
    case '2500':
      return 'something it refers to (an item, customer, tax code or account) does not exist';
    case '6070':
      return 'a line amount is not quantity × unit price';
    case '6000':
      return `a QuickBooks Online business rule refused it: ${detail || message}`;
    case '6190':
      return "the company's QuickBooks Online subscription is not active";
    case '6210':
      return 'the accounting period is closed';
    case '4000':
      return 'QuickBooks Online did not understand the lookup query';
    default:
      return detail ? `${message}: ${detail}` : message || 'QuickBooks Online gave no reason';
  }
}

export function ledgerRejection(code: string, subject: string, reason: string, detail: string): LedgerRejectedError {
  const message = `QuickBooks Online rejected ${subject}: ${reason} (code ${code})`;
  // 6240 "Duplicate Name Exists": names are unique across customers, vendors and employees.
  if (code === '6240') return new DisplayNameTakenError(code, message, detail);
  return new LedgerRejectedError(code, message, detail);
}

function credentialsProblem(response: FailedResponse): 'expired' | 'revoked' {
  return response.fault?.errors.some((error) => /expired/i.test(error.detail) || /expired/i.test(error.message)) ? 'expired' : 'revoked';
}

/** The 401 that survives a refresh: only reconnecting the integration helps. */
export function credentialsRejected(response: FailedResponse): CredentialsInvalidError {
  const problem = credentialsProblem(response);
  return new CredentialsInvalidError(
    problem,
    problem === 'expired'
      ? "QuickBooks Online rejected ledgerbridge's access token as expired and it could not be renewed. Reconnect the integration."
      : "QuickBooks Online no longer accepts ledgerbridge's connection (it was disconnected or revoked). Reconnect the integration.",
    describeFailure(response),
  );
}

/** Translates a failed Accounting API answer (other than a 401 we can still refresh past). */
export function translateFailure(response: FailedResponse, call: CallSubject, defaultRetryAfterMs: number): PlatformError {
  const first = response.fault?.errors[0];
  const detail = describeFailure(response);
  if (response.status === 429 || first?.code === '3001') {
    return new RateLimitedError(
      retryAfterMs(response.retryAfter, defaultRetryAfterMs),
      'QuickBooks Online asked ledgerbridge to slow down; the work will continue shortly.',
      detail,
    );
  }
  if (response.status === 401 || first?.code === '3200' || first?.code === '100') return credentialsRejected(response);
  if (response.status === 403 && first?.code === '3100') {
    return new MissingScopeError(
      [QBO_ACCOUNTING_SCOPE],
      'QuickBooks Online says ledgerbridge is not authorized for this company’s accounting data. Reconnect the integration.',
      detail,
    );
  }
  if (response.status >= 500 || response.status === 404 || response.status === 408) {
    return new PlatformUnavailableError(response.status, `QuickBooks Online is unavailable (HTTP ${response.status}); the work will be retried.`, detail);
  }
  if (first) return ledgerRejection(first.code, call.subject, rejectionReason(first.code, first.message, first.detail, first.element), detail);
  return ledgerRejection(String(response.status), call.subject, `HTTP ${response.status} without a fault body`, detail);
}
