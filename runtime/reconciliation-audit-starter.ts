import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/database.js';
import { reconciliationAudits } from '../db/schema.js';
import { RECONCILIATION_AUDIT_ID_PREFIX, reconciliationAuditWorkflow } from '../workflows/reconciliation-audit.js';
import { RouteIdKey } from '../workflows/search-attributes.js';
import { keepAuditSchedule } from './reconciliation-audit-schedule.js';

/** An audit reads every page of both sides: a year at most per audit. */
export const MAX_AUDIT_DAYS = 366;

export type AuditRow = typeof reconciliationAudits.$inferSelect;

/** Why a range cannot be audited, in words for the operator; null when it can. */
export function auditRangeProblem(from: string, to: string): string | null {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!Number.isFinite(days) || days < 1) return `"from" (${from}) must be a day on or before "to" (${to}).`;
  if (days > MAX_AUDIT_DAYS) return `An audit covers at most ${MAX_AUDIT_DAYS} days; ${from} to ${to} is ${days}. Audit it in parts.`;
  return null;
}

/**
 * Starts an on-demand audit of the route (the API's and the console's): its row says "running" at once, the
 * workflow fills in the report. Keeps the route's daily audit schedule too (routes older than audits get theirs here).
 */
export async function startReconciliationAudit(
  deps: { db: Database; temporal: Client; taskQueue: string; warn: (message: string, error: unknown) => void },
  routeId: string,
  range: { from: string; to: string },
): Promise<AuditRow> {
  const auditId = `a-${randomBytes(6).toString('hex')}`;
  const workflowId = `${RECONCILIATION_AUDIT_ID_PREFIX}${routeId}/${auditId}`;
  const [row] = await deps.db
    .insert(reconciliationAudits)
    .values({ id: auditId, routeId, dateFrom: range.from, dateTo: range.to, trigger: 'on_demand', workflowId, status: 'running' })
    .returning();
  await deps.temporal.workflow.start(reconciliationAuditWorkflow, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [{ routeId, ...range, trigger: 'on_demand' }],
    typedSearchAttributes: [{ key: RouteIdKey, value: routeId }],
  });
  await keepAuditSchedule({ client: deps.temporal, taskQueue: deps.taskQueue }, routeId).catch((error: unknown) => deps.warn('could not keep the daily audit schedule', error));
  return row!;
}
