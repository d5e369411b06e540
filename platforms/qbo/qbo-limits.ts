import type { LedgerLimits } from '../../domain/accounting-target.js';
import type { RequestLimits } from '../../domain/request-limiter.js';

/**
 * Field lengths QBO accepts (SalesReceipt, Customer), no longer than any of Intuit's sources allows: see
 * emulators/qbo/field-lengths.ts. test/qbo-emulator-schema.test.ts keeps them in agreement.
 */
export const QBO_LIMITS: LedgerLimits = {
  docNumber: 21,
  internalNote: 4000, // PrivateNote
  customerMemo: 1000,
  customerDisplayName: 500,
  // Given/family names: the API reference says 100, the XSD documentation 25 (given) and 15 (family); we fit both.
  personName: 15,
  email: 100,
  lineDescription: 4000,
  itemName: 100,
};

/**
 * What ledgerbridge allows itself per company: Intuit's limits are 500 requests/minute per company (other
 * apps of the company share it), 10/s and 10 in flight per company and app; we stay a little under the rates.
 * The limiter also spreads the 8/s (at most 2 per 250 ms) so that uneven delays on the way do not add up to 10 in
 * one of QuickBooks' seconds (db/shared-request-limiter.ts).
 */
export const QBO_REQUEST_LIMITS: RequestLimits = { perSecond: 8, perMinute: 450, maxInFlight: 10 };
