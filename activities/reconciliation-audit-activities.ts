import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { CreatedOrderSummary } from '../domain/commerce-source.js';
import { markedOrder } from '../domain/ledger-document-ownership.js';
import { emptyAuditSummary, reconcile, type AuditReport, type AuditSyncRow } from '../domain/reconciliation-report.js';
import type { Database } from '../db/database.js';
import { orderSyncs, reconciliationAudits } from '../db/schema.js';
import { createPayoutAuditor } from './payout-audit.js';
import type { RouteBreaker } from './route-breaker.js';
import type { RouteConnections } from './route-connections.js';
import { againstPlatform } from './sync-failures.js';

export interface ReconciliationAuditActivityDeps {
  db: Database;
  connections: RouteConnections;
  routeBreaker: RouteBreaker;
}

export interface AuditRouteInput {
  routeId: string;
  auditId: string;
  workflowId: string;
  from: string;
  to: string;
  trigger: 'on_demand' | 'daily';
}

/** What the workflow needs of a finished audit; the report itself stays in the database (it can be large). */
export interface AuditRouteOutcome {
  summary: AuditReport['summary'];
  /** Duplicate lines, for the hard stop: each with the document kept and the one to void. */
  duplicates: { orderId: string; orderName: string; payoutId?: string; kept: { id: string; docNumber: string }; extra: { id: string; docNumber: string } }[];
  ledgerName: string;
  /** Why the route could not be audited (a ledger that cannot list its documents by date); the row says so too. */
  notAudited?: string;
}

const STORE_PAGES_AT_MOST = 1_000;
const ROWS_PER_QUERY = 500;

export function createReconciliationAuditActivities(deps: ReconciliationAuditActivityDeps) {
  const { db, connections } = deps;
  const payoutAuditor = createPayoutAuditor({ db, connections });
  return {
    /** Reads both sides of the range, compares them, and stores the report on the audit's row. */
    async auditRoute(input: AuditRouteInput): Promise<AuditRouteOutcome> {
      await db
        .insert(reconciliationAudits)
        .values({ id: input.auditId, routeId: input.routeId, dateFrom: input.from, dateTo: input.to, trigger: input.trigger, workflowId: input.workflowId, status: 'running' })
        .onConflictDoUpdate({ target: reconciliationAudits.id, set: { status: 'running', error: null } });
      const { integration: ledger, source: shop, target } = await connections.accountingTarget(input.routeId);
      const { source } = await connections.commerceSource(input.routeId);
      if (!target.listSalesBetween) {
        const message = `${ledger.displayName} cannot list its documents by date in this version of ledgerbridge, so it cannot be audited.`;
        await finish(db, input.auditId, { status: 'failed', error: message });
        // Not a failure of the run: the daily schedule of such a route ends quietly, every day, until the ledger can.
        return { summary: emptyAuditSummary(), duplicates: [], ledgerName: ledger.displayName, notAudited: message };
      }
      const range = { from: input.from, to: input.to };
      const ledgerDocuments = await againstPlatform(ledger, () => target.listSalesBetween!(range));
      const storeOrders = source.listOrdersCreatedBetween ? await listStoreOrders(shop.id, source.listOrdersCreatedBetween.bind(source), input.from, input.to) : null;
      const orderIds = new Set<string>([...(storeOrders ?? []).map((o) => o.id), ...ledgerDocuments.flatMap((d) => markedOrder(d.marker)?.orderId ?? [])]);
      const syncRows = storeOrders ? await rowsOf(db, input.routeId, [...orderIds]) : await rowsFirstSeenIn(db, input.routeId, input.from, input.to);
      const payouts = await payoutAuditor.comparePayouts(input.routeId, range);
      const report = reconcile({
        routeId: input.routeId,
        range,
        sourceName: shop.displayName,
        ledgerName: ledger.displayName,
        storeOrders,
        ledgerDocuments,
        syncRows,
        payouts,
      });
      await finish(db, input.auditId, { status: 'done', summary: report.summary, report });
      return {
        summary: report.summary,
        ledgerName: ledger.displayName,
        duplicates: [
          ...report.lines
            .filter((line) => line.kind === 'duplicate_document')
            .map((line) => ({ orderId: line.orderId!, orderName: line.orderName ?? line.orderId!, kept: pick(line.documents[0]!), extra: pick(line.documents[1]!) })),
          // A payout deposited twice is a duplicate document too: the bank account shows money it never received.
          ...report.lines
            .filter((line) => line.kind === 'deposit_without_payout' && line.payoutId && line.documents.length === 2)
            .map((line) => ({ orderId: line.payoutId!, orderName: line.payoutId!, payoutId: line.payoutId!, kept: pick(line.documents[0]!), extra: pick(line.documents[1]!) })),
        ],
      };
    },

    /** The hard stop after an audit found duplicates: the route stops posting, its recipients get one email. */
    async haltRouteForDuplicates(input: { routeId: string; auditId: string; ledgerName: string; duplicates: AuditRouteOutcome['duplicates'] }): Promise<void> {
      const sentences = input.duplicates.map((d) => `${d.payoutId ? `payout ${d.payoutId}` : `order ${d.orderName}`}: void document ${d.extra.id}, a duplicate of ${d.kept.id} (number ${d.kept.docNumber})`);
      const payouts = input.duplicates.filter((d) => d.payoutId).length;
      const noun = payouts === 0 ? 'order' : payouts === input.duplicates.length ? 'payout' : 'booking';
      await deps.routeBreaker.trip(input.routeId, {
        reason: 'duplicate_document',
        message: `The reconciliation audit ${input.auditId} found ${input.duplicates.length === 1 ? `a${noun === 'order' ? 'n' : ''} ${noun}` : `${input.duplicates.length} ${noun}s`} booked twice in ${input.ledgerName}: ${sentences.join('; ')}. Then release the route.`,
        detail: { auditId: input.auditId, duplicates: input.duplicates, foundBy: 'audit' },
      });
    },

    /** The audit could not finish: its row says why (the workflow's failure carries the detail). */
    async recordAuditFailure(input: { auditId: string; message: string }): Promise<void> {
      await finish(db, input.auditId, { status: 'failed', error: input.message });
    },
  };
}

export type ReconciliationAuditActivities = ReturnType<typeof createReconciliationAuditActivities>;

function pick(document: { id: string; docNumber: string }): { id: string; docNumber: string } {
  return { id: document.id, docNumber: document.docNumber };
}

async function finish(db: Database, auditId: string, values: { status: 'done' | 'failed'; summary?: Record<string, number>; report?: AuditReport; error?: string }): Promise<void> {
  await db
    .update(reconciliationAudits)
    .set({ status: values.status, summary: values.summary ?? null, report: values.report ?? null, error: values.error ?? null, finishedAt: new Date() })
    .where(eq(reconciliationAudits.id, auditId));
}

/** The shop's orders created on the range's days (UTC, as the ledger's document date is the order's UTC day). */
async function listStoreOrders(
  integrationId: string,
  list: (from: string, to: string, pageCursor?: string) => Promise<{ orders: CreatedOrderSummary[]; nextPageCursor?: string }>,
  from: string,
  to: string,
): Promise<CreatedOrderSummary[]> {
  const orders: CreatedOrderSummary[] = [];
  const start = `${from}T00:00:00.000Z`;
  const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString();
  let cursor: string | undefined;
  for (let page = 0; page < STORE_PAGES_AT_MOST; page++) {
    const answer = await againstPlatform(integrationId, () => list(start, end, cursor));
    orders.push(...answer.orders);
    if (!answer.nextPageCursor) return orders;
    cursor = answer.nextPageCursor;
  }
  throw new Error(`the shop listed more than ${STORE_PAGES_AT_MOST} pages of orders from ${from} to ${to}: audit a shorter range`);
}

async function rowsOf(db: Database, routeId: string, orderIds: string[]): Promise<AuditSyncRow[]> {
  const rows: AuditSyncRow[] = [];
  for (let start = 0; start < orderIds.length; start += ROWS_PER_QUERY) {
    const chunk = orderIds.slice(start, start + ROWS_PER_QUERY);
    rows.push(...(await db.select(rowColumns).from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), inArray(orderSyncs.orderId, chunk)))));
  }
  return rows;
}

/** A shop that cannot list orders by date: the orders ledgerbridge first saw on the range's days stand in for its side. */
async function rowsFirstSeenIn(db: Database, routeId: string, from: string, to: string): Promise<AuditSyncRow[]> {
  const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000);
  return db
    .select(rowColumns)
    .from(orderSyncs)
    .where(and(eq(orderSyncs.routeId, routeId), gte(orderSyncs.firstSeenAt, new Date(`${from}T00:00:00.000Z`)), lt(orderSyncs.firstSeenAt, end)));
}

const rowColumns = {
  orderId: orderSyncs.orderId,
  orderName: orderSyncs.orderName,
  status: orderSyncs.status,
  lastErrorMessage: orderSyncs.lastErrorMessage,
  ledgerDocumentId: orderSyncs.ledgerDocumentId,
};
