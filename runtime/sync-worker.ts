import { NativeConnection, Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { createParkedOrderResumeActivities } from '../activities/parked-order-resume-activities.js';
import type { Database } from '../db/database.js';
import { CredentialStore, type SecretBox } from '../db/credential-store.js';
import { createOrderSyncActivities, type ConnectionProblemSink } from '../activities/order-sync-activities.js';
import { heartbeating } from '../activities/activity-heartbeat.js';
import { setThrottlePatience } from '../activities/sync-failures.js';
import { RouteConnections } from '../activities/route-connections.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import { workflowsPath } from './workflows-path.js';
import { observeOrderOutcomes } from './order-outcome-observer.js';

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
  /** Lets the worker run parkedOrderResumeWorkflow's activities (they signal order syncs). */
  client?: Client;
  /** Extra activities (integration health) registered on the same worker. */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundlePath?: string;
  /** Per-worker cap: a coarse guard so one worker cannot flood a platform. */
  maxActivitiesPerSecond?: number;
  /** How long an activity waits out throttling itself before the workflow waits (default 5 minutes). */
  throttlePatienceMs?: number;
  /** Shutdown: activities are cancelled after the grace time; at the force time the worker stops regardless (tests simulate a killed worker). */
  shutdownGraceTime?: number;
  shutdownForceTime?: number;
}

/** The worker that runs every ledgerbridge workflow and activity. */
export async function createSyncWorker(options: SyncWorkerOptions): Promise<Worker> {
  const credentials = new CredentialStore(options.db, options.secrets);
  const connections = new RouteConnections(options.db, options.platforms, credentials);
  if (options.throttlePatienceMs !== undefined) setThrottlePatience(options.throttlePatienceMs);
  const activities = {
    // Every order sync activity heartbeats and stops when cancelled: a dead worker is noticed in seconds.
    ...heartbeating(
      observeOrderOutcomes(createOrderSyncActivities({ db: options.db, connections, connectionProblems: options.connectionProblems, bookedOrderChanges: options.bookedOrderChanges })),
    ),
    ...(options.client ? createParkedOrderResumeActivities({ client: options.client, db: options.db }) : {}),
    ...options.extraActivities,
  };
  return Worker.create({
    connection: options.connection,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath }),
    activities,
    maxActivitiesPerSecond: options.maxActivitiesPerSecond,
    ...(options.shutdownGraceTime !== undefined ? { shutdownGraceTime: options.shutdownGraceTime } : {}),
    ...(options.shutdownForceTime !== undefined ? { shutdownForceTime: options.shutdownForceTime } : {}),
  });
}
