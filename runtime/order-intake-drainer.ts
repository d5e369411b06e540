import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { recordShopUpdate } from '../db/booked-order-state.js';
import { orderSyncs, refundSyncs, type IntakeOrderReference } from '../db/schema.js';
import { claimOrderEvents, requeueOrderEvent, settleEvent, type ClaimedOrderEvent } from '../db/webhook-intake.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import { integrationRouteIds, shopRoutesOf } from '../api/shop-routes-lookup.js';
import { startOrderSync } from './order-sync-starter.js';
import { gatedAgain, gateRouteOrder, routeSettingsLoader, type RouteSettingsRow } from './route-order-gate.js';
import { startRefundSync } from './refund-sync-starter.js';
import { startEntitySync } from './entity-sync-starter.js';
import { CANCELLATION_REFUND_ID } from '../domain/commerce-refund.js';
import type { RequestsInFlight } from './requests-in-flight.js';
import { startRefundDiscovery } from './refund-discovery-starter.js';
import type { RefundDiscoveryTiming } from '../workflows/refund-discovery.js';

export interface OrderIntakeOptions {
  /** Events claimed at once. Default 100. */
  batchSize?: number;
  /** Workflow starts in flight at once: the pace Temporal is asked to take. Default 8. */
  startsInFlight?: number;
  /** How often the intake is looked at when nothing nudges it (events written by other API processes). Default 1 s. */
  pollIntervalMs?: number;
  /** A claim older than this belongs to a process that died and is taken over. Default 60 s. */
  claimLeaseMs?: number;
  /** First wait before a failed start is tried again; doubles per attempt up to 5 minutes. Default 1 s. */
  retryDelayMs?: number;
  /**
   * Requests that go first (webhook deliveries being answered in this process): while any is in flight, one start
   * at a time instead of startsInFlight, so the drainer's queries and Temporal calls do not hold the database pool
   * and the event loop that an answer Shopify waits for needs.
   */
  yieldTo?: RequestsInFlight;
  /** Re-read waits of the refund discoveries this drainer starts (tests shorten them); the workflow's defaults otherwise. */
  refundDiscovery?: Partial<RefundDiscoveryTiming>;
}

export interface OrderIntakeDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  bookedOrderChanges?: BookedOrderChangeSink;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export const DEFAULT_CLAIM_LEASE_MS = 60_000;
/** A lane held back by requests in flight looks again after this long at most. */
const YIELD_RECHECK_MS = 250;
const MAX_RETRY_DELAY_MS = 5 * 60_000;

/** `skipped`: the route's sync settings keep the order out (placed before its start date, or orders switched off). */
export type RouteResult = 'started' | 'already_synced' | 'changed_after_booking' | 'skipped';

/**
 * Starts the order syncs of recorded order webhooks, after they were acknowledged: in batches, a bounded
 * number of starts at a time, oldest first. The intake is in the database, so what a dying process had not
 * started yet is started by the next one (on start, and whenever a claim goes stale). Starting is
 * idempotent (one workflow per route and order), so an event started twice costs a lookup, never a booking.
 */
export class OrderIntakeDrainer {
  private readonly batchSize: number;
  private readonly startsInFlight: number;
  private readonly pollIntervalMs: number;
  readonly claimLeaseMs: number;
  private readonly retryDelayMs: number;
  private readonly yieldTo: RequestsInFlight | null;
  private readonly refundDiscovery: Partial<RefundDiscoveryTiming> | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private nudged = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly deps: OrderIntakeDeps,
    options: OrderIntakeOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.startsInFlight = options.startsInFlight ?? 8;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.claimLeaseMs = options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.yieldTo = options.yieldTo ?? null;
    this.refundDiscovery = options.refundDiscovery;
  }

  /** Starts draining, beginning with whatever an earlier process left (the replay on start). */
  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Something was just queued: look now rather than at the next poll. */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Finishes the batch in hand; what is left stays queued for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  /** Claims and handles one batch; returns how many events it claimed. */
  async drainBatch(): Promise<number> {
    const events = await claimOrderEvents(this.deps.db, this.batchSize, this.claimLeaseMs);
    if (events.length === 0) return 0;
    const routesByShop = new Map<string, Promise<string[]>>();
    const routesOf = (shop: string) => {
      let routes = routesByShop.get(shop);
      if (!routes) routesByShop.set(shop, (routes = shopRoutesOf(this.deps.db, shop).then((found) => found?.routeIds ?? [])));
      return routes;
    };
    const routesByIntegration = new Map<string, Promise<string[]>>();
    const routesOfIntegration = (integrationId: string) => {
      let routes = routesByIntegration.get(integrationId);
      if (!routes) routesByIntegration.set(integrationId, (routes = integrationRouteIds(this.deps.db, integrationId)));
      return routes;
    };
    const settingsOf = routeSettingsLoader(this.deps.db);
    let next = 0;
    const lane = async (index: number) => {
      while (next < events.length) {
        // The first lane always goes on: held back, never stopped.
        if (index > 0 && this.yieldTo && this.yieldTo.count > 0) {
          await this.yieldTo.whenIdle(YIELD_RECHECK_MS);
          continue;
        }
        const event = events[next++]!;
        // A Shopify event reaches every integration connected to its shop; another platform's names its integration.
        await this.handle(event, () => (event.shop ? routesOf(event.shop) : event.integrationId ? routesOfIntegration(event.integrationId) : Promise.resolve([])), settingsOf);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.startsInFlight, events.length) }, (_, index) => lane(index)));
    return events.length;
  }

  private async loop(): Promise<void> {
    let idleWaits = 0;
    while (!this.stopped) {
      this.nudged = false;
      let claimed = 0;
      try {
        claimed = await this.drainBatch();
        idleWaits = 0;
      } catch (error) {
        // The database itself failed: wait longer each time, never spin.
        idleWaits++;
        this.deps.log.error({ err: error }, 'order intake: could not claim queued webhooks');
      }
      if (this.stopped) break;
      if (claimed === this.batchSize) continue;
      if (!this.nudged) await this.sleep(idleWaits ? Math.min(this.pollIntervalMs * 2 ** idleWaits, 30_000) : this.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async handle(event: ClaimedOrderEvent, routesOf: () => Promise<string[]>, settingsOf: (routeId: string) => Promise<RouteSettingsRow | undefined>): Promise<void> {
    const { db, log } = this.deps;
    try {
      const routeIds = await routesOf();
      if (routeIds.length === 0) {
        // The route was removed after the event was accepted.
        await settleEvent(db, event.eventId, 'ignored');
        log.warn({ eventId: event.eventId, shop: event.shop, orderId: event.orderId }, 'order intake: no sync route reads from this shop any more');
        return;
      }
      const reference = event.orderReference ?? { orderName: null, currentTotal: null, cancelledAt: null, updatedAt: null };
      if (reference.discoverRefunds && event.integrationId) {
        // The event says only "refunded": the order's refund discovery reads it (one per integration and order, for every route).
        const integrationId = event.integrationId;
        await this.deps.temporal.withDeadline(Date.now() + this.claimLeaseMs / 2, () =>
          startRefundDiscovery(this.deps.temporal, this.deps.taskQueue, { integrationId, orderId: event.orderId, ...(this.refundDiscovery ? { timing: this.refundDiscovery } : {}) }),
        );
        await settleEvent(db, event.eventId, 'started');
        log.info({ eventId: event.eventId, topic: event.topic, orderId: event.orderId, integrationId }, 'order intake: refund discovery started');
        return;
      }
      // Half the lease: a start that hangs gives its claim up before another process may take it over.
      const results = await this.deps.temporal.withDeadline(Date.now() + this.claimLeaseMs / 2, () =>
        Promise.all(routeIds.map((routeId) => this.startOrJudge(routeId, event.orderId, reference, settingsOf))),
      );
      const outcome: RouteResult = results.includes('started')
        ? 'started'
        : results.includes('changed_after_booking')
          ? 'changed_after_booking'
          : results.every((result) => result === 'skipped')
            ? 'skipped'
            : 'already_synced';
      await settleEvent(db, event.eventId, outcome);
      log.info({ eventId: event.eventId, topic: event.topic, orderId: event.orderId, routeIds, outcome }, 'order intake: syncs started');
    } catch (error) {
      const retryInMs = Math.min(this.retryDelayMs * 2 ** Math.max(0, event.attempts - 1), MAX_RETRY_DELAY_MS);
      log.warn({ eventId: event.eventId, orderId: event.orderId, attempts: event.attempts, retryInMs, err: error }, 'order intake: start failed, will try again');
      await requeueOrderEvent(db, event.eventId, (error as Error).message ?? String(error), retryInMs).catch((requeueError: unknown) =>
        // The claim goes stale and is taken over: still not lost.
        log.error({ eventId: event.eventId, err: requeueError }, 'order intake: could not requeue a failed start'),
      );
    }
  }

  /**
   * Starts (or joins) the order's sync on one route; for an order already booked, judges the shop's update instead.
   * A refund starts its own booking; a cancellation starts the booked sale's reversal (which waits for the sale, and
   * books nothing if the order's sync skips the cancelled order).
   */
  private async startOrJudge(routeId: string, orderId: string, reference: IntakeOrderReference, settingsOf: (routeId: string) => Promise<RouteSettingsRow | undefined>): Promise<RouteResult> {
    const { db, log } = this.deps;
    if (reference.entity) {
      // A customer or product event: `orderId` is that record's id. A route with the entity switched off starts nothing.
      if ((await settingsOf(routeId))?.syncEntities[reference.entity] === false) return 'skipped';
      await startEntitySync(this.deps.temporal, db, this.deps.taskQueue, { routeId, entity: reference.entity, sourceId: orderId });
      return 'started';
    }
    if (reference.refundId) return this.startRefund(routeId, orderId, reference.refundId, reference.orderName);
    const update = { ...reference, orderId };
    const [row] = await db
      .select({ status: orderSyncs.status, lastErrorCode: orderSyncs.lastErrorCode })
      .from(orderSyncs)
      .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)));
    // A first sync follows the route's settings (start date, orders on or off); the order sync itself never reads them.
    const settings = gatedAgain(row) ? await settingsOf(routeId) : undefined;
    if (settings && (await gateRouteOrder(db, settings, { id: orderId, name: reference.orderName, createdAt: reference.createdAt })) !== 'sync') return 'skipped';
    if (reference.cancelledAt && !(await this.reversalDone(routeId, orderId))) {
      await startRefundSync(this.deps.temporal, db, this.deps.taskQueue, { routeId, orderId, refundId: CANCELLATION_REFUND_ID, orderName: reference.orderName });
    }
    if (row?.status === 'synced') {
      const change = await recordShopUpdate(db, { routeId, orderId }, update);
      if (change) {
        log.warn({ routeId, orderId, change }, 'booked order changed in the shop: the ledger needs a person');
        await this.deps.bookedOrderChanges?.bookedOrderChanged({ routeId, orderId, change });
      }
      return change ? 'changed_after_booking' : 'already_synced';
    }
    await startOrderSync(this.deps.temporal, db, this.deps.taskQueue, { routeId, orderId, orderName: reference.orderName });
    // The sync may have fetched the order before this update: its booking judges it.
    await recordShopUpdate(db, { routeId, orderId }, update);
    return 'started';
  }

  /** Every later update of a cancelled order says cancelled again: once its reversal is settled, nothing to start. */
  private reversalDone(routeId: string, orderId: string): Promise<boolean> {
    return this.refundSettled(routeId, orderId, CANCELLATION_REFUND_ID);
  }

  /** Whether the refund's (or the reversal's) booking has ended: booked, or skipped with the order. */
  private async refundSettled(routeId: string, orderId: string, refundId: string): Promise<boolean> {
    const [row] = await this.deps.db
      .select({ status: refundSyncs.status })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, routeId), eq(refundSyncs.orderId, orderId), eq(refundSyncs.refundId, refundId)));
    return row?.status === 'synced' || row?.status === 'skipped';
  }

  /**
   * A refund: its booking waits for the order's sale, so the order's sync is started too unless it is done. A refund
   * already booked (or skipped) is left alone, as a booked order is: a late copy under another event id (the webhook
   * after a poll found the refund, or the other way round) must not set its row back to "syncing", nor ask the store
   * again.
   */
  private async startRefund(routeId: string, orderId: string, refundId: string, orderName: string | null): Promise<RouteResult> {
    const { db } = this.deps;
    if (await this.refundSettled(routeId, orderId, refundId)) return 'already_synced';
    const [row] = await db
      .select({ status: orderSyncs.status })
      .from(orderSyncs)
      .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)));
    if (row?.status !== 'synced' && row?.status !== 'skipped') await startOrderSync(this.deps.temporal, db, this.deps.taskQueue, { routeId, orderId, orderName });
    await startRefundSync(this.deps.temporal, db, this.deps.taskQueue, { routeId, orderId, refundId, orderName });
    return 'started';
  }
}
