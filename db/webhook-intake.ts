import { and, asc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from './database.js';
import { webhookEvents, type IntakeOrderReference } from './schema.js';

/**
 * The webhook event table as a durable intake. Every write here is one statement, so an event is either
 * recorded with everything needed to act on it, or not recorded at all (and Shopify's retry brings it back).
 */

export interface WebhookEventIdentity {
  /**
   * Unique per event within its platform's scope: Shopify's X-Shopify-Event-Id (one event reaches every integration
   * of the shop); for a platform whose webhook address names the integration (WooCommerce), prefixed with the
   * platform and integration, since its ids are only unique within one store.
   */
  eventId: string;
  topic: string;
  /** The shop that sent it; null for an event reconciliation polling wrote (the integration says whose it is). */
  shop: string | null;
  webhookId: string | null;
  integrationId: string | null;
}

/** A `processing` claim older than this many milliseconds belongs to a process that died. */
const staleClaim = (leaseMs: number): SQL =>
  sql`${webhookEvents.outcome} = 'processing' and coalesce(${webhookEvents.claimedAt}, ${webhookEvents.receivedAt}) < now() - ${leaseMs} * interval '1 millisecond'`;

export type QueuedOrderEvent = WebhookEventIdentity & { orderId: string; orderReference: IntakeOrderReference };
export type QueueOutcome = 'queued' | 'requeued' | 'duplicate';

/** NOTIFY channel on which the database announces a queued order event (db/migrations/0038_intake_notify.sql). */
export const INTAKE_QUEUED_CHANNEL = 'ledgerbridge_intake';

/**
 * Records an order event for the drainer: the acknowledgement's one durable write. A redelivery of an event
 * still waiting (queued, or claimed by a process that died) puts it back at the head of the intake and is
 * accepted again; a redelivery of an event whose syncs were started, or that is being started now, is not.
 */
export async function queueOrderEvent(db: Database, event: QueuedOrderEvent, claimLeaseMs: number): Promise<QueueOutcome> {
  return (await queueOrderEvents(db, [event], claimLeaseMs))[0]!;
}

/**
 * queueOrderEvent for several events in one statement (one commit), outcomes in the same order. The event ids
 * must be distinct: PostgreSQL refuses to update one row twice in a statement.
 */
export async function queueOrderEvents(db: Database, events: QueuedOrderEvent[], claimLeaseMs: number): Promise<QueueOutcome[]> {
  const rows = await db
    .insert(webhookEvents)
    .values(events.map((event) => ({ ...event, outcome: 'queued' })))
    .onConflictDoUpdate({
      target: webhookEvents.eventId,
      set: {
        outcome: 'queued',
        claimedAt: null,
        notBefore: null,
        shop: sql`excluded.shop`,
        orderId: sql`excluded.order_id`,
        orderReference: sql`excluded.order_reference`,
      },
      setWhere: or(eq(webhookEvents.outcome, 'queued'), staleClaim(claimLeaseMs)),
    })
    // xmax is 0 on a freshly inserted row version and set on an updated one.
    .returning({ eventId: webhookEvents.eventId, inserted: sql<boolean>`(xmax = 0)` });
  // Rows the conflict left alone are not returned: those events are duplicates.
  const written = new Map(rows.map((row) => [row.eventId, row.inserted]));
  return events.map((event) => {
    const inserted = written.get(event.eventId);
    return inserted === undefined ? 'duplicate' : inserted ? 'queued' : 'requeued';
  });
}

/** Records an event that needs nothing more (a shop no route reads from, a topic we do not handle). */
export async function recordSettledEvent(db: Database, event: WebhookEventIdentity, outcome: string): Promise<boolean> {
  const [row] = await db
    .insert(webhookEvents)
    .values({ ...event, outcome })
    .onConflictDoNothing()
    .returning({ eventId: webhookEvents.eventId });
  return !!row;
}

/**
 * Claims an event handled while Shopify waits (app/uninstalled): true when this delivery should act on it —
 * a new event, or one whose earlier claim went stale (the process handling it died).
 */
export async function claimEvent(db: Database, event: WebhookEventIdentity, claimLeaseMs: number): Promise<boolean> {
  const [row] = await db
    .insert(webhookEvents)
    .values({ ...event, outcome: 'processing', claimedAt: sql`now()` })
    .onConflictDoUpdate({ target: webhookEvents.eventId, set: { claimedAt: sql`now()`, webhookId: sql`excluded.webhook_id` }, setWhere: staleClaim(claimLeaseMs) })
    .returning({ eventId: webhookEvents.eventId });
  return !!row;
}

/** The event was acted on: a redelivery from now on is a duplicate. */
export async function settleEvent(db: Database, eventId: string, outcome: string): Promise<void> {
  await db.update(webhookEvents).set({ outcome, claimedAt: null, lastError: null }).where(eq(webhookEvents.eventId, eventId));
}

/** Forgets a claimed event, so that Shopify's retry of it is handled rather than taken for a duplicate. */
export async function forgetEvent(db: Database, eventId: string): Promise<void> {
  await db.delete(webhookEvents).where(eq(webhookEvents.eventId, eventId));
}

export interface ClaimedOrderEvent {
  eventId: string;
  topic: string;
  shop: string | null;
  integrationId: string | null;
  orderId: string;
  orderReference: IntakeOrderReference | null;
  attempts: number;
}

/**
 * Claims up to `limit` order events whose syncs are still to start, oldest first: queued ones that are due,
 * and ones whose claim went stale. Rows another process is claiming at this moment are skipped, not waited for.
 */
export async function claimOrderEvents(db: Database, limit: number, claimLeaseMs: number): Promise<ClaimedOrderEvent[]> {
  const due = db
    .select({ eventId: webhookEvents.eventId })
    .from(webhookEvents)
    .where(
      and(
        isNotNull(webhookEvents.orderId),
        or(and(eq(webhookEvents.outcome, 'queued'), or(isNull(webhookEvents.notBefore), lte(webhookEvents.notBefore, sql`now()`))), staleClaim(claimLeaseMs)),
      ),
    )
    .orderBy(asc(webhookEvents.receivedAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(webhookEvents)
    .set({ outcome: 'processing', claimedAt: sql`now()`, attempts: sql`${webhookEvents.attempts} + 1` })
    .where(inArray(webhookEvents.eventId, due))
    .returning({
      eventId: webhookEvents.eventId,
      topic: webhookEvents.topic,
      shop: webhookEvents.shop,
      integrationId: webhookEvents.integrationId,
      orderId: webhookEvents.orderId,
      orderReference: webhookEvents.orderReference,
      attempts: webhookEvents.attempts,
    });
  return claimed.map((row) => ({ ...row, orderId: row.orderId! }));
}

/** A start that failed: the event goes back to the intake and is tried again after `retryInMs`. */
export async function requeueOrderEvent(db: Database, eventId: string, error: string, retryInMs: number): Promise<void> {
  await db
    .update(webhookEvents)
    .set({ outcome: 'queued', claimedAt: null, lastError: error.slice(0, 1000), notBefore: sql`now() + ${retryInMs} * interval '1 millisecond'` })
    .where(and(eq(webhookEvents.eventId, eventId), eq(webhookEvents.outcome, 'processing')));
}

export interface IntakeDepth {
  queued: number;
  processing: number;
  /** Age of the oldest event whose syncs are not started yet, in seconds; null when none waits. */
  oldestWaitingSeconds: number | null;
  /** Waiting events whose last start failed, with why. */
  retrying: number;
  lastError: string | null;
}

/** How much of the intake is still to start: what an operator (and the bench) watches drain to zero. */
export async function intakeDepth(db: Database): Promise<IntakeDepth> {
  const [row] = await db
    .select({
      queued: sql<number>`count(*) filter (where ${webhookEvents.outcome} = 'queued')`.mapWith(Number),
      processing: sql<number>`count(*) filter (where ${webhookEvents.outcome} = 'processing')`.mapWith(Number),
      oldest: sql<number | null>`extract(epoch from now() - min(${webhookEvents.receivedAt}))`.mapWith((v) => (v === null ? null : Number(v))),
      retrying: sql<number>`count(*) filter (where ${webhookEvents.lastError} is not null)`.mapWith(Number),
      lastError: sql<string | null>`max(${webhookEvents.lastError})`,
    })
    .from(webhookEvents)
    .where(and(isNotNull(webhookEvents.orderId), inArray(webhookEvents.outcome, ['queued', 'processing'])));
  return {
    queued: row?.queued ?? 0,
    processing: row?.processing ?? 0,
    oldestWaitingSeconds: row?.oldest ?? null,
    retrying: row?.retrying ?? 0,
    lastError: row?.lastError ?? null,
  };
}
