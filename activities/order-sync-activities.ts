import { and, eq, sql } from 'drizzle-orm';
import type { LedgerDocumentRef, LedgerSalesReceipt } from '../domain/accounting-target.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { bookedOrderHeader } from '../domain/ledger-document-ownership.js';
import { mapOrderLines, type MappedOrderLines, type MappingProblem } from '../domain/order-mapping.js';
import { documentNumberPrefixWait, SyncErrorType, type ParkReason } from '../domain/sync-error-types.js';
import type { Database } from '../db/database.js';
import { orderSyncs, skuMappings, syncRoutes, taxMappings } from '../db/schema.js';
import { againstPlatform, syncFailure } from './sync-failures.js';
import type { RouteConnections } from './route-connections.js';
import { FieldTruncator } from './field-truncator.js';
import { recordBooking } from '../db/booked-order-state.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import { assertDocumentOfOrder, findOrderDocument, type LedgerDocumentLookup } from './ledger-document-lookup.js';
import { customerNameCandidates } from './ledger-customer-names.js';
import { bookUnderFallbackCustomer } from './fallback-customer.js';

export type OrderSyncRowStatus = 'pending' | 'syncing' | 'synced' | 'skipped' | 'failed' | 'waiting';

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
}

/** Activities of orderSyncWorkflow, built over their dependencies so tests and production wire the same code. */
export function createOrderSyncActivities({ db, connections, connectionProblems, bookedOrderChanges }: OrderSyncActivityDeps) {
  return {
    /**
     * Writes the operator's row. For an order parked on a SKU or tax mapping or a document number prefix,
     * answers whether that fix exists by now: one saved before this row said Waiting was not signalled to it.
     */
    async recordOrderSyncState(record: OrderSyncRecord): Promise<{ resolvedMeanwhile: boolean }> {
      const now = new Date();
      const values = {
        status: record.status,
        waitingFor: record.waitingFor ?? null,
        waitingOn: record.waitingOn ?? null,
        lastErrorCode: record.error?.code ?? null,
        lastErrorMessage: record.error?.message ?? null,
        updatedAt: now,
        ...(record.orderName ? { orderName: record.orderName } : {}),
        ...(record.document ? { ledgerDocumentId: record.document.id, ledgerDocNumber: record.document.docNumber, syncedAt: now } : {}),
      };
      await db
        .insert(orderSyncs)
        .values({ routeId: record.routeId, orderId: record.orderId, workflowId: record.workflowId, attempts: record.newAttempt ? 1 : 0, ...values })
        .onConflictDoUpdate({
          target: [orderSyncs.routeId, orderSyncs.orderId],
          set: { ...values, workflowId: record.workflowId, ...(record.newAttempt ? { attempts: sql`${orderSyncs.attempts} + 1` } : {}) },
        });
      return { resolvedMeanwhile: record.status === 'waiting' && (await fixMadeSince(db, record.routeId, record.waitingOn ?? null)) };
    },

    async fetchOrder(input: { routeId: string; orderId: string }): Promise<CommerceOrder> {
      const { integration, source } = await connections.commerceSource(input.routeId);
      const order = await againstPlatform(integration.id, () => source.getOrder(input.orderId));
      if (!order) {
        throw syncFailure(
          SyncErrorType.OrderNotFound,
          `${integration.displayName} has no order with id ${input.orderId} (it may have been deleted). Nothing was written to the ledger.`,
          { detail: `getOrder(${input.orderId}) returned null`, integrationId: integration.id, waitingOn: `order:${input.orderId}` },
        );
      }
      return order;
    },

    /**
     * The ledger's existing document for this order, found by its deterministic number; parks the order
     * when that number is another order's. `orderId` is absent in runs started before it was passed.
     */
    async findLedgerDocument(input: {
      routeId: string;
      orderName: string;
      orderId?: string;
    }): Promise<{ docNumber: string; ledgerName: string; existing: LedgerDocumentLookup['existing'] }> {
      const ledger = await connections.accountingTarget(input.routeId);
      const { docNumber, existing } = await findOrderDocument(db, ledger, { id: input.orderId ?? null, name: input.orderName });
      return { docNumber, ledgerName: ledger.integration.displayName, existing };
    },

    async mapOrderLines(input: { routeId: string; order: CommerceOrder }): Promise<MappedOrderLines> {
      const { integration, target } = await connections.accountingTarget(input.routeId);
      const orderSkus = [...new Set(input.order.lines.flatMap((line) => (line.sku ? [line.sku] : [])))];
      const [items, taxCodes, skus, taxes] = await Promise.all([
        // Only the order's SKUs: listing a large catalogue for every order would spend the ledger's rate limit.
        orderSkus.length > 0 ? againstPlatform(integration.id, () => target.findItemsBySku(orderSkus)) : [],
        againstPlatform(integration.id, () => target.listTaxCodes()),
        db.select().from(skuMappings).where(eq(skuMappings.routeId, input.routeId)),
        db.select().from(taxMappings).where(eq(taxMappings.routeId, input.routeId)),
      ]);
      const rules = {
        items,
        taxCodes,
        skuMappings: new Map(skus.map((m) => [m.sku, m.ledgerItemId])),
        taxMappings: new Map(taxes.map((m) => [m.taxKey, m.ledgerTaxCodeId])),
      };
      let mapped = mapOrderLines(input.order, rules);
      if ('problems' in mapped && mapped.problems.some((p) => p.kind === 'sku')) {
        // Near-match suggestions need the whole catalogue; only a failing order pays for it.
        mapped = mapOrderLines(input.order, { ...rules, items: await againstPlatform(integration.id, () => target.listItems()) });
      }
      if ('problems' in mapped) throw mappingFailure(input.order, integration.displayName, integration.id, mapped.problems);
      return mapped;
    },

    async ensureLedgerCustomer(input: { routeId: string; order: CommerceOrder }): Promise<{ customerId: string }> {
      const { integration, target, route } = await connections.accountingTarget(input.routeId);
      const truncator = new FieldTruncator(db, input.routeId, input.order.id);
      const { order } = input;
      if (order.customerDataWithheld) {
        return bookUnderFallbackCustomer({ db, routeId: input.routeId, order, route, target, integrationId: integration.id, truncator });
      }
      const email = order.customer?.email ?? order.email;
      const names = customerNameCandidates(order);
      const first = await truncator.fit('customer.displayName', names[0]!, target.limits.customerDisplayName);
      const found = await againstPlatform(integration.id, () => target.findCustomer({ email, displayName: first }));
      if (found) return { customerId: found.id };
      const givenName = order.customer?.firstName ? await truncator.fit('customer.givenName', order.customer.firstName, target.limits.personName) : null;
      const familyName = order.customer?.lastName ? await truncator.fit('customer.familyName', order.customer.lastName, target.limits.personName) : null;
      for (const candidate of names) {
        const displayName = await truncator.fit('customer.displayName', candidate, target.limits.customerDisplayName);
        try {
          const created = await againstPlatform(integration.id, () =>
            target.createCustomer(
              { displayName, givenName, familyName, email: email && email.length <= target.limits.email ? email : null, currency: order.currency },
              `cust:${input.routeId}:${order.customer?.id ?? order.id}:${displayName}`,
            ),
          );
          return { customerId: created.id };
        } catch (error) {
          // The ledger wants display names unique across customers, vendors and employees: try the next form.
          if (!isDuplicateName(error)) throw error;
        }
      }
      throw syncFailure(SyncErrorType.LedgerRejected, `${integration.displayName} already uses every name we tried for the customer of order ${order.name} (${names.join('; ')}). Rename the existing contact and retry.`, {
        detail: 'duplicate display name on every candidate',
        integrationId: integration.id,
        waitingOn: 'ledger:6240',
      });
    },

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
      // First line of the note: how a later run (or another route) tells whose document this is.
      const header = bookedOrderHeader(source.displayName, order.name, order.id);
      const privateNote = await truncator.fit('privateNote', order.note ? `${header}\nCustomer note: ${order.note}` : header, target.limits.privateNote);
      const customerMemo = order.note ? await truncator.fit('customerMemo', order.note, target.limits.customerMemo) : null;
      const lines = [];
      for (const [index, line] of input.lines.lines.entries()) {
        lines.push({ ...line, description: await truncator.fit(`lines[${index}].description`, line.description, target.limits.lineDescription) });
      }
      const receipt: LedgerSalesReceipt = {
        docNumber: input.docNumber,
        txnDate: order.createdAt.slice(0, 10),
        currency: order.currency,
        customerId: input.customerId,
        taxesIncluded: order.taxesIncluded,
        lines,
        discount: input.lines.discount,
        shipping: input.lines.shipping,
        totalTax: order.totalTax,
        total: order.total,
        privateNote,
        customerMemo,
      };
      // Business identity only: the same order on the same route gets the same key on every run and replay.
      const idempotencyKey = `receipt:${input.routeId}:${order.id}`;
      const document = await againstPlatform(integration.id, () => target.createSalesReceipt(receipt, idempotencyKey));
      // On a duplicate number the ledger hands back the document that holds it: it must be this order's.
      const booked = await assertDocumentOfOrder(db, route, integration, order, document);
      // What later shop updates are compared with (runs fetched before currentTotal existed fall back to total).
      const ref = { routeId: input.routeId, orderId: order.id };
      const change = await recordBooking(db, ref, {
        orderName: order.name,
        currentTotal: order.currentTotal ?? order.total,
        updatedAt: order.updatedAt,
        docNumber: booked.docNumber,
        ledgerName: integration.displayName,
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

async function fixMadeSince(db: Database, routeId: string, waitingOn: string | null): Promise<boolean> {
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

function isDuplicateName(error: unknown): boolean {
  const cause = error as { type?: string; details?: { detail?: string }[] };
  return cause?.type === SyncErrorType.LedgerRejected && /code 6240/.test(cause.details?.[0]?.detail ?? '');
}

/** One failure for all of an order's mapping problems, worded for the bookkeeper who fixes them. */
function mappingFailure(order: CommerceOrder, ledgerName: string, integrationId: string, problems: MappingProblem[]) {
  const skuProblems = problems.filter((p) => p.kind === 'sku');
  const sentences = problems.map((problem) => {
    if (problem.kind === 'tax') {
      const title = problem.key.replace(/@[\d.]+/g, '');
      return `the tax "${title}" at ${problem.ratePercent} % has no tax code in ${ledgerName}: map tax "${problem.key}" to a tax code`;
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
