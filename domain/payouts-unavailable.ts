/**
 * The store reads payouts only through an extension it may not have (WooCommerce without WooPayments): nothing to
 * retry, nothing to fix in ledgerbridge. Payout syncs end skipped with `reason`; a poll finds no payouts.
 */
export class PayoutsUnavailableError extends Error {
  override readonly name = 'PayoutsUnavailableError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** For a `.catch`: a store without payouts becomes a value the caller reports; anything else is thrown on. */
export function unavailable(error: unknown): PayoutsUnavailableError {
  if (error instanceof PayoutsUnavailableError) return error;
  throw error;
}
