import type { LedgerSaleListing } from './accounting-target.js';
import type { CommercePayoutRef } from './commerce-payout.js';
import { markedPayout } from './ledger-document-ownership.js';
import { amountsIn } from './money.js';
import { auditDocument, keptDocument, type AuditLine } from './reconciliation-report.js';

/**
 * The payouts half of a reconciliation audit: each paid payout the shop issued in the range against the deposits
 * the ledger holds for it (found by our marker, the one `bookPayout` writes), and the fix for every difference.
 * Pure: the activity gathers both sides, this decides.
 */

/** What ledgerbridge knows of a payout on this route (its payout_syncs row). */
export interface AuditPayoutRow {
  payoutId: string;
  status: string;
  lastErrorMessage: string | null;
  ledgerDocumentId: string | null;
}

export interface PayoutAuditInput {
  routeId: string;
  range: { from: string; to: string };
  /** "Shopify #1": only deposits whose marker names this shop are judged; the bank's other deposits are not ours. */
  sourceName: string;
  ledgerName: string;
  /** What the ledger calls a payout's document ("deposit"). */
  documentKind: string;
  /** The shop's payouts issued on the range's days (UTC). */
  payouts: CommercePayoutRef[];
  /** The ledger's payout documents dated in the range. */
  deposits: LedgerSaleListing[];
  rows: AuditPayoutRow[];
}

/** Payouts ledgerbridge deposits: paid into the bank. One in transit may still fail; a withdrawal is booked by hand. */
function isDeposited(payout: CommercePayoutRef): boolean {
  return payout.status === 'PAID' && payout.direction === 'deposit';
}

const PARKED = new Set(['waiting', 'failed', 'halted', 'waiting_for_orders', 'waiting_for_payout']);

export function reconcilePayouts(input: PayoutAuditInput): AuditLine[] {
  const { ledgerName, documentKind, routeId } = input;
  const lines: AuditLine[] = [];
  const rowsById = new Map(input.rows.map((row) => [row.payoutId, row]));
  const byPayout = new Map<string, LedgerSaleListing[]>();
  for (const deposit of input.deposits) {
    const owner = markedPayout(deposit.marker);
    if (!owner || owner.source !== input.sourceName) continue;
    byPayout.set(owner.payoutId, [...(byPayout.get(owner.payoutId) ?? []), deposit]);
  }
  const line = (kind: AuditLine['kind'], payoutId: string, documents: LedgerSaleListing[], message: string, fix: string): AuditLine => ({
    kind,
    orderId: null,
    orderName: null,
    payoutId,
    documents: documents.map(auditDocument),
    message,
    fix,
  });

  const paid = input.payouts.filter(isDeposited);
  for (const payout of paid) {
    const deposits = byPayout.get(payout.id) ?? [];
    const row = rowsById.get(payout.id);
    const amount = `${payout.net} ${payout.currency}`;
    if (deposits.length === 0) {
      lines.push(
        row && PARKED.has(row.status)
          ? line('payout_missing_in_ledger', payout.id, [], `Payout ${payout.id} (${amount}) is not in ${ledgerName}: it is parked in ledgerbridge (${row.status})${row.lastErrorMessage ? `: ${row.lastErrorMessage}` : '.'}`, `Fix what payout ${payout.id} waits for (its row says what), then retry it: POST /routes/${routeId}/payouts/${payout.id}/retry.`)
          : line(
              'payout_missing_in_ledger',
              payout.id,
              [],
              row?.status === 'synced'
                ? `Payout ${payout.id} (${amount}) is marked deposited in ledgerbridge, but ${ledgerName} has no ${documentKind} for it in this range (deleted in the ledger?).`
                : `Payout ${payout.id} (${amount}) reached the bank but ${ledgerName} has no ${documentKind} for it${row ? ` (ledgerbridge shows it ${row.status})` : ' and ledgerbridge never saw it'}.`,
              `Replay payout ${payout.id}: POST /routes/${routeId}/payouts/${payout.id}/sync.`,
            ),
      );
      continue;
    }
    const kept = keptDocument(deposits, row);
    for (const extra of deposits.filter((d) => d !== kept)) {
      lines.push(
        line(
          'deposit_without_payout',
          payout.id,
          [kept, extra],
          `${ledgerName} holds payout ${payout.id} twice: ${documentKind} ${extra.docNumber} (id ${extra.id}) repeats ${documentKind} ${kept.docNumber} (id ${kept.id}), so the bank shows ${amount} more than it received.`,
          `Void ${documentKind} ${extra.id}, a second ${documentKind} of payout ${payout.id} (kept: ${kept.id}).`,
        ),
      );
    }
    const money = amountsIn(payout.currency);
    if ((kept.currency && kept.currency !== payout.currency) || money.minor(kept.total) !== money.minor(payout.net)) {
      lines.push(
        line(
          'payout_amount_mismatch',
          payout.id,
          [kept],
          `${ledgerName} has ${kept.total}${kept.currency ? ` ${kept.currency}` : ''} on ${documentKind} ${kept.docNumber} (id ${kept.id}); payout ${payout.id} put ${amount} in the bank.`,
          `Correct ${documentKind} ${kept.docNumber} (id ${kept.id}) in ${ledgerName} to ${money.amount(money.minor(payout.net))} ${payout.currency}.`,
        ),
      );
    }
  }

  const listed = new Set(paid.map((payout) => payout.id));
  for (const [payoutId, deposits] of byPayout) {
    if (listed.has(payoutId)) continue;
    const other = input.payouts.find((payout) => payout.id === payoutId);
    const why = other
      ? `the shop says payout ${payoutId} is ${other.status.toLowerCase().replace(/_/g, ' ')}${other.direction === 'withdrawal' ? ' (a withdrawal)' : ''}, so no money reached the bank from it`
      : `the shop lists no payout ${payoutId} issued from ${input.range.from} to ${input.range.to}`;
    for (const deposit of deposits) {
      lines.push(
        line(
          'deposit_without_payout',
          payoutId,
          [deposit],
          `${documentKind} ${deposit.docNumber} (id ${deposit.id}) in ${ledgerName} is booked for payout ${payoutId}, but ${why}.`,
          `Check payout ${payoutId} in the shop: if the bank did not receive it on ${deposit.date}, void ${documentKind} ${deposit.id}.`,
        ),
      );
    }
  }
  return lines;
}
