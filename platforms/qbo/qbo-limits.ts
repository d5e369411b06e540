import type { LedgerLimits } from '../../domain/accounting-target.js';

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
