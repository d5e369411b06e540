import type { Client } from '@temporalio/client';
import { and, asc, count, eq, gt, inArray, like, or, type Column, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { orderSyncs, syncRoutes } from '../db/schema.js';
import { LEDGER_REFUSAL_WAIT_PREFIX } from '../domain/sync-error-types.js';
import { mappingSavedSignal, reconnectedSignal, retrySignal } from '../workflows/order-sync.js';
import type { ParkedEntityCursor } from './parked-other-syncs.js';

export type ResumeSignal = 'reconnected' | 'retry' | 'mappingSaved';

export interface ResumeSelection {
  routeId?: string;
  /** Orders of every route that reads from or writes to this integration. */
  integrationId?: string;
  /** Only orders waiting on this ("sku:ABC-1", "tax:VAT@20", an integration id). */
  waitingOn?: string;
  /** Only orders waiting for this kind of help. */
  waitingFor?: 'reconnect' | 'fix' | 'retry';
  /**
   * With `waitingOn`: also the orders whose document the ledger refused ("ledger:<code>", e.g. an item or tax
   * code made inactive). Such an order maps every line again from a fresh fetch when resumed, so a mapping
   * saved meanwhile may be its fix; the ledger's refusal does not say which mapping it needs.
   */
  orRefusedByLedger?: boolean;
  /**
   * A reconnect's: after the orders, also every other kind of parked sync the selection covers — customer and product
   * syncs, refunds, payouts (runtime/parked-other-syncs.ts) — told to try again: a reconnect fixes what they wait on as
   * much as an order's. (The name is older than refunds and payouts joining; runs recorded with it wake them too.)
   */
  includeEntitySyncs?: boolean;
  /** After the orders, also the refunds the selection covers: they map lines and book documents like orders, so wait on the same mappings and options. */
  includeRefundSyncs?: boolean;
  /** After the orders, also the payouts the selection covers. */
  includePayoutSyncs?: boolean;
}

export interface ResumeReport {
  resumed: number;
  /** Orders whose workflow had ended or could not be signalled, with the reason. */
  failed: { orderId: string; workflowId: string; reason: string }[];
}

export interface ParkedOrder {
  routeId: string;
  orderId: string;
  workflowId: string;
}

/** After this order (keyset paging, so orders resumed meanwhile do not shift pages). */
export type OrderCursor = { routeId: string; orderId: string };

/**
 * Where a batch starts: after this order, or (selections that wake other syncs, once the orders are done) after this
 * customer or product sync (`entities: null` for the first), this refund, this payout (their key values; null for the
 * first); null before the first order.
 */
export type ParkedOrderCursor = OrderCursor | { entities: ParkedEntityCursor } | { refunds: string[] | null } | { payouts: string[] | null } | null;

/** The columns a parked sync row has, whichever table it is in (order_syncs, entity_syncs). */
export interface ParkedRowColumns {
  routeId: Column;
  status: Column;
  waitingOn: Column;
  waitingFor: Column;
}

/** What selects a selection's parked rows of one table; null when no route matches (nothing is selected). */
export async function selectionConditions(db: Database, selection: ResumeSelection, table: ParkedRowColumns): Promise<SQL[] | null> {
  const conditions: SQL[] = [inArray(table.status, ['waiting', 'failed', 'halted'])];
  if (selection.routeId) conditions.push(eq(table.routeId, selection.routeId));
  if (selection.waitingOn) {
    const exact = eq(table.waitingOn, selection.waitingOn);
    conditions.push(selection.orRefusedByLedger ? or(exact, like(table.waitingOn, `${LEDGER_REFUSAL_WAIT_PREFIX}%`))! : exact);
  }
  if (selection.waitingFor) conditions.push(eq(table.waitingFor, selection.waitingFor));
  if (selection.integrationId) {
    const routes = await db
      .select({ id: syncRoutes.id })
      .from(syncRoutes)
      .where(or(eq(syncRoutes.sourceIntegrationId, selection.integrationId), eq(syncRoutes.targetIntegrationId, selection.integrationId)));
    if (routes.length === 0) return null;
    conditions.push(inArray(table.routeId, routes.map((r) => r.id)));
  }
  return conditions;
}

const conditionsFor = (db: Database, selection: ResumeSelection) => selectionConditions(db, selection, orderSyncs);

/** How many parked orders the selection covers now. */
export async function countParkedOrders(db: Database, selection: ResumeSelection): Promise<number> {
  const conditions = await conditionsFor(db, selection);
  if (!conditions) return 0;
  const [row] = await db.select({ n: count() }).from(orderSyncs).where(and(...conditions));
  return row?.n ?? 0;
}

/** The next `limit` parked orders of the selection after `cursor`, in a stable order. */
export async function listParkedOrders(db: Database, selection: ResumeSelection, cursor: OrderCursor | null, limit: number): Promise<ParkedOrder[]> {
  const conditions = await conditionsFor(db, selection);
  if (!conditions) return [];
  if (cursor) {
    conditions.push(or(gt(orderSyncs.routeId, cursor.routeId), and(eq(orderSyncs.routeId, cursor.routeId), gt(orderSyncs.orderId, cursor.orderId)))!);
  }
  return db
    .select({ routeId: orderSyncs.routeId, orderId: orderSyncs.orderId, workflowId: orderSyncs.workflowId })
    .from(orderSyncs)
    .where(and(...conditions))
    .orderBy(asc(orderSyncs.routeId), asc(orderSyncs.orderId))
    .limit(limit);
}

/**
 * Signals these parked orders to go on, at most `perSecond` a second, so that a backlog after a long outage
 * does not turn into a 429 storm at the platforms. `onEach` runs after every order (heartbeats).
 */
export async function signalParkedOrders(
  client: Client,
  orders: ParkedOrder[],
  signal: ResumeSignal,
  waitingOn: string | undefined,
  perSecond: number,
  onEach: () => void = () => {},
): Promise<ResumeReport> {
  const report = await signalAtRate(orders, perSecond, onEach, async (order) => {
    const handle = client.workflow.getHandle(order.workflowId);
    if (signal === 'mappingSaved') await handle.signal(mappingSavedSignal, { waitingOn: waitingOn ?? '' });
    else await handle.signal(signal === 'reconnected' ? reconnectedSignal : retrySignal);
  });
  return { resumed: report.resumed, failed: report.failed.map(({ item, reason }) => ({ orderId: item.orderId, workflowId: item.workflowId, reason })) };
}

/**
 * Sends each parked sync its signal, at most `perSecond` a second (each sync's share of the rate, also when it was
 * the last). A sync that cannot be signalled (ended, never started) is reported, not thrown.
 */
export async function signalAtRate<T>(
  items: T[],
  perSecond: number,
  onEach: () => void,
  send: (item: T) => Promise<void>,
): Promise<{ resumed: number; failed: { item: T; reason: string }[] }> {
  const report: { resumed: number; failed: { item: T; reason: string }[] } = { resumed: 0, failed: [] };
  const gapMs = 1000 / Math.max(perSecond, 0.001);
  const startedAt = Date.now();
  for (const [index, item] of items.entries()) {
    const due = startedAt + index * gapMs;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    try {
      await send(item);
      report.resumed++;
    } catch (error) {
      report.failed.push({ item, reason: (error as Error).message });
    }
    onEach();
  }
  // The batch lasts as long as its syncs' share of the rate, so back-to-back batches (a replay's) keep the rate too.
  const end = startedAt + items.length * gapMs;
  if (items.length > 0 && end > Date.now()) await new Promise((resolve) => setTimeout(resolve, end - Date.now()));
  return report;
}

/** Every parked order of the selection, signalled in one go (small selections; large ones use parkedOrderResumeWorkflow). */
export async function resumeParkedOrders(
  client: Client,
  db: Database,
  selection: ResumeSelection,
  signal: ResumeSignal,
  perSecond: number,
): Promise<ResumeReport> {
  const parked = await listParkedOrders(db, selection, null, 1_000_000);
  return signalParkedOrders(client, parked, signal, selection.waitingOn, perSecond);
}
