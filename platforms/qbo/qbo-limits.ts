import type { LedgerLimits } from '../../domain/accounting-target.js';
import type { RequestLimits } from '../../domain/request-limiter.js';

/** Field lengths from Intuit's API reference (SalesReceipt, Customer). */
export const QBO_LIMITS: LedgerLimits = {
  docNumber: 21,
  privateNote: 4000,
  customerMemo: 1000,
  customerDisplayName: 500,
  personName: 100,
  email: 100,
  lineDescription: 4000,
};

/**
 * What ledgerbridge allows itself per company: Intuit's limits are 500 requests/minute per company (other
 * apps of the company share it), 10/s and 10 in flight per company and app; we stay a little under the rates.
 */
export const QBO_REQUEST_LIMITS: RequestLimits = { perSecond: 8, perMinute: 450, maxInFlight: 10 };
