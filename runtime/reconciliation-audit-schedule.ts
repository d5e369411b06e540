import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { RECONCILIATION_AUDIT_ID_PREFIX, reconciliationAuditWorkflow, type ReconciliationAuditInput } from '../workflows/reconciliation-audit.js';
import { RouteIdKey } from '../workflows/search-attributes.js';
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
export async function keepAuditSchedule(runtime: AuditScheduleRuntime, routeId: string): Promise<boolean> {
  const handle = runtime.client.schedule.getHandle(auditScheduleId(routeId));
  try {
    await handle.describe();
    return false;
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  const input: ReconciliationAuditInput = { routeId, lookbackDays: 1, trigger: 'daily' };
  try {
    await runtime.client.schedule.create({
      scheduleId: auditScheduleId(routeId),
      spec: { intervals: [{ every: runtime.auditEveryMs ?? DAY_MS, offset: runtime.auditOffsetMs ?? DEFAULT_OFFSET_MS }] },
      action: {
        type: 'startWorkflow',
        workflowType: reconciliationAuditWorkflow,
        args: [input],
        taskQueue: runtime.taskQueue,
        workflowId: auditScheduleId(routeId),
        typedSearchAttributes: [{ key: RouteIdKey, value: routeId }],
      },
      // An audit still running when the next is due: the next is skipped; a day missed while down is caught up once.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: DAY_MS },
      state: { note: 'Compares the shop with the ledger for yesterday; a duplicate stops the route.' },
    });
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
  return true;
}

/** Deletes the route's audit schedule; false when there was none. */
export function deleteAuditSchedule(client: Client, routeId: string): Promise<boolean> {
  return deleteScheduleIfPresent(client, auditScheduleId(routeId));
}
