import { expect } from 'vitest';
import { RECONCILIATION_AUDIT_ID_PREFIX, type ReconciliationAuditResult } from '../../workflows/reconciliation-audit.js';
import type { SyncHarness } from './sync-harness.js';

/** Starts an audit of the route over the range through the API, waits for its workflow and reads its report back. */
export async function auditRoute(harness: SyncHarness, routeId: string, range: { from: string; to: string }): Promise<{ result: ReconciliationAuditResult; report: any }> {
  const started = await harness.operator('POST', `/routes/${routeId}/audits`, range);
  expect(started.status).toBe(202);
  const result: ReconciliationAuditResult = await harness.handle(`${RECONCILIATION_AUDIT_ID_PREFIX}${routeId}/${started.body.auditId}`).result();
  const answer = await harness.operator('GET', `/routes/${routeId}/audits/${started.body.auditId}`);
  expect(answer.body.status).toBe('done');
  return { result, report: answer.body.report };
}
