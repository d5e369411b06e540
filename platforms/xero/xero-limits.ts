import type { LedgerLimits } from '../../domain/accounting-target.js';
import type { RequestLimits } from '../../domain/request-limiter.js';

/**
 * Field lengths Xero accepts (shared/platforms/xero.md §6): InvoiceNumber 255; Reference carries our
 * "booked by ledgerbridge" header (255 assumed, [U]); contact Name and EmailAddress 255. Xero invoices have no
 * customer memo through the API, so none is sent.
 */
export const XERO_LIMITS: LedgerLimits = {
  docNumber: 255,
  internalNote: 255,
  customerMemo: 4000,
  customerDisplayName: 255,
  personName: 255,
  email: 255,
  lineDescription: 4000,
  // Item Name (Item Code, where the SKU goes, is 30): emulators/xero/item-rules.ts.
  itemName: 50,
};

/** What ledgerbridge allows itself per organisation: Xero allows 60 calls a minute and 5 at once per tenant. */
export const XERO_REQUEST_LIMITS: RequestLimits = { perSecond: 5, perMinute: 55, maxInFlight: 4 };

/** Xero's limit on the Idempotency-Key header. */
export const XERO_IDEMPOTENCY_KEY_MAX = 128;
