/**
 * A payout from the shop's payment provider to the merchant's bank (Shopify Payments), with the balance
 * transactions it pays out. Amounts are in the payout's currency, as signed decimal strings: a charge adds to the
 * payout, a refund, a chargeback or a fee takes from it. Pure data: safe in workflows.
 */
export interface CommercePayout {
  /** The shop's id for the payout (Shopify: its legacy id, as in the admin's payout page). */
  id: string;
  /** ISO 8601 UTC. */
  issuedAt: string;
  /** The provider's word: "PAID", "IN_TRANSIT", "SCHEDULED", "FAILED", "CANCELED". */
  status: string;
  /** The bank leg: money to the bank ("deposit") or taken from it ("withdrawal"). */
  direction: 'deposit' | 'withdrawal';
  currency: string;
  /** What reached (or left) the bank, positive. */
  net: string;
  transactions: PayoutTransaction[];
}

/**
 * How a balance transaction is booked: `charge` and `refund` move an order's money through the clearing account,
 * `chargeback` (a dispute withdrawn or given back) and `adjustment` (anything else) are their own lines.
 */
export type PayoutTransactionKind = 'charge' | 'refund' | 'chargeback' | 'adjustment';

export interface PayoutTransaction {
  id: string;
  kind: PayoutTransactionKind;
  /** The provider's own type ("CHARGE", "REFUND", "DISPUTE_WITHDRAWAL", "ADJUSTMENT", ...), for the line's text. */
  type: string;
  /** Signed: what the transaction adds to the balance before its fee. */
  amount: string;
  /** What the provider kept for it, positive (negative when a fee is given back). */
  fee: string;
  /** The order it belongs to, when it belongs to one. */
  order: { id: string; name: string } | null;
  /** The provider's reason for an adjustment. */
  reason: string | null;
}

/** A payout as a listing names it: enough to start its sync, and for an audit to compare it with its deposit. */
export interface CommercePayoutRef {
  id: string;
  issuedAt: string;
  status: string;
  direction: CommercePayout['direction'];
  currency: string;
  /** What reached (or left) the bank, positive. */
  net: string;
}

/** Only a payout that reached the bank is deposited: one in transit or scheduled may still change or fail. */
export function payoutIsSettled(status: string): boolean {
  return status === 'PAID';
}

/** What payouts moved through the clearing account for one order: charges paid out, refunds paid back (both positive cents). */
export interface ClearedCents {
  charged: number;
  refunded: number;
}
