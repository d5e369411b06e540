import type { Client } from '@temporalio/client';
import { RECONCILIATION_AUDIT_ID_PREFIX, reconciliationAuditWorkflow, type ReconciliationAuditInput } from '../workflows/reconciliation-audit.js';
import { keepRouteSchedule } from './route-schedule.js';
import { deleteScheduleIfPresent } from './schedule-removal.js';

/** Where the daily audit runs, and when (tests shorten it). */
export interface AuditScheduleRuntime {
  client: Client;
  taskQueue: string;
  /** Between audits; default one day. */
  auditEveryMs?: number;
  /** Into each interval (UTC): default 3 hours, so the daily audit looks at yesterday at 03:00 UTC. */
  auditOffsetMs?: number;
}

const DAY_MS = 86_400_000;
const DEFAULT_OFFSET_MS = 3 * 3_600_000;

/** Business identity: one schedule per route. Its runs are `reconciliation-audit/<route>/daily-<time>`. */
export function auditScheduleId(routeId: string): string {
  return `${RECONCILIATION_AUDIT_ID_PREFIX}${routeId}/daily`;
}

/**
 * Makes the route's daily audit schedule exist (idempotent: on route creation and whenever an audit is asked for).
 * Answers whether it created it.
 */
export function keepAuditSchedule(runtime: AuditScheduleRuntime, routeId: string): Promise<boolean> {
  const input: ReconciliationAuditInput = { routeId, lookbackDays: 1, trigger: 'daily' };
  return keepRouteSchedule(runtime.client, {
    scheduleId: auditScheduleId(routeId),
    routeId,
    workflow: reconciliationAuditWorkflow,
    args: [input],
    taskQueue: runtime.taskQueue,
    everyMs: runtime.auditEveryMs ?? DAY_MS,
    offsetMs: runtime.auditOffsetMs ?? DEFAULT_OFFSET_MS,
    note: 'Compares the shop with the ledger for yesterday; a duplicate stops the route.',
  });
}

/** Deletes the route's audit schedule; false when there was none. */
export function deleteAuditSchedule(client: Client, routeId: string): Promise<boolean> {
  return deleteScheduleIfPresent(client, auditScheduleId(routeId));
}
