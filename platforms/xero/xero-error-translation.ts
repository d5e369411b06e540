import {
  CredentialsInvalidError,
  DailyQuotaExhaustedError,
  DisplayNameTakenError,
  LedgerRejectedError,
  PlatformUnavailableError,
  RateLimitedError,
  type PlatformError,
} from '../../domain/platform-errors.js';
import { retryAfterMs } from '../qbo/qbo-error-translation.js';
import { describeXeroFailure, problemDetail, validationMessages, type XeroFailure } from './xero-failure.js';

/** What the failed call was about, for messages: "sales invoice 1001", "customer 'Jane Doe'", "a lookup". */
export interface XeroCallSubject {
  subject: string;
  /** Organisation name or tenant id, for the daily quota message. */
  organisation: string;
}

/**
 * Bookkeeper reasons for Xero's validation messages, in QuickBooks Online's words where the cause is the same
 * (platforms/qbo/qbo-error-translation.ts), and a short code the order's waiting state is keyed by.
 */
function rejectionReason(message: string): { code: string; reason: string } {
  const length = /^(.*?) must not be more than (\d+) characters long/i.exec(message);
  if (length) return { code: 'length', reason: `${length[1]} is longer than Xero allows (at most ${length[2]} characters)` };
  if (/Invoice # must be unique/i.test(message)) return { code: 'duplicate-number', reason: 'its document number is already used by another document of the same type' };
  if (/contact name .* already assigned/i.test(message)) return { code: 'duplicate-name', reason: 'another contact already uses this name' };
  if (/Item code '.*' is not valid/i.test(message)) return { code: 'unknown-item', reason: `something it refers to (an item, customer, tax code or account) does not exist: ${message}` };
  if (/TaxType code .* (does not exist or cannot be used|cannot be used with account|is not valid)|Tax rate must be valid/i.test(message)) {
    return { code: 'invalid-tax-type', reason: `something it refers to (an item, customer, tax code or account) is inactive or deleted: ${message}` };
  }
  if (/Account code '.*' is not a valid code|Account must be valid/i.test(message)) {
    return { code: 'invalid-account', reason: `something it refers to (an item, customer, tax code or account) does not exist or cannot be used: ${message}` };
  }
  if (/Contact with ID .* could not be found|archived/i.test(message)) return { code: 'unknown-contact', reason: `something it refers to (an item, customer, tax code or account) is inactive or deleted: ${message}` };
  if (/line total .* does not match/i.test(message)) return { code: 'line-amount', reason: 'a line amount is not quantity × unit price' };
  if (/lock date|period.*(locked|closed)/i.test(message)) return { code: 'period-locked', reason: 'the accounting period is closed' };
  if (/exceeds the amount outstanding/i.test(message)) return { code: 'overpayment', reason: 'the payment is more than the invoice still owes' };
  return { code: 'validation', reason: `a Xero business rule refused it: ${message}` };
}

export function xeroRejection(code: string, subject: string, reason: string, detail: string): LedgerRejectedError {
  const message = `Xero rejected ${subject}: ${reason} (code ${code})`;
  // Contact names are unique among active contacts: the engine tries the next form of the name.
  if (code === 'duplicate-name') return new DisplayNameTakenError(code, message, detail);
  return new LedgerRejectedError(code, message, detail);
}

/** The 401 that survives a refresh, or a 403 for an organisation no longer connected: only reconnecting helps. */
export function xeroCredentialsRejected(failure: XeroFailure): CredentialsInvalidError {
  const detail = describeXeroFailure(failure);
  if (failure.status === 403) {
    return new CredentialsInvalidError(
      'revoked',
      'Xero no longer gives ledgerbridge access to this organisation (it was disconnected in Xero). Reconnect the integration.',
      detail,
    );
  }
  const expired = /TokenExpired/i.test(problemDetail(failure.body));
  return new CredentialsInvalidError(
    expired ? 'expired' : 'revoked',
    expired
      ? "Xero rejected ledgerbridge's access token as expired and it could not be renewed. Reconnect the integration."
      : "Xero no longer accepts ledgerbridge's connection (it was disconnected or revoked). Reconnect the integration.",
    detail,
  );
}

const CONCURRENT_RETRY_MS = 1000;

function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 429: the day's quota (orders wait until it resets) or a short throttle. */
export function xeroThrottle(failure: XeroFailure, call: XeroCallSubject, defaultRetryAfterMs: number, nowMs = Date.now()): RateLimitedError {
  const detail = describeXeroFailure(failure);
  const problem = (failure.headers['x-rate-limit-problem'] ?? '').toLowerCase();
  const dayRemaining = failure.headers['x-daylimit-remaining'];
  if (problem === 'day' || (problem === '' && dayRemaining === '0')) {
    const waitMs = retryAfterMs(failure.headers['retry-after'] ?? null, 3_600_000, nowMs);
    const resetsAt = new Date(nowMs + waitMs).toISOString();
    return new DailyQuotaExhaustedError(
      waitMs,
      resetsAt,
      `Xero's daily limit of API calls for ${call.organisation} is used up; orders wait and continue by themselves once it resets at ${utcTime(nowMs + waitMs)}.`,
      detail,
    );
  }
  // Too many calls in progress comes without Retry-After: a call ends within seconds, so a short wait is enough.
  const fallbackMs = problem === 'concurrent' ? CONCURRENT_RETRY_MS : defaultRetryAfterMs;
  return new RateLimitedError(retryAfterMs(failure.headers['retry-after'] ?? null, fallbackMs, nowMs), 'Xero asked ledgerbridge to slow down; the work will continue shortly.', detail);
}

/** Translates a failed Accounting API answer (other than a 401 we can still refresh past). */
export function translateXeroFailure(failure: XeroFailure, call: XeroCallSubject, defaultRetryAfterMs: number): PlatformError {
  const detail = describeXeroFailure(failure);
  if (failure.status === 429) return xeroThrottle(failure, call, defaultRetryAfterMs);
  if (failure.status === 401 || failure.status === 403) return xeroCredentialsRejected(failure);
  if (failure.status === 0) return new PlatformUnavailableError(null, `Xero did not answer while handling ${call.subject}; the work will be retried.`, detail);
  if (failure.status >= 500 || failure.status === 404 || failure.status === 408) {
    return new PlatformUnavailableError(failure.status, `Xero is unavailable (HTTP ${failure.status}); the work will be retried.`, detail);
  }
  const first = validationMessages(failure.body)[0];
  if (first) {
    const { code, reason } = rejectionReason(first);
    return xeroRejection(code, call.subject, reason, detail);
  }
  const message = (failure.body as { Message?: unknown } | null)?.Message;
  return xeroRejection(String(failure.status), call.subject, typeof message === 'string' ? message : `HTTP ${failure.status} without a validation message`, detail);
}
