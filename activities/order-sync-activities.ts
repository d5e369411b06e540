import { and, eq, sql } from 'drizzle-orm';
import type { LedgerDocumentRef } from '../domain/accounting-target.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { sameAmount } from '../domain/money.js';
import { bookedOrderHeader } from '../domain/ledger-document-ownership.js';
import { mapOrderLines, type MappedOrderLines, type MappingProblem } from '../domain/order-mapping.js';
import { NO_TAX_KEY, taxTitleOfKey } from '../domain/tax-key.js';
import { documentNumberPrefixWait, ROUTE_RELEASE_WAIT, SyncErrorType, type ParkReason } from '../domain/sync-error-types.js';
import { activeRouteHalt } from '../db/route-halts.js';
import type { Database } from '../db/database.js';
import { orderSyncs, skuMappings, syncRoutes, taxMappings } from '../db/schema.js';
import { againstPlatform, syncFailure } from './sync-failures.js';
import type { RouteConnections } from './route-connections.js';
import { FieldTruncator } from './field-truncator.js';
import { recordBooking } from '../db/booked-order-state.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import { assertDocumentOfOrder, findOrderDocument, type LedgerDocumentLookup } from './ledger-document-lookup.js';
import { customerNameCandidates } from './ledger-customer-names.js';
import { customerCacheKeys, LedgerListCache } from './ledger-list-cache.js';
import { ledgerTotalMismatch, storedTotalMismatch, totalsAgree } from './ledger-total-check.js';
import { bookkeepingWrite } from './database-failures.js';
import { bookUnderFallbackCustomer } from './fallback-customer.js';
import { orderInBookingCurrency } from './booking-currency.js';
import { findOrCreateLedgerCustomer } from './ledger-customer-creation.js';
import { ledgerSaleOf } from './ledger-sale.js';
import { syncRowValues } from './sync-row-values.js';
import { duplicateHalt, duplicatesOfOrder, RouteBreaker } from './route-breaker.js';

export type OrderSyncRowStatus = 'pending' | 'syncing' | 'synced' | 'skipped' | 'failed' | 'waiting' | 'halted';

export interface OrderSyncRecord {
  routeId: string;
  orderId: string;
  workflowId: string;
  status: OrderSyncRowStatus;
  orderName?: string | null;
  waitingFor?: ParkReason | null;
  waitingOn?: string | null;
  error?: { code: string; message: string } | null;
  document?: { id: string; docNumber: string } | null;
  /** True when this record starts a new attempt at the whole sync. */
  newAttempt?: boolean;
}

export interface ConnectionProblem {
  integrationId: string;
  errorType: string;
  message: string;
  detail: string;
  routeId: string;
  orderId: string;
  orderName: string | null;
  /**
   * The grant (integrations.grant_generation) the failing call ran under; absent in reports from before it was
   * carried. The health workflow ignores a report of a grant replaced since (a reconnect came first).
   */
  grantGeneration?: number | null;
}

/** Where a sync reports that a connection broke: the integration's health (issue: integration health). */
export interface ConnectionProblemSink {
  connectionFailed(problem: ConnectionProblem): Promise<void>;
}

export interface OrderSyncActivityDeps {
  db: Database;
  connections: RouteConnections;
  connectionProblems: ConnectionProblemSink;
  bookedOrderChanges?: BookedOrderChangeSink;
  /** What earlier orders learnt of each ledger's lists; one per worker process. */
  listCache?: LedgerListCache;
  /** The routes' hard stop: checked before every ledger write, tripped by a duplicate the lookup finds. */
  routeBreaker?: RouteBreaker;
}

/** Activities of orderSyncWorkflow, built over their dependencies so tests and production wire the same code. */
export function createOrderSyncActivities({ db, connections, connectionProblems, bookedOrderChanges, listCache = new LedgerListCache(), routeBreaker = new RouteBreaker(db) }: OrderSyncActivityDeps) {
  return {
    /**
     * Writes the operator's row. For an order parked on a SKU or tax mapping or a document number prefix,
     * answers whether that fix exists by now: one saved before this row said Waiting was not signalled to it.
     */
    async recordOrderSyncState(record: OrderSyncRecord): Promise<{ resolvedMeanwhile: boolean }> {
      const now = new Date();
      // Parked by the route's hard stop: the row says "halted" (the workflow only knows it waits for a fix).
      const halted = record.status === 'waiting' && record.error?.code === SyncErrorType.RouteHalted;
      const values = syncRowValues(halted ? { ...record, status: 'halted' } : record, now);
      return bookkeepingWrite(`record the state of order ${record.orderName ?? record.orderId}`, async () => {
        await db
          .insert(orderSyncs)
          .values({ routeId: record.routeId, orderId: record.orderId, workflowId: record.workflowId, attempts: record.newAttempt ? 1 : 0, ...values })
          .onConflictDoUpdate({
            target: [orderSyncs.routeId, orderSyncs.orderId],
            set: { ...values, workflowId: record.workflowId, ...(record.newAttempt ? { attempts: sql`${orderSyncs.attempts} + 1` } : {}) },
          });
        return { resolvedMeanwhile: record.status === 'waiting' && (await fixMadeSince(db, record.routeId, record.waitingOn ?? null)) };
      });
    },

    /** The order as its route books it: in the shop's amounts or the buyer's, as the route and ledger allow. */
    async fetchOrder(input: { routeId: string; orderId: string }): Promise<CommerceOrder> {
      const { integration, source } = await connections.commerceSource(input.routeId);
      const order = await againstPlatform(integration, () => source.getOrder(input.orderId));
      if (!order) {
        throw syncFailure(
          SyncErrorType.OrderNotFound,
          `${integration.displayName} has no order with id ${input.orderId} (it may have been deleted). Nothing was written to the ledger.`,
          { detail: `getOrder(${input.orderId}) returned null`, integrationId: integration.id, waitingOn: `order:${input.orderId}` },
        );
      }
      return orderInBookingCurrency(connections, input.routeId, order);
    },

    /**
     * The ledger's existing document for this order, found by its deterministic number; parks the order
     * when that number is another order's. `orderId` is absent in runs started before it was passed.
     */
    async findLedgerDocument(input: {
      routeId: string;
      orderName: string;
      orderId?: string;
      /** What the shop charged; absent in runs started before it was passed. */
      orderTotal?: string;
    }): Promise<{ docNumber: string; ledgerName: string; existing: LedgerDocumentLookup['existing'] }> {
      const ledger = await connections.accountingTarget(input.routeId);
      const { docNumber, existing, duplicates } = await findOrderDocument(db, ledger, { id: input.orderId ?? null, name: input.orderName });
      if (existing && duplicates && input.orderId) {
        // The order is in the ledger more than once: stop the route before anything else is posted twice.
        await routeBreaker.trip(input.routeId, duplicateHalt(ledger.integration.displayName, input.orderName, input.orderId, existing, duplicates));
      }
      // A document we booked but never saw through (a lost answer, a crash, a park on its total) is only
      // "already synced" once its total is the shop's: otherwise the order waits, as the booking itself would.
      if (existing && !existing.bookedElsewhere && input.orderId && input.orderTotal !== undefined && !sameAmount(existing.total, input.orderTotal)) {
        const [row] = await db
          .select({ status: orderSyncs.status })
          .from(orderSyncs)
          .where(and(eq(orderSyncs.routeId, input.routeId), eq(orderSyncs.orderId, input.orderId)));
        if (row?.status !== 'synced') throw storedTotalMismatch(ledger.integration, { name: input.orderName, total: input.orderTotal }, existing);
      }
      return { docNumber, ledgerName: ledger.integration.displayName, existing };
    },

    async mapOrderLines(input: { routeId: string; order: CommerceOrder }): Promise<MappedOrderLines> {
      const { integration, target } = await connections.accountingTarget(input.routeId);
      const cached = listCache.of(integration);
      const orderSkus = [...new Set(input.order.lines.flatMap((line) => (line.sku ? [line.sku] : [])))];
      const unknownSkus = cached.unknownSkus(orderSkus);
      const [found, taxSetup, skus, taxes] = await Promise.all([
        // Only the order's SKUs the cache cannot answer: listing a large catalogue for every order would spend the ledger's rate limit.
        unknownSkus.length > 0 ? againstPlatform(integration, () => target.findItemsBySku(unknownSkus)) : [],
        againstPlatform(integration, () => target.taxSetup()),
        db.select().from(skuMappings).where(eq(skuMappings.routeId, input.routeId)),
        db.select().from(taxMappings).where(eq(taxMappings.routeId, input.routeId)),
      ]);
      cached.rememberItems(unknownSkus, found);
      const items = [...cached.itemsFor(orderSkus), ...found.filter((item) => !cached.itemsFor(orderSkus).some((c) => c.id === item.id))];
      const refreshTaxCodes = async () => (cached.taxCodes = await againstPlatform(integration, () => target.listTaxCodes()));
      // A company whose ledger works tax out itself (or keeps none) needs no tax codes from us.
      const needsCodes = taxSetup.mode === 'per-line' || taxSetup.mode === 'per-sale';
      // A mapping to a tax code the cached list does not have: the list is older than the code.
      const taxCodes = !needsCodes
        ? []
        : cached.taxCodes && taxes.every((m) => cached.taxCodes!.some((code) => code.id === m.ledgerTaxCodeId))
          ? cached.taxCodes
          : await refreshTaxCodes();
      const rules = {
        items,
        taxCodes,
        taxSetup,
        skuMappings: new Map(skus.map((m) => [m.sku, m.ledgerItemId])),
        taxMappings: new Map(taxes.map((m) => [m.taxKey, m.ledgerTaxCodeId])),
      };
      let mapped = mapOrderLines(input.order, rules);
      if ('problems' in mapped && mapped.problems.some((p) => p.kind === 'tax') && taxCodes === cached.taxCodes && unknownSkus.length === 0) {
        // A tax with no code in a cached list: look at the ledger's list of today before asking a person.
        mapped = mapOrderLines(input.order, { ...rules, taxCodes: await refreshTaxCodes() });
      }
      if ('problems' in mapped && mapped.problems.some((p) => p.kind === 'sku')) {
        // Near-match suggestions need the whole catalogue; only a failing order pays for it.
        mapped = mapOrderLines(input.order, { ...rules, items: await againstPlatform(integration, () => target.listItems()) });
      }
      if ('problems' in mapped) throw mappingFailure(input.order, integration.displayName, integration.id, mapped.problems);
      return mapped;
    },

    async ensureLedgerCustomer(input: { routeId: string; order: CommerceOrder }): Promise<{ customerId: string }> {
      const { integration, target, route } = await connections.accountingTarget(input.routeId);
      const truncator = new FieldTruncator(db, input.routeId, input.order.id);
      const { order } = input;
      if (order.customerDataWithheld) {
        return bookUnderFallbackCustomer({ db, routeId: input.routeId, order, route, target, integration, truncator });
      }
      const email = order.customer?.email ?? order.email;
      // A guest with neither name nor email books under the route's fallback customer when it names one.
      const names = customerNameCandidates(order, route.fallbackCustomerName);
      const first = await truncator.fit('customer.displayName', names[0]!, target.limits.customerDisplayName);
      // A repeat customer costs no lookup; the entry goes when the ledger refuses a reference (createLedgerSalesReceipt).
      const known = listCache.of(integration).customers;
      const keys = customerCacheKeys(email, first, order.currency);
      const remembered = keys.map((key) => known.get(key)).find((id) => id !== undefined);
      if (remembered) return { customerId: remembered };
      const remember = (id: string) => {
        for (const key of keys) known.set(key, id);
        return { customerId: id };
      };
      const customer = await findOrCreateLedgerCustomer({ target, integration }, truncator, {
        names,
        email,
        givenName: order.customer?.firstName ?? null,
        familyName: order.customer?.lastName ?? null,
        currency: order.currency,
        keyBase: `cust:${input.routeId}:${order.customer?.id ?? order.id}`,
        whose: `the customer of order ${order.name}`,
      });
      return remember(customer.id);
    },

    /**
     * Books the order's sale in the route's ledger (whatever document that ledger makes of it). The name is the
     * activity type recorded in the histories of every order booked so far: it stays, or they could not replay.
     */
    async createLedgerSalesReceipt(input: {
      routeId: string;
      order: CommerceOrder;
      docNumber: string;
      lines: MappedOrderLines;
      customerId: string;
    }): Promise<LedgerDocumentRef> {
      const { route, source, integration, target } = await connections.accountingTarget(input.routeId);
      const { order } = input;
      const truncator = new FieldTruncator(db, input.routeId, order.id);
      // Our marker, first line of the note: how a later run (or another route) tells whose document this is.
      const marker = bookedOrderHeader(source.displayName, order.name, order.id);
      const sale = await ledgerSaleOf({ order, docNumber: input.docNumber, lines: input.lines, customerId: input.customerId, marker, truncator, limits: target.limits });
      // Business identity: the same order on the same route, in the same sync attempt, gets the same key on
      // every activity retry and replay (the ledger adds a hash of the payload). An attempt after a park
      // (the operator fixed something in the ledger) gets a new key, so a ledger that replays faults for a
      // repeated key does not answer it with the old fault; the lookup before each create prevents doubles.
      const booking = await bookingStateOf(db, input.routeId, order.id);
      const idempotencyKey = `receipt:${input.routeId}:${order.id}:${booking.attempt}`;
      // Parked on its total, the order's document is in the ledger already: look at it again, never book a second.
      const existing = booking.parkedDocNumber ? (await findOrderDocument(db, { route, integration, target }, { id: order.id, name: order.name })).existing : null;
      // The hard stop: a route halted (a duplicate found by an audit or another order) posts nothing until released.
      if (!existing) await routeBreaker.assertPosting(input.routeId, `Order ${order.name}`);
      const document =
        existing ??
        (await againstPlatform(integration, () => target.bookSale(sale, idempotencyKey)).catch((error: unknown) => {
          // The ledger refused a reference (an item, tax code or customer made inactive or deleted): what we remember of its lists may be stale.
          if ((error as { type?: string }).type === SyncErrorType.LedgerRejected) listCache.forget(integration);
          throw error;
        }));
      const doubled = duplicatesOfOrder(document, order.id);
      if (doubled.length > 0) await routeBreaker.trip(input.routeId, duplicateHalt(integration.displayName, order.name, order.id, document, doubled));
      // On a duplicate number the ledger hands back the document that holds it: it must be this order's.
      const booked = await assertDocumentOfOrder(db, route, integration, order, document);
      if (!totalsAgree(booked, order)) {
        // Kept on the row so a retry finds this document, whatever the route's numbering says by then.
        await db
          .update(orderSyncs)
          .set({ ledgerDocumentId: booked.id, ledgerDocNumber: booked.docNumber })
          .where(and(eq(orderSyncs.routeId, input.routeId), eq(orderSyncs.orderId, order.id)));
        const [taxSetup, taxCodes, taxRounding] = await Promise.all([
          againstPlatform(integration, () => target.taxSetup()),
          againstPlatform(integration, () => target.listTaxCodes()).catch(() => []),
          connections.ledgerTaxRounding(input.routeId),
        ]);
        throw ledgerTotalMismatch({ order, document: booked, sale, taxSetup, taxCodes, ledgerName: integration.displayName, integrationId: integration.id, taxRounding });
      }
      // What later shop updates are compared with, in the shop's currency (runs fetched before currentTotal existed
      // fall back to total).
      const ref = { routeId: input.routeId, orderId: order.id };
      const change = await recordBooking(db, ref, {
        orderName: order.name,
        currentTotal: order.shopCurrentTotal ?? order.currentTotal ?? order.total,
        saleTotal: order.shopTotal ?? order.total,
        updatedAt: order.updatedAt,
        docNumber: booked.docNumber,
        ledgerName: integration.displayName,
        documentKind: booked.kind ?? target.documentKind,
        reversalKind: target.refundDocumentKind ?? null,
      });
      if (change) await bookedOrderChanges?.bookedOrderChanged({ ...ref, change });
      return booked;
    },

    async reportConnectionProblem(problem: ConnectionProblem): Promise<void> {
      await connectionProblems.connectionFailed(problem);
    },

    /** Orders of a route waiting on one thing (a SKU, a tax key, an integration): used to resume them. */
    async listWaitingOrders(input: { routeId: string; waitingOn: string }): Promise<{ orderId: string; workflowId: string }[]> {
      return db
        .select({ orderId: orderSyncs.orderId, workflowId: orderSyncs.workflowId })
        .from(orderSyncs)
        .where(and(eq(orderSyncs.routeId, input.routeId), eq(orderSyncs.status, 'waiting'), eq(orderSyncs.waitingOn, input.waitingOn)));
    },
  };
}

export type OrderSyncActivities = ReturnType<typeof createOrderSyncActivities>;

/**
 * From the order's row, in one read: its sync attempt (1 for the first run, +1 after each park; part of its write
 * keys), and the number its receipt was booked under when a booking stopped on its total.
 */
async function bookingStateOf(db: Database, routeId: string, orderId: string): Promise<{ attempt: number; parkedDocNumber: string | null }> {
  const [row] = await db
    .select({ attempts: orderSyncs.attempts, docNumber: orderSyncs.ledgerDocNumber, status: orderSyncs.status })
    .from(orderSyncs)
    .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)));
  return { attempt: row?.attempts ?? 0, parkedDocNumber: row && row.status !== 'synced' && row.docNumber ? row.docNumber : null };
}

async function fixMadeSince(db: Database, routeId: string, waitingOn: string | null): Promise<boolean> {
  // Released between the booking's check and this row saying "halted": the release's resumption missed it.
  if (waitingOn === ROUTE_RELEASE_WAIT) return (await activeRouteHalt(db, routeId)) === null;
  if (waitingOn?.startsWith('sku:')) {
    const sku = waitingOn.slice(4);
    return (await db.select().from(skuMappings).where(and(eq(skuMappings.routeId, routeId), eq(skuMappings.sku, sku)))).length > 0;
  }
  if (waitingOn?.startsWith(documentNumberPrefixWait(''))) {
    // Parked under one prefix; a different one set since means a different number to try.
    const [route] = await db.select({ prefix: syncRoutes.documentNumberPrefix }).from(syncRoutes).where(eq(syncRoutes.id, routeId));
    return !!route && waitingOn !== documentNumberPrefixWait(route.prefix);
  }
  if (waitingOn?.startsWith('tax:')) {
    const key = waitingOn.slice(4);
    return (await db.select().from(taxMappings).where(and(eq(taxMappings.routeId, routeId), eq(taxMappings.taxKey, key)))).length > 0;
  }
  return false;
}

/** One failure for all of an order's mapping problems, worded for the bookkeeper who fixes them. */
function mappingFailure(order: CommerceOrder, ledgerName: string, integrationId: string, problems: MappingProblem[]) {
  const skuProblems = problems.filter((p) => p.kind === 'sku');
  const sentences = problems.map((problem) => {
    if (problem.kind === 'tax') {
      const title = taxTitleOfKey(problem.key);
      const hint = problem.candidates?.length ? ` (codes at ${problem.ratePercent} %: ${problem.candidates.map((c) => `"${c.name}"`).join(', ')})` : '';
      if (problem.key === NO_TAX_KEY) {
        return `lines the shop charged no tax on need a tax code in ${ledgerName} (zero-rated or exempt): map tax "${problem.key}" to one${hint}`;
      }
      return `the tax "${title}" at ${problem.ratePercent} % has no tax code in ${ledgerName}: map tax "${problem.key}" to a tax code${hint}`;
    }
    const label = problem.key.startsWith('title:') ? `the line "${problem.lineTitle}" has no SKU and` : `SKU "${problem.key}"`;
    const hint = problem.candidates.length
      ? ` Did you mean ${problem.candidates.map((c) => `"${c.sku ?? c.name}" (item ${c.name})`).join(' or ')}?`
      : '';
    return `${label} matches no item in ${ledgerName}: map it to an item or add it to an item in ${ledgerName}.${hint}`;
  });
  const first = skuProblems[0] ?? problems[0]!;
  const type = skuProblems.length > 0 ? SyncErrorType.SkuNotFound : SyncErrorType.TaxCodeUnmapped;
  return syncFailure(type, `Order ${order.name} is waiting: ${sentences.join(' Also, ')} It will sync by itself once mapped.`, {
    detail: problems.map((p) => `${p.kind}:${p.key}`).join(', '),
    integrationId,
    waitingOn: `${first.kind}:${first.key}`,
    suggestions: skuProblems.map((p) => ({
      sku: p.key,
      candidates: p.kind === 'sku' ? p.candidates.map((c) => ({ itemId: c.id, name: c.name, sku: c.sku })) : [],
    })),
  });
}
