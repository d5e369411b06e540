import { NativeConnection, Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createParkedOrderResumeActivities } from '../activities/parked-order-resume-activities.js';
import type { Database } from '../db/database.js';
import { CredentialStore, type SecretBox } from '../db/credential-store.js';
import { createOrderSyncActivities, type ConnectionProblemSink } from '../activities/order-sync-activities.js';
import { createOrderPollActivities } from '../activities/order-poll-activities.js';
import { createRefundDiscoveryActivities } from '../activities/refund-discovery-activities.js';
import { createFullResyncActivities } from '../activities/full-resync-activities.js';
import { ResyncEntityKinds, type ResyncEntityKind } from '../activities/resync-entity-kinds.js';
import { ordersResyncKind } from '../activities/resync-orders.js';
import { recordsResyncKind } from '../activities/resync-entities.js';
import { createRefundSyncActivities } from '../activities/refund-sync-activities.js';
import { createEntitySyncActivities } from '../activities/entity-sync-activities.js';
import { createPayoutSyncActivities } from '../activities/payout-sync-activities.js';
import { createPayoutPollActivities } from '../activities/payout-poll-activities.js';
import { heartbeating } from '../activities/activity-heartbeat.js';
import { setThrottlePatience } from '../activities/sync-failures.js';
import { RouteConnections } from '../activities/route-connections.js';
import { LedgerListCache } from '../activities/ledger-list-cache.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import { workflowsPath } from './workflows-path.js';
import { observeOrderOutcomes } from './order-outcome-observer.js';
import { notifyWaitingOnOrder } from './sale-booked-notifier.js';
import { RouteBreaker, type RouteHaltSink } from '../activities/route-breaker.js';
import { createReconciliationAuditActivities } from '../activities/reconciliation-audit-activities.js';

export interface SyncWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  /** The payload codec (encryption) every client of the same deployment uses (security/payload-codec.ts). */
  dataConverter: DataConverter;
  db: Database;
  platforms: PlatformRegistry;
  secrets: SecretBox;
  connectionProblems: ConnectionProblemSink;
  /** Who hears of a change the shop made to an order while it was being booked (emails). */
  bookedOrderChanges?: BookedOrderChangeSink;
  /** Who is told, once, that a route stopped posting (the hard stop's email). */
  routeHalts?: RouteHaltSink;
  /** Lets the worker run parkedOrderResumeWorkflow's activities (they signal order syncs). */
  client?: Client;
  /** Entity kinds a full re-sync can walk besides orders (customers, products): workflows/full-resync.ts knows them by name. */
  resyncKinds?: ResyncEntityKind[];
  /** Extra activities (integration health) registered on the same worker. */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** Wraps the worker's activities as registered (tests hold one at a gate to order two events deterministically). */
  decorateActivities?: (activities: Record<string, (...args: never[]) => Promise<unknown>>) => Record<string, (...args: never[]) => Promise<unknown>>;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundlePath?: string;
  /** Per-worker cap: a coarse guard so one worker cannot flood a platform. */
  maxActivitiesPerSecond?: number;
  /** Workflows kept in the worker's sticky cache (default DEFAULT_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** How long an activity waits out throttling itself before the workflow waits (default 5 minutes). */
  throttlePatienceMs?: number;
  /** Shutdown: activities are cancelled after the grace time; at the force time the worker stops regardless (tests simulate a killed worker). */
  shutdownGraceTime?: number;
  shutdownForceTime?: number;
}

/**
 * Workflows the worker keeps in memory between their tasks. The SDK's default follows the V8 heap limit (about
 * 2,300 with a 4 GiB heap), so with thousands of orders parked (a ledger down for a day) every parked workflow
 * stayed cached and the worker's RSS grew with them (issue 8: at most 1 GiB). A parked order waits hours for a
 * person or its next re-check, and its history is short (it continues as new before growing), so evicting it costs
 * one replay when it wakes. The cache evicts the least recently used first, so with thousands parked it holds
 * the parked orders that arrived last, which wait hours and gain nothing from it; 250 still holds every order a
 * backlog is actively booking (the worker runs at most 100 activities and 40 workflow tasks at once, an order at
 * most one activity). Each cached workflow costs more than its own ~0.1 MiB of live workflow heap: the Temporal
 * core's state of the run (native memory, ~0.15 MiB) and the garbage V8 lets pile up between collections; at 500
 * the worker peaked over 1 GiB while 10,000 orders parked (bench/parked-orders-memory.ts). WORKER_MAX_CACHED_WORKFLOWS
 * overrides it.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

/** The worker that runs every ledgerbridge workflow and activity. */
export async function createSyncWorker(options: SyncWorkerOptions): Promise<Worker> {
  const credentials = new CredentialStore(options.db, options.secrets);
  const connections = new RouteConnections(options.db, options.platforms, credentials);
  if (options.throttlePatienceMs !== undefined) setThrottlePatience(options.throttlePatienceMs);
  const withWaiterNotices = (orderActivities: ReturnType<typeof createOrderSyncActivities>) =>
    options.client ? notifyWaitingOnOrder(orderActivities, { db: options.db, client: options.client }) : orderActivities;
  // One cache of the ledgers' lists for orders and refunds alike.
  const routeBreaker = new RouteBreaker(options.db, options.routeHalts ?? null);
  const syncDeps = { db: options.db, connections, connectionProblems: options.connectionProblems, bookedOrderChanges: options.bookedOrderChanges, listCache: new LedgerListCache(), routeBreaker };
  const activities = {
    // Every order sync activity heartbeats and stops when cancelled: a dead worker is noticed in seconds.
    ...heartbeating(observeOrderOutcomes(withWaiterNotices(createOrderSyncActivities(syncDeps)))),
    // Refunds and cancellations after booking, each its own workflow (workflows/refund-sync.ts).
    ...heartbeating(createRefundSyncActivities(syncDeps)),
    // Customers and products, each its own workflow (workflows/entity-sync.ts).
    ...heartbeating(createEntitySyncActivities({ db: options.db, connections })),
    // Payouts through the clearing account, each its own workflow (workflows/payout-sync.ts).
    ...heartbeating(createPayoutSyncActivities(syncDeps)),
    ...(options.client ? createParkedOrderResumeActivities({ client: options.client, db: options.db }) : {}),
    ...(options.client ? createPayoutPollActivities({ db: options.db, connections, client: options.client, taskQueue: () => options.taskQueue }) : {}),
    // Reconciliation polling: a page of "orders changed since" handed to the order intake.
    ...createOrderPollActivities({ db: options.db, platforms: options.platforms, credentials }),
    // Refund discovery: a store's "this order was refunded" read after the answer, its refunds handed to the intake.
    ...createRefundDiscoveryActivities({ db: options.db, connections }),
    // Full re-sync: a store's history, page by page, started or joined as the same syncs (workflows/full-resync.ts).
    ...(options.client
      ? heartbeating(
          createFullResyncActivities({
            db: options.db,
            platforms: options.platforms,
            credentials,
            kinds: new ResyncEntityKinds([
              ordersResyncKind({ client: options.client, taskQueue: options.taskQueue }),
              recordsResyncKind('customers', { client: options.client, taskQueue: options.taskQueue }),
              recordsResyncKind('products', { client: options.client, taskQueue: options.taskQueue }),
              ...(options.resyncKinds ?? []),
            ]),
          }),
        )
      : {}),
    // Reconciliation audits: store and ledger (orders and payouts) compared over a date range; duplicates pull the route's hard stop.
    ...heartbeating(createReconciliationAuditActivities({ db: options.db, connections, routeBreaker })),
    ...options.extraActivities,
  };
  return Worker.create({
    connection: options.connection,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath }),
    activities: options.decorateActivities ? options.decorateActivities(activities) : activities,
    maxActivitiesPerSecond: options.maxActivitiesPerSecond,
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(options.shutdownGraceTime !== undefined ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
    ...(options.shutdownForceTime !== undefined ? { shutdownForceTime: options.shutdownForceTime } : {}),
  });
}
