import { and, eq, ne, sql } from 'drizzle-orm';
import type { LedgerDocumentRef, LedgerPayoutLine } from '../domain/accounting-target.js';
import type { ClearedCents, CommercePayout } from '../domain/commerce-payout.js';
import { payoutDocumentNumber } from '../domain/document-number.js';
import { PayoutsUnavailableError, unavailable } from '../domain/payouts-unavailable.js';
import { bookedPayoutHeader, payoutDocumentOwner } from '../domain/ledger-document-ownership.js';
import { amountsIn } from '../domain/money.js';
import { ledgerRefusalWait, SyncErrorType, type ParkReason } from '../domain/sync-error-types.js';
import { orderSyncs, payoutSyncs, refundSyncs } from '../db/schema.js';
import { bookkeepingWrite } from './database-failures.js';
import type { OrderSyncActivityDeps } from './order-sync-activities.js';
import { assertLedgerBooksPayoutCurrency } from './payout-currency.js';
import { payoutClears, payoutDepositLines, type PayoutOrderSale } from './payout-deposit-lines.js';
import { RouteBreaker } from './route-breaker.js';
import { againstPlatform, syncFailure } from './sync-failures.js';
import { syncRowValues } from './sync-row-values.js';

export type PayoutSyncRowStatus = 'pending' | 'waiting_for_orders' | 'waiting_for_payout' | 'syncing' | 'synced' | 'skipped' | 'failed' | 'waiting' | 'halted';

export interface PayoutSyncRecord {
  routeId: string;
  payoutId: string;
  workflowId: string;
  status: PayoutSyncRowStatus;
  payout?: { issuedAt: string; net: string; currency: string } | null;
  waitingFor?: ParkReason | null;
  waitingOn?: string | null;
  error?: { code: string; message: string } | null;
  document?: { id: string; docNumber: string } | null;
  /** Per order id, what the deposit moved through clearing. */
  cleared?: Record<string, ClearedCents>;
  newAttempt?: boolean;
}

export type FetchedPayout = { found: true; payout: CommercePayout } | { found: false; reason: string };

/** Where each order of the payout stands: booked (with its sale), not booked yet (the payout waits), or never to be booked. */
export interface PayoutOrders {
  booked: Array<{ orderId: string; orderName: string | null; sale: { id: string; docNumber: string } }>;
  notBooked: Array<{ orderId: string; orderName: string }>;
  neverBooked: Array<{ orderId: string; orderName: string }>;
}

export type PreparedDeposit =
  | { supported: false; ledgerName: string }
  | {
      supported: true;
      ledgerName: string;
      documentKind: string;
      docNumber: string;
      existing: LedgerDocumentRef | null;
      lines: LedgerPayoutLine[];
      cleared: Record<string, ClearedCents>;
      /**
       * Earlier payouts of the route not booked yet, when the clearing check is short only of charges: they may pay
       * those charges out, so this payout waits for them (README: payouts) instead of parking on a difference.
       */
      waitForPayouts?: string[];
    };

/** Activities of payoutSyncWorkflow: read the payout, check its orders and the clearing account, book the deposit. */
/**
 * A payout that would leave this much or more in the clearing account (in its own currency) is not a gift card or a
 * rounding: something books or pays out wrongly, so the route's hard stop is pulled (issue 12: "the clearing account
 * drifts beyond a threshold"). A smaller difference only parks the payout.
 */
export const CLEARING_DRIFT_HALT_AMOUNT = '50.00';

export function createPayoutSyncActivities(deps: OrderSyncActivityDeps) {
  const { db, connections } = deps;
  const breaker = deps.routeBreaker ?? new RouteBreaker(db);
  return {
    /** Writes the operator's row; for a payout parked on the route's halt, answers whether the route was released meanwhile. */
    async recordPayoutSyncState(record: PayoutSyncRecord): Promise<{ resolvedMeanwhile: boolean }> {
      const now = new Date();
      // Parked by the route's hard stop: the row says "halted", as an order's does, and the release resumes it.
      const halted = record.status === 'waiting' && record.error?.code === SyncErrorType.RouteHalted;
      const values = {
        ...syncRowValues(halted ? { ...record, status: 'halted' } : record, now),
        ...(record.payout ? { issuedAt: record.payout.issuedAt, net: record.payout.net, currency: record.payout.currency } : {}),
        ...(record.cleared ? { cleared: record.cleared } : {}),
      };
      return bookkeepingWrite(`record the state of payout ${record.payoutId}`, async () => {
        await db
          .insert(payoutSyncs)
          .values({ routeId: record.routeId, payoutId: record.payoutId, workflowId: record.workflowId, attempts: record.newAttempt ? 1 : 0, ...values })
          .onConflictDoUpdate({
            target: [payoutSyncs.routeId, payoutSyncs.payoutId],
            set: { ...values, workflowId: record.workflowId, ...(record.newAttempt ? { attempts: sql`${payoutSyncs.attempts} + 1` } : {}) },
          });
        return { resolvedMeanwhile: halted && (await breaker.releasedMeanwhile(record.routeId, record.waitingOn)) };
      });
    },

    async fetchPayout(input: { routeId: string; payoutId: string }): Promise<FetchedPayout> {
      const { integration, source } = await connections.commerceSource(input.routeId);
      // Squarespace: no payout API at all, so the payout is the processor's (Stripe, PayPal) to report.
      if (!source.getPayout) return { found: false, reason: `${integration.displayName} has no payout API, so ledgerbridge cannot read its payouts; book payouts by hand or from your processor` };
      const payout = await againstPlatform(integration, () => source.getPayout!(input.payoutId).catch(unavailable));
      // A store without the extension that reports payouts: the payout is skipped with the store's reason, no retries.
      if (payout instanceof PayoutsUnavailableError) return { found: false, reason: payout.reason };
      if (!payout) return { found: false, reason: `${integration.displayName} has no payout ${input.payoutId}` };
      // Before it waits for its orders: one its ledger cannot book waits with the setting, not for orders that may book.
      await assertLedgerBooksPayoutCurrency(connections, input.routeId, payout);
      return { found: true, payout };
    },

    /** Workflow ids of the route's payouts waiting for this one to be booked (see preparePayoutDeposit). */
    async payoutsWaitingFor(input: { routeId: string; payoutId: string }): Promise<string[]> {
      const rows = await db
        .select({ workflowId: payoutSyncs.workflowId, waitingOn: payoutSyncs.waitingOn })
        .from(payoutSyncs)
        .where(and(eq(payoutSyncs.routeId, input.routeId), eq(payoutSyncs.status, 'waiting_for_payout')));
      return rows.filter((row) => (row.waitingOn ?? '').split(' ').includes(`payout:${input.payoutId}`)).map((row) => row.workflowId);
    },

    /** Each order the payout pays out or refunds, as its sync left it. */
    async ordersOfPayout(input: { routeId: string; orders: Array<{ id: string; name: string }> }): Promise<PayoutOrders> {
      const result: PayoutOrders = { booked: [], notBooked: [], neverBooked: [] };
      for (const order of input.orders) {
        const [row] = await db
          .select({ status: orderSyncs.status, id: orderSyncs.ledgerDocumentId, docNumber: orderSyncs.ledgerDocNumber, orderName: orderSyncs.orderName })
          .from(orderSyncs)
          .where(and(eq(orderSyncs.routeId, input.routeId), eq(orderSyncs.orderId, order.id)));
        if (row?.status === 'synced' && row.id && row.docNumber) result.booked.push({ orderId: order.id, orderName: row.orderName ?? order.name, sale: { id: row.id, docNumber: row.docNumber } });
        else if (row?.status === 'skipped') result.neverBooked.push({ orderId: order.id, orderName: order.name });
        else result.notBooked.push({ orderId: order.id, orderName: order.name });
      }
      return result;
    },

    /**
     * The deposit's number and lines, the document when the ledger has it already, and the clearing check: after
     * this deposit, what each order's sale put in its clearing account, less its booked refunds and what payouts
     * took out, must be zero. Otherwise nothing is booked and the payout parks with the difference per order.
     */
    async preparePayoutDeposit(input: { routeId: string; payout: CommercePayout; orders: PayoutOrders['booked'] }): Promise<PreparedDeposit> {
      const { source, integration, target, route } = await connections.accountingTarget(input.routeId);
      if (!target.saleClearingAccount || !target.findBookedPayout || !target.bookPayout) return { supported: false, ledgerName: integration.displayName };
      const docNumber = payoutDocumentNumber(input.payout.id, target.limits.docNumber, route.documentNumberPrefix);
      const marker = bookedPayoutHeader(source.displayName, input.payout.id);
      const found = await againstPlatform(integration, () => target.findBookedPayout!(docNumber, { date: payoutDate(input.payout), marker }));
      if (found && payoutDocumentOwner(found.marker, source.displayName, input.payout.id) === 'other') {
        throw syncFailure(
          SyncErrorType.DocumentNumberTaken,
          `Payout ${input.payout.id} was not booked: number ${docNumber} is already used in ${integration.displayName} by ${found.kind ?? 'document'} ${found.id}, which ledgerbridge booked for another payout. Give this route a document number prefix no other shop uses; then retry.`,
          { detail: `marker: ${(found.marker ?? '').split('\n', 1)[0]}`, integrationId: integration.id, waitingOn: ledgerRefusalWait('payout-number-taken') },
        );
      }
      const documentKind = target.payoutDocumentKind ?? 'deposit';
      // Found (a re-run after a run that wrote it but never recorded it: an answer lost, the run stopped): what it
      // cleared is recorded all the same, or a later payout of these orders (a refund paid back) sees a false difference.
      if (found) {
        const cleared = payoutClears(input.payout, input.orders.map((order) => order.orderId));
        return { supported: true, ledgerName: integration.displayName, documentKind, docNumber, existing: plain(found), lines: [], cleared };
      }

      const sales: PayoutOrderSale[] = [];
      for (const order of input.orders) {
        const account = await againstPlatform(integration, () => target.saleClearingAccount!(order.sale));
        sales.push({ orderId: order.orderId, orderName: order.orderName ?? order.orderId, account, refundedCents: await refundedCents(input.routeId, order.orderId, input.payout.currency), clearedBefore: await clearedBefore(input.routeId, input.payout.id, order.orderId) });
      }
      const unclearable = sales.filter((sale) => !sale.account || !sale.account.clearable);
      if (unclearable.length > 0) {
        const names = unclearable.map((sale) => `${sale.orderName} (${sale.account ? sale.account.name : 'its sales receipt is gone'})`).join(', ');
        throw syncFailure(
          SyncErrorType.ClearingMismatch,
          `Payout ${input.payout.id} was not booked: ${names} ${unclearable.length === 1 ? 'was' : 'were'} not booked to a clearing account in ${integration.displayName}, so the payout cannot take ${unclearable.length === 1 ? 'its' : 'their'} money out of one. ` +
            `Choose the route's clearing account (clearingAccount) for new orders, and deposit these by hand; then retry.`,
          { detail: unclearable.map((sale) => `${sale.orderId}: ${JSON.stringify(sale.account)}`).join('; '), integrationId: integration.id, waitingOn: ledgerRefusalWait('payout-unclearable') },
        );
      }
      const { lines, cleared, differences } = payoutDepositLines(input.payout, sales);
      // An order refunded in this payout whose charge came in an earlier one still syncing (found by the same poll,
      // or waiting for another of its orders): not a difference yet. Checked again once the earlier ones are booked.
      if (differences.length > 0 && differences.every((d) => d.undercharged)) {
        const earlier = await earlierPayoutsNotBooked(input.routeId, input.payout);
        if (earlier.length > 0) return { supported: true, ledgerName: integration.displayName, documentKind, docNumber, existing: null, lines: [], cleared: {}, waitForPayouts: earlier };
      }
      if (differences.length > 0) {
        const total = differences.reduce((sum, d) => sum + d.cents, 0);
        const explained = differences.map((d) => `${d.orderName} ${amountsIn(input.payout.currency).amount(d.cents)} (${d.why})`).join('; ');
        const money = amountsIn(input.payout.currency);
        if (deps.routeBreaker && Math.abs(total) >= money.minor(CLEARING_DRIFT_HALT_AMOUNT)) {
          await deps.routeBreaker.trip(input.routeId, {
            reason: 'clearing_drift',
            message:
              `Payout ${input.payout.id} would leave ${money.amount(total)} ${input.payout.currency} in the clearing account of ${integration.displayName} ` +
              `(${explained}): more than ${CLEARING_DRIFT_HALT_AMOUNT} ${input.payout.currency}, so posting on this route stopped. Correct the ledger, retry the payout, then release the route.`,
            detail: { payoutId: input.payout.id, currency: input.payout.currency, difference: money.amount(total), differences },
          });
        }
        throw syncFailure(
          SyncErrorType.ClearingMismatch,
          `Payout ${input.payout.id} was not booked: it would leave ${amountsIn(input.payout.currency).amount(total)} ${input.payout.currency} in the clearing account for its orders. ${explained}. ` +
            `Correct the ledger (or book what is missing), then retry the payout.`,
          { detail: JSON.stringify(differences), integrationId: integration.id, waitingOn: ledgerRefusalWait('clearing-mismatch') },
        );
      }
      return { supported: true, ledgerName: integration.displayName, documentKind, docNumber, existing: null, lines, cleared };
    },

    /** Books the deposit once; its total must be the payout's net. */
    async bookPayoutDeposit(input: { routeId: string; payout: CommercePayout; docNumber: string; lines: LedgerPayoutLine[] }): Promise<LedgerDocumentRef> {
      const { source, integration, target } = await connections.accountingTarget(input.routeId);
      if (!target.bookPayout) throw new Error(`${integration.displayName} books no payouts`);
      // A halted route posts nothing, payouts included (its hard stop: activities/route-breaker.ts).
      await deps.routeBreaker?.assertPosting(input.routeId, `Payout ${input.payout.id}`);
      const [row] = await db.select({ attempts: payoutSyncs.attempts }).from(payoutSyncs).where(and(eq(payoutSyncs.routeId, input.routeId), eq(payoutSyncs.payoutId, input.payout.id)));
      const marker = bookedPayoutHeader(source.displayName, input.payout.id);
      const payout = { payoutId: input.payout.id, docNumber: input.docNumber, date: payoutDate(input.payout), currency: input.payout.currency, net: input.payout.net, lines: input.lines, marker, payee: source.displayName };
      const document = await againstPlatform(integration, () => target.bookPayout!(payout, `payout:${input.routeId}:${input.payout.id}:${row?.attempts ?? 0}`));
      if (amountsIn(input.payout.currency).minor(document.total) !== amountsIn(input.payout.currency).minor(input.payout.net)) {
        throw syncFailure(
          SyncErrorType.LedgerTotalMismatch,
          `${integration.displayName} booked payout ${input.payout.id} as ${document.kind ?? 'deposit'} ${document.docNumber} for ${document.total}, but ${input.payout.net} ${input.payout.currency} reached the bank: correct the deposit, then retry.`,
          { detail: `document ${document.id} total ${document.total}`, integrationId: integration.id, waitingOn: ledgerRefusalWait('payout-total') },
        );
      }
      return plain(document);
    },
  };

  async function refundedCents(routeId: string, orderId: string, currency: string): Promise<number> {
    const rows = await db
      .select({ total: refundSyncs.refundTotal })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId), eq(refundSyncs.status, 'synced')));
    return rows.reduce((sum, row) => sum + (row.total ? amountsIn(currency).minor(row.total) : 0), 0);
  }

  /** The route's other payouts issued before this one (or not read yet: no date on their row) that are neither booked nor skipped. */
  async function earlierPayoutsNotBooked(routeId: string, payout: CommercePayout): Promise<string[]> {
    const rows = await db
      .select({ payoutId: payoutSyncs.payoutId, status: payoutSyncs.status, issuedAt: payoutSyncs.issuedAt })
      .from(payoutSyncs)
      .where(and(eq(payoutSyncs.routeId, routeId), ne(payoutSyncs.payoutId, payout.id)));
    return rows
      // Issued before it, ties broken by id, so two payouts never wait for each other.
      .filter((row) => row.status !== 'synced' && row.status !== 'skipped' && (!row.issuedAt || row.issuedAt < payout.issuedAt || (row.issuedAt === payout.issuedAt && row.payoutId < payout.id)))
      .map((row) => row.payoutId)
      .sort();
  }

  async function clearedBefore(routeId: string, payoutId: string, orderId: string): Promise<ClearedCents> {
    const rows = await db
      .select({ cleared: payoutSyncs.cleared })
      .from(payoutSyncs)
      .where(and(eq(payoutSyncs.routeId, routeId), ne(payoutSyncs.payoutId, payoutId), eq(payoutSyncs.status, 'synced')));
    return rows.reduce((sum, row) => ({ charged: sum.charged + (row.cleared[orderId]?.charged ?? 0), refunded: sum.refunded + (row.cleared[orderId]?.refunded ?? 0) }), { charged: 0, refunded: 0 });
  }
}

export type PayoutSyncActivities = ReturnType<typeof createPayoutSyncActivities>;

/** The day a payout's deposit is dated: the day it was issued. */
function payoutDate(payout: CommercePayout): string {
  return payout.issuedAt.slice(0, 10);
}

function plain(document: LedgerDocumentRef): LedgerDocumentRef {
  return { id: document.id, docNumber: document.docNumber, total: document.total, ...(document.kind ? { kind: document.kind } : {}) };
}
