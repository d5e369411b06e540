/** A ledger company's published request limits, as the limiter keeps to them. */
export interface RequestLimits {
  perSecond: number;
  perMinute: number;
  /** Requests of the company being processed at once. */
  maxInFlight: number;
  /** Length of the "minute" window in ms; 60 000 except where a test shortens it. */
  windowMs?: number;
}

/**
 * Which waiting request gets the next slot of a company. A write books an order: it goes ahead of lookups, so a
 * backlog books as it goes instead of doing every order's lookup before its first booking.
 */
export type RequestPriority = 'write' | 'read';

/**
 * Keeps every process of ledgerbridge, together, within a ledger company's limits: a request asks for a
 * slot before it is sent and gives it back when its answer has been read.
 */
export interface RequestLimiter {
  /** Waits until one more request fits (writes first, then in arrival order); resolves to the function that ends it. */
  acquire(companyKey: string, priority?: RequestPriority): Promise<() => Promise<void>>;
  /** The company said "slow down": no process sends it anything for this long. */
  pauseFor(companyKey: string, ms: number): Promise<void>;
}
