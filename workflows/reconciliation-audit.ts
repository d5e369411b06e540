import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { AuditRouteOutcome, ReconciliationAuditActivities } from '../activities/reconciliation-audit-activities.js';

export interface ReconciliationAuditInput {
  routeId: string;
  /** Both days included, YYYY-MM-DD. Absent (the daily schedule): the `lookbackDays` UTC days before the run's day. */
  from?: string;
  to?: string;
  /** Days the daily audit looks back over, ending yesterday (UTC). Default 1: yesterday. */
  lookbackDays?: number;
  trigger?: 'on_demand' | 'daily';
}

export interface ReconciliationAuditResult {
  auditId: string;
  from: string;
  to: string;
  summary: AuditRouteOutcome['summary'];
  /** The route was stopped because the audit found duplicates. */
  halted: boolean;
  /** Why nothing was compared (a ledger that cannot list its documents by date). */
  notAudited?: string;
}

/** On-demand audits: `reconciliation-audit/<route>/<audit id>`; the daily schedule's runs: `reconciliation-audit/<route>/daily-<time>`. */
export const RECONCILIATION_AUDIT_ID_PREFIX = 'reconciliation-audit/';

// Listing a month of a busy ledger reads many pages: a generous timeout, heartbeats notice a dead worker.
const audit = proxyActivities<ReconciliationAuditActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/**
 * One reconciliation audit of a route over a date range: compare the shop's orders with the ledger's documents,
 * store the report (a fix for every line), and pull the hard stop when the ledger holds an order twice. Started
 * by the API (on demand) or by the route's daily Temporal Schedule (runtime/reconciliation-audit-schedule.ts).
 */
export async function reconciliationAuditWorkflow(input: ReconciliationAuditInput): Promise<ReconciliationAuditResult> {
  const { workflowId } = workflowInfo();
  const auditId = auditIdOf(workflowId, input.routeId);
  const range = input.from && input.to ? { from: input.from, to: input.to } : previousDays(workflowInfo().startTime, input.lookbackDays ?? 1);
  let outcome: AuditRouteOutcome;
  try {
    outcome = await audit.auditRoute({ routeId: input.routeId, auditId, workflowId, ...range, trigger: input.trigger ?? (input.from ? 'on_demand' : 'daily') });
  } catch (error) {
    const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : (error as Error).message;
    await audit.recordAuditFailure({ auditId, message: `The audit could not finish: ${cause}` });
    throw ApplicationFailure.nonRetryable(`The audit of route ${input.routeId} from ${range.from} to ${range.to} could not finish: ${cause}`, 'AuditFailed');
  }
  const halted = outcome.duplicates.length > 0;
  if (halted) await audit.haltRouteForDuplicates({ routeId: input.routeId, auditId, ledgerName: outcome.ledgerName, duplicates: outcome.duplicates });
  return { auditId, ...range, summary: outcome.summary, halted, ...(outcome.notAudited ? { notAudited: outcome.notAudited } : {}) };
}

/** The audit's id: what follows "reconciliation-audit/<route>/" in its workflow id. */
export function auditIdOf(workflowId: string, routeId: string): string {
  const prefix = `${RECONCILIATION_AUDIT_ID_PREFIX}${routeId}/`;
  return workflowId.startsWith(prefix) ? workflowId.slice(prefix.length) : workflowId;
}

/** The `days` whole UTC days before `now`'s day. */
function previousDays(now: Date, days: number): { from: string; to: string } {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const day = 86_400_000;
  return { from: new Date(startOfToday - Math.max(1, days) * day).toISOString().slice(0, 10), to: new Date(startOfToday - day).toISOString().slice(0, 10) };
}
