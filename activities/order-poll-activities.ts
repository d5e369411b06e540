import { and, asc, eq, inArray } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { advancePollCursor, pollCursorOf, recordPollWithoutProgress } from '../db/order-poll-cursor.js';
import { refundDiscoveryReference } from '../db/refund-intake-events.js';
import { integrations, orderSyncs, refundSyncs, syncRoutes } from '../db/schema.js';
import { queueOrderEvents, type QueuedOrderEvent } from '../db/webhook-intake.js';
import type { CommerceSource, UpdatedOrderRef } from '../domain/commerce-source.js';
import { knownOrderNow, refundedBeyondListed, refundIntakeEvent, refundsOf, type OrderNow } from './store-order-reads.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../runtime/order-intake-drainer.js';

/** How far before the cursor each poll looks again: a store's clock (and its search index) may lag ours. */
export const DEFAULT_POLL_OVERLAP_MS = 2 * 60_000;

export interface OrderPollDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  overlapMs?: number;
}

export interface OrderPollPageInput {
  integrationId: string;
  /** The listing's start, fixed by its first page (a page cursor only means something within one listing). */
  since?: string;
  pageCursor?: string;
}

export type OrderPollPageResult =
  | { status: 'not_polled'; reason: string }
  | {
      status: 'polled';
      since: string;
      /** Orders the store listed on this page. */
      listed: number;
      /** Of those, the ones written to the intake now (the rest were known at that change, or handed over before). */
      handedOver: number;
      nextPageCursor?: string;
    };

type IntegrationRow = typeof integrations.$inferSelect;

/** The activity of orderPollWorkflow: one page of "orders changed since the cursor", handed to the order intake. */
export function createOrderPollActivities(deps: OrderPollDeps) {
  const overlapMs = deps.overlapMs ?? DEFAULT_POLL_OVERLAP_MS;

  return {
    /**
     * Lists one page and writes every order on it that the intake has not seen at that change, then moves the
     * cursor up to the page's newest change. Nothing is moved when anything fails: the next poll lists it again.
     */
    async pollOrdersPage(input: OrderPollPageInput): Promise<OrderPollPageResult> {
      const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, input.integrationId));
      const skip = row ? whyNotPolled(deps, row) : 'the integration was deleted';
      if (skip || !row) return { status: 'not_polled', reason: skip ?? 'the integration was deleted' };
      const platform = deps.platforms.commerce(row.platform);
      const source = platform.createSource({ integrationId: row.id, displayName: row.displayName, account: row.account, tokens: deps.credentials.tokenProvider(row.id, platform) });
      if (!source.listOrdersUpdatedSince) return { status: 'not_polled', reason: `${platform.displayName} cannot list orders by when they changed` };

      const cursor = (await pollCursorOf(deps.db, row.id)) ?? (await firstPollStart(deps.db, row));
      const since = input.since ?? new Date(cursor.getTime() - overlapMs).toISOString();
      try {
        const page = await source.listOrdersUpdatedSince(since, input.pageCursor);
        const handedOver = await handOver(deps.db, row, source, page.orders);
        const newest = page.orders.reduce<Date | null>((max, order) => (max && max >= new Date(order.updatedAt) ? max : new Date(order.updatedAt)), null);
        if (newest) await advancePollCursor(deps.db, row.id, newest, handedOver);
        else await recordPollWithoutProgress(deps.db, row.id, cursor, null);
        return { status: 'polled', since, listed: page.orders.length, handedOver, ...(page.nextPageCursor ? { nextPageCursor: page.nextPageCursor } : {}) };
      } catch (error) {
        await recordPollWithoutProgress(deps.db, row.id, cursor, (error as Error).message ?? String(error)).catch(() => {});
        throw error;
      }
    },
  };
}

export type OrderPollActivities = ReturnType<typeof createOrderPollActivities>;

/** The first poll looks back at most this far: older history is a full re-sync's work, not polling's. */
export const FIRST_POLL_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Where an integration's first poll starts: not before the store was connected here, nor before a route read from it
 * (a webhook from then would have been ignored too), and at most FIRST_POLL_LOOKBACK_MS back (a store connected
 * before polling existed is not walked through its whole history).
 */
async function firstPollStart(db: Database, row: IntegrationRow): Promise<Date> {
  const [firstRoute] = await db
    .select({ createdAt: syncRoutes.createdAt })
    .from(syncRoutes)
    .where(eq(syncRoutes.sourceIntegrationId, row.id))
    .orderBy(asc(syncRoutes.createdAt))
    .limit(1);
  const now = Date.now();
  return new Date(Math.max(row.createdAt.getTime(), firstRoute?.createdAt.getTime() ?? now, now - FIRST_POLL_LOOKBACK_MS));
}

function whyNotPolled(deps: OrderPollDeps, row: IntegrationRow): string | null {
  if (deps.platforms.roleOf(row.platform) !== 'commerce') return `${row.displayName} is not a store`;
  if (!row.credentials) return `${row.displayName} is not connected`;
  if (row.status === 'disconnected') return `${row.displayName} is paused`;
  // Its health workflow already says so, and checks again; a poll would only be refused.
  if (row.status === 'reconnect_required') return `${row.displayName} needs to be reconnected`;
  return null;
}

/**
 * Writes to the order intake (db/webhook-intake.ts) what a webhook would have: the drainer then starts or joins the
 * same order sync, or judges a change to a booked order, exactly as for a webhook. An order every route already
 * knows at this change (its webhook came) is left alone; one the intake holds already is a duplicate there. An
 * order showing money given back has its refunds read too: each refund not yet known on every route is written
 * under the same event id a webhook would have used (db/refund-intake-events.ts), so it is booked once.
 */
async function handOver(db: Database, integration: Pick<IntegrationRow, 'id' | 'platform'>, source: CommerceSource, orders: UpdatedOrderRef[]): Promise<number> {
  if (orders.length === 0) return 0;
  const integrationId = integration.id;
  const routeIds = (await db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, integrationId))).map((r) => r.id);
  if (routeIds.length === 0) return 0;
  const orderIds = orders.map((o) => o.id);
  const known = await db
    .select({ routeId: orderSyncs.routeId, orderId: orderSyncs.orderId, shopUpdatedAt: orderSyncs.shopUpdatedAt })
    .from(orderSyncs)
    .where(and(inArray(orderSyncs.routeId, routeIds), inArray(orderSyncs.orderId, orderIds)));
  const knownRefunds = await db
    .select({ routeId: refundSyncs.routeId, orderId: refundSyncs.orderId, refundId: refundSyncs.refundId })
    .from(refundSyncs)
    .where(and(inArray(refundSyncs.routeId, routeIds), inArray(refundSyncs.orderId, orderIds)));
  const events: QueuedOrderEvent[] = [];
  for (const order of orders) {
    const rows = known.filter((k) => k.orderId === order.id);
    const changedAt = new Date(order.updatedAt);
    if (rows.length === routeIds.length && rows.every((r) => r.shopUpdatedAt && r.shopUpdatedAt >= changedAt)) continue;
    const read = rows.length > 0 ? await knownOrderNow(source, order.id, order.refunded === true) : await newOrderNow(source, order);
    if (!read) continue; // gone from the store since it was listed
    // A store that may list a refund only after the order shows it: a refund not listed yet is no change to report,
    // so the order's refund discovery re-reads it until the listing explains it (workflows/refund-discovery.ts).
    const reference = source.refundsListedLate && refundedBeyondListed(read) > 0 ? refundDiscoveryReference(read.reference.orderName) : read.reference;
    // One event per order and change: a poll that lists it again (the overlap, a retried page) is a duplicate.
    events.push({ eventId: `poll:${integrationId}:${order.id}:${order.updatedAt}`, topic: 'orders/polled', shop: null, webhookId: null, integrationId, orderId: order.id, orderReference: reference });
    for (const refund of read.refunds) {
      if (knownRefunds.filter((k) => k.orderId === order.id && k.refundId === refund.id).length === routeIds.length) continue;
      events.push(refundIntakeEvent(integration, order.id, read.reference.orderName, refund.id, 'refunds/polled'));
    }
  }
  if (events.length === 0) return 0;
  const outcomes = await queueOrderEvents(db, events, DEFAULT_CLAIM_LEASE_MS);
  // Requeued or duplicate: the intake had it from an earlier poll (or the webhook) already.
  return outcomes.filter((outcome) => outcome === 'queued').length;
}

/** A new order needs nothing read (its sync reads it), but its refunds when the listing shows any: they book after its sale. */
async function newOrderNow(source: CommerceSource, order: UpdatedOrderRef): Promise<OrderNow | null> {
  const refunds = order.refunded ? await refundsOf(source, order.id) : [];
  if (!refunds) return null;
  return { order: null, reference: { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: order.updatedAt, createdAt: order.createdAt ?? null }, refunds };
}
