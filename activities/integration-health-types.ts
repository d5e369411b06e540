import type { IntegrationStatus } from '../domain/integration-status.js';

/** Plain data shared by the health workflow and its activities (the workflow imports these as types only). */

/**
 * webhooks_subscribed and polling_scheduled are run for shops only (commerce platforms): are their orders sent to
 * us, and is the store polled for the ones whose webhook never arrives?
 */
export type HealthCheckName = 'oauth_connected' | 'token_fresh' | 'scopes_granted' | 'test_call' | 'webhooks_subscribed' | 'polling_scheduled';

export const HEALTH_CHECK_ORDER: readonly HealthCheckName[] = ['oauth_connected', 'token_fresh', 'scopes_granted', 'test_call', 'webhooks_subscribed', 'polling_scheduled'];

export interface HealthCheckResult {
  check: HealthCheckName;
  ok: boolean;
  /** Plain words for the bookkeeper: what was checked and what was found. */
  message: string;
}

/** What the four checks add up to, before pause is taken into account. */
export interface HealthVerdict {
  status: Exclude<IntegrationStatus, 'disconnected'>;
  /** Why, in plain words; null when connected. */
  reason: string | null;
  /** The check that decided a failure; null when connected. */
  check: HealthCheckName | null;
}

export interface HealthCheckRun {
  results: HealthCheckResult[];
  verdict: HealthVerdict;
  checkedAt: string;
  /** The grant the checks ran under (integrations.grant_generation); absent in runs recorded before it was. */
  grantGeneration?: number;
}

/** A record (order) whose sync failed because of the connection. */
export interface FailedRecord {
  routeId: string;
  orderId: string;
  orderName: string | null;
}

export interface IncidentEmailRequest {
  integrationId: string;
  incidentId: string;
  status: IntegrationStatus;
  message: string;
  detail: string | null;
  record: FailedRecord | null;
  occurredAt: string;
}

export interface DigestEmailRequest {
  integrationId: string;
  incidentId: string;
  /** 1 for the incident's first digest, 2 for the next... (part of the idempotency key). */
  sequence: number;
  /** A few records to list by name; the rest are counted. */
  records: FailedRecord[];
  totalWaiting: number;
}

export interface AllClearEmailRequest {
  integrationId: string;
  incidentId: string;
  resumedCount: number;
}

export type EmailOutcome = { sent: true; to: string[] } | { sent: false; reason: string };

export interface StatusChange {
  integrationId: string;
  status: IntegrationStatus;
  reason: string | null;
  /** What caused it: "health check", "order #1001 failed to sync", "app/uninstalled webhook", "paused by an operator". */
  cause: string;
  check: string | null;
}

export interface ResumeOutcome {
  resumed: number;
  failed: number;
}
