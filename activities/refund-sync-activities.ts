import { and, eq, sql } from 'drizzle-orm';
import type { LedgerDocumentRef, LedgerRefund } from '../domain/accounting-target.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { CANCELLATION_REFUND_ID, cancellationRefund, refundAsOrder } from '../domain/commerce-refund.js';
import { refundDocumentNumber } from '../domain/document-number.js';
import { bookedRefundHeader, refundDocumentOwner } from '../domain/ledger-document-ownership.js';
import { sameAmount, toMinor } from '../domain/money.js';
import type { MappedOrderLines } from '../domain/order-mapping.js';
import { ledgerRefusalWait, SyncErrorType, type ParkReason } from '../domain/sync-error-types.js';
import { orderSyncs, refundSyncs } from '../db/schema.js';
import { bookkeepingWrite } from './database-failures.js';
import { accountReversal, claimShopRefund } from './refund-accounting.js';
import { refundInBookingCurrency } from './booking-currency.js';
import { FieldTruncator } from './field-truncator.js';
import { ledgerSaleOf } from './ledger-sale.js';
import { syncRowValues } from './sync-row-values.js';
import { ledgerTotalMismatch, storedTotalMismatch } from './ledger-total-check.js';
import { RouteBreaker } from './route-breaker.js';
import { createOrderSyncActivities, type OrderSyncActivityDeps } from './order-sync-activities.js';
import { againstPlatform, syncFailure } from './sync-failures.js';

export type RefundSyncRowStatus = 'pending' | 'waiting_for_sale' | 'syncing' | 'synced' | 'skipped' | 'failed' | 'waiting';

export interface RefundSyncRecord {
  routeId: string;
  orderId: string;
  refundId: string;
  workflowId: string;
  status: RefundSyncRowStatus;
  orderName?: string | null;
  refundTotal?: string | null;
  /** The currency of `refundTotal`, written with it. */
  refundCurrency?: string | null;
  waitingFor?: ParkReason | null;
  waitingOn?: string | null;
  error?: { code: string; message: string } | null;
  document?: { id: string; docNumber: string } | null;
  newAttempt?: boolean;
}

/** The sale a refund gives money back for, as the order's sync left it. */
export type SaleOfOrder =
  | { state: 'booked'; sale: { id: string; docNumber: string }; orderName: string | null }
  /** Not booked yet (the order's sync is running, parked, or not started): the refund waits. */
  | { state: 'not_booked' }
  /** The order was never booked (cancelled before it was, or skipped): nothing to give back in the ledger. */
  | { state: 'never_booked'; orderName: string | null };

/** A refund read from the shop, in the shape of an order so the sale's mapping maps it, in the amounts its sale was booked in. */
export type FetchedRefund =
  | {
      found: true;
      order: CommerceOrder;
      refundId: string;
      ordinal: number | 'cancellation';
      createdAt: string;
      /** The currency of what the shop gave back (`order.shopTotal ?? order.total`); absent in results of older workers. */
      givenBackCurrency?: string;
    }
  | { found: false; reason: string };

/**
 * The currency of what the shop gave back: a refund booked in the buyer's (or the home) currency keeps the shop's
 * total beside its own (`shopTotal`, domain/booking-currency.ts), in the currency the shop read it in.
 */
function givenBackCurrency(asRead: CommerceOrder, booked: CommerceOrder): string {
  return booked.shopTotal !== undefined ? asRead.currency : booked.currency;
}

/**
 * Activities of refundSyncWorkflow. Mapping and the customer are the order sync's own activities (the refund's
 * lines map to the same items and tax codes as its sale's); the rest reads and books the refund.
 */
export function createRefundSyncActivities(deps: OrderSyncActivityDeps) {
  const { db, connections } = deps;
  const orderActivities = createOrderSyncActivities(deps);
  const breaker = deps.routeBreaker ?? new RouteBreaker(db);
  /** Whether the refund's row already names this document as booked for it (a run that saw it through). */
  const syncedWith = async (routeId: string, orderId: string, refundId: string, document: LedgerDocumentRef) => {
    const [row] = await db
      .select({ documentId: refundSyncs.ledgerDocumentId })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId), eq(refundSyncs.refundId, refundId)));
    return row?.documentId === document.id;
  };
  return {
    /** Writes the operator's row; for a refund parked on the route's halt, answers whether the route was released meanwhile. */
    async recordRefundSyncState(record: RefundSyncRecord): Promise<{ resolvedMeanwhile: boolean }> {
      const now = new Date();
      const values = {
        ...syncRowValues(record, now),
        ...(record.refundTotal ? { refundTotal: record.refundTotal, ...(record.refundCurrency ? { refundCurrency: record.refundCurrency } : {}) } : {}),
      };
      return bookkeepingWrite(`record the state of refund ${record.refundId} of order ${record.orderName ?? record.orderId}`, async () => {
        await db
          .insert(refundSyncs)
          .values({ routeId: record.routeId, orderId: record.orderId, refundId: record.refundId, workflowId: record.workflowId, attempts: record.newAttempt ? 1 : 0, ...values })
          .onConflictDoUpdate({
            target: [refundSyncs.routeId, refundSyncs.orderId, refundSyncs.refundId],
            set: { ...values, workflowId: record.workflowId, ...(record.newAttempt ? { attempts: sql`${refundSyncs.attempts} + 1` } : {}) },
          });
        return { resolvedMeanwhile: record.status === 'waiting' && (await breaker.releasedMeanwhile(record.routeId, record.waitingOn)) };
      });
    },

    async saleOfOrder(input: { routeId: string; orderId: string }): Promise<SaleOfOrder> {
      const [row] = await db
        .select({ status: orderSyncs.status, id: orderSyncs.ledgerDocumentId, docNumber: orderSyncs.ledgerDocNumber, orderName: orderSyncs.orderName })
        .from(orderSyncs)
        .where(and(eq(orderSyncs.routeId, input.routeId), eq(orderSyncs.orderId, input.orderId)));
      if (row?.status === 'synced' && row.id && row.docNumber) return { state: 'booked', sale: { id: row.id, docNumber: row.docNumber }, orderName: row.orderName };
      if (row?.status === 'skipped') return { state: 'never_booked', orderName: row.orderName };
      return { state: 'not_booked' };
    },

    async fetchRefund(input: { routeId: string; orderId: string; refundId: string }): Promise<FetchedRefund> {
      const { integration, source } = await connections.commerceSource(input.routeId);
      if (!source.getRefunds) return { found: false, reason: `${integration.displayName} does not report refunds to ledgerbridge yet` };
      const ref = { routeId: input.routeId, orderId: input.orderId };
      const read = async () => {
        const [order, refunds] = await Promise.all([
          againstPlatform(integration, () => source.getOrder(input.orderId)),
          againstPlatform(integration, () => source.getRefunds!(input.orderId)),
        ]);
        if (!order || !refunds) {
          throw syncFailure(SyncErrorType.OrderNotFound, `${integration.displayName} has no order with id ${input.orderId} (it may have been deleted): its refund was not booked.`, {
            detail: `getOrder/getRefunds(${input.orderId}) returned null`,
            integrationId: integration.id,
            waitingOn: `order:${input.orderId}`,
          });
        }
        return { order, refunds };
      };
      let { order, refunds } = await read();
      if (input.refundId === CANCELLATION_REFUND_ID) {
        if (!order.cancelledAt) return { found: false, reason: `order ${order.name} is not cancelled in ${integration.displayName} (any more)` };
        // The refunds it counts as given back are fixed the first time, and include every refund claimed for booking.
        let accounting = await accountReversal(db, ref, refunds.map((refund) => refund.id));
        for (let reread = 0; 'missing' in accounting && reread < 3; reread++) {
          ({ order, refunds } = await read());
          accounting = await accountReversal(db, ref, refunds.map((refund) => refund.id));
        }
        if ('missing' in accounting) {
          throw new Error(`${integration.displayName} does not list refund(s) ${accounting.missing.join(', ')} of order ${order.name} yet, which are being booked: the reversal waits for them`);
        }
        const accounted = accounting.accounted;
        // After refunds of an amount alone, its lines' tax is settled as the ledger will round it.
        const reversal = cancellationRefund(order, refunds.filter((refund) => accounted.includes(refund.id)), await connections.ledgerTaxRounding(input.routeId));
        if (toMinor(reversal.total, order.currency) <= 0 || (reversal.lines.length === 0 && !reversal.shipping)) {
          return { found: false, reason: `order ${order.name} was cancelled after its refunds had given everything back` };
        }
        const asOrder = refundAsOrder(order, reversal);
        const booked = await refundInBookingCurrency(connections, input.routeId, order, asOrder);
        return { found: true, order: booked, refundId: reversal.id, ordinal: 'cancellation', createdAt: reversal.createdAt, givenBackCurrency: givenBackCurrency(asOrder, booked) };
      }
      const index = refunds.findIndex((refund) => refund.id === input.refundId);
      if (index < 0) {
        throw syncFailure(SyncErrorType.OrderNotFound, `${integration.displayName} has no refund ${input.refundId} on order ${order.name}: nothing was booked for it.`, {
          detail: `getRefunds(${input.orderId}) lists ${refunds.map((r) => r.id).join(', ') || 'no refunds'}`,
          integrationId: integration.id,
          waitingOn: `refund:${input.refundId}`,
        });
      }
      const refund = refunds[index]!;
      const claim = await claimShopRefund(db, ref, refund.id);
      if (claim.covered) {
        return {
          found: false,
          reason: `the reversal of its cancellation${claim.reversalDocNumber ? ` (${claim.reversalDocNumber})` : ''} gave it back already (${integration.displayName} reported this refund only after the reversal was worked out); booking it too would give the money back twice`,
        };
      }
      // In the currency and at the rate its sale was booked in: a sale in the buyer's currency gets its refund in it too.
      const asOrder = refundAsOrder(order, refund);
      const booked = await refundInBookingCurrency(connections, input.routeId, order, asOrder);
      return { found: true, order: booked, refundId: refund.id, ordinal: index + 1, createdAt: refund.createdAt, givenBackCurrency: givenBackCurrency(asOrder, booked) };
    },

    /** The refund's document number, and its document when the ledger has it; `supported: false` for a ledger that books no refunds yet. */
    async findLedgerRefund(input: {
      routeId: string;
      order: { id: string; name: string };
      refundId: string;
      ordinal: number | 'cancellation';
      sale: { id: string; docNumber: string };
      /** What the shop gave back, in the refund's booking currency (`order.total`); absent in runs started before it was passed. */
      total?: string;
    }): Promise<{ supported: boolean; docNumber: string; ledgerName: string; documentKind: string; existing: LedgerDocumentRef | null }> {
      const { integration, target } = await connections.accountingTarget(input.routeId);
      const docNumber = refundDocumentNumber(input.sale.docNumber, input.ordinal, target.limits.docNumber);
      const documentKind = target.refundDocumentKind ?? 'refund';
      if (!target.findBookedRefund || !target.bookRefund) return { supported: false, docNumber, ledgerName: integration.displayName, documentKind, existing: null };
      const query = { docNumber, order: input.order, refundId: input.refundId, sale: input.sale, ...(input.total !== undefined ? { total: input.total } : {}) };
      const found = await againstPlatform(integration, () => target.findBookedRefund!(query));
      if (found && refundDocumentOwner(found.marker, input.order.id, input.refundId) === 'other') {
        throw refundNumberTaken(integration, input.order.name, found);
      }
      // A document found (a re-run, a lost answer) is "already synced" only at the refund's total, as a booked one is:
      // otherwise the refund waits for the bookkeeper, unless this refund was seen through with it before (edited since).
      if (found && input.total !== undefined && !sameAmount(found.total, input.total) && !(await syncedWith(input.routeId, input.order.id, input.refundId, found))) {
        const what = input.refundId === CANCELLATION_REFUND_ID ? 'the cancellation' : `refund ${input.refundId}`;
        throw storedTotalMismatch(integration, { name: input.order.name, total: input.total }, found, { what });
      }
      return { supported: true, docNumber, ledgerName: integration.displayName, documentKind, existing: found ? plain(found) : null };
    },

    /** The order sync's mapping, for the refund's lines. */
    mapRefundLines: orderActivities.mapOrderLines,
    /** The order sync's customer step: the refund goes to the sale's customer. */
    ensureRefundCustomer: orderActivities.ensureLedgerCustomer,

    /** Books the refund document once, and checks it comes to what the shop gave back. */
    async bookLedgerRefund(input: {
      routeId: string;
      order: CommerceOrder;
      refundId: string;
      docNumber: string;
      lines: MappedOrderLines;
      customerId: string;
      sale: { id: string; docNumber: string };
      date: string;
    }): Promise<LedgerDocumentRef> {
      const { source, integration, target } = await connections.accountingTarget(input.routeId);
      const { order } = input;
      if (!target.bookRefund) throw new Error(`${integration.displayName} books no refunds`);
      const marker = bookedRefundHeader(source.displayName, order.name, order.id, input.refundId);
      const truncator = new FieldTruncator(db, input.routeId, `${order.id}/refund/${input.refundId}`);
      const base = await ledgerSaleOf({ order, docNumber: input.docNumber, lines: input.lines, customerId: input.customerId, marker, truncator, limits: target.limits, date: input.date });
      const refund: LedgerRefund = { ...base, sale: input.sale, refundId: input.refundId };
      const [row] = await db
        .select({ attempts: refundSyncs.attempts })
        .from(refundSyncs)
        .where(and(eq(refundSyncs.routeId, input.routeId), eq(refundSyncs.orderId, order.id), eq(refundSyncs.refundId, input.refundId)));
      // Same key on every retry of one attempt; a new attempt after a park gets a new one (see createLedgerSalesReceipt).
      const idempotencyKey = `refund:${input.routeId}:${order.id}:${input.refundId}:${row?.attempts ?? 0}`;
      // The route's hard stop holds refunds too: nothing is posted until an operator releases it.
      await breaker.assertPosting(input.routeId, `Order ${order.name} (refund ${input.refundId})`);
      const document = await againstPlatform(integration, () => target.bookRefund!(refund, idempotencyKey));
      if (refundDocumentOwner(document.marker, order.id, input.refundId) === 'other') throw refundNumberTaken(integration, order.name, document);
      if (toMinor(document.total, order.currency) !== toMinor(order.total, order.currency)) {
        const [taxSetup, taxCodes, taxRounding] = await Promise.all([
          againstPlatform(integration, () => target.taxSetup()),
          againstPlatform(integration, () => target.listTaxCodes()).catch(() => []),
          connections.ledgerTaxRounding(input.routeId),
        ]);
        throw ledgerTotalMismatch({ order, document, sale: refund, taxSetup, taxCodes, ledgerName: integration.displayName, integrationId: integration.id, taxRounding });
      }
      return plain(document);
    },
  };
}

export type RefundSyncActivities = ReturnType<typeof createRefundSyncActivities>;

function plain(document: LedgerDocumentRef): LedgerDocumentRef {
  return { id: document.id, docNumber: document.docNumber, total: document.total, ...(document.kind ? { kind: document.kind } : {}) };
}

function refundNumberTaken(integration: { id: string; displayName: string }, orderName: string, document: LedgerDocumentRef) {
  return syncFailure(
    SyncErrorType.DocumentNumberTaken,
    `The refund of order ${orderName} was not booked: number ${document.docNumber} is already used in ${integration.displayName} by ${document.kind ?? 'document'} ${document.id}, ` +
      `which ledgerbridge booked for another refund. Give this route a document number prefix no other shop uses; the refund then books by itself.`,
    { detail: `${document.kind ?? 'document'} ${document.id} marker: ${(document.marker ?? '').split('\n', 1)[0]}`, integrationId: integration.id, waitingOn: ledgerRefusalWait('refund-number-taken') },
  );
}
