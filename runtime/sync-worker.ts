import { NativeConnection, Worker } from '@temporalio/worker';
import type { Database } from '../db/database.js';
import { CredentialStore, type SecretBox } from '../db/credential-store.js';
import { createOrderSyncActivities, type ConnectionProblemSink } from '../activities/order-sync-activities.js';
import { RouteConnections } from '../activities/route-connections.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import { workflowsPath } from './workflows-path.js';
import { observeOrderOutcomes } from './order-outcome-observer.js';

export interface SyncWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  db: Database;
  platforms: PlatformRegistry;
  secrets: SecretBox;
  connectionProblems: ConnectionProblemSink;
  /** Who hears of a change the shop made to an order while it was being booked (emails). */
  bookedOrderChanges?: BookedOrderChangeSink;
  /** Extra activities (integration health) registered on the same worker. */
  extraActivities?: Record<string, (...args: never[]) => Promise<unknown>>;
  /** A prebuilt bundle (tests build one per run); otherwise the worker bundles workflows/ itself. */
  workflowBundlePath?: string;
  /** Per-worker cap: a coarse guard so one worker cannot flood a platform. */
  maxActivitiesPerSecond?: number;
}

/** The worker that runs every ledgerbridge workflow and activity. */
export async function createSyncWorker(options: SyncWorkerOptions): Promise<Worker> {
  const credentials = new CredentialStore(options.db, options.secrets);
  const connections = new RouteConnections(options.db, options.platforms, credentials);
  const activities = {
    ...observeOrderOutcomes(createOrderSyncActivities({ db: options.db, connections, connectionProblems: options.connectionProblems, bookedOrderChanges: options.bookedOrderChanges })),
    ...options.extraActivities,
  };
  return Worker.create({
    connection: options.connection,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath }),
    activities,
    maxActivitiesPerSecond: options.maxActivitiesPerSecond,
  });
}
