import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * ledgerbridge's own Prometheus metrics, one registry per process (the API and the worker each serve
 * theirs; Temporal's worker metrics are served beside them, see metrics-server.ts).
 */
export const metricsRegistry = new Registry();

/** Orders by what their sync came to: booked, parked (waiting for a person, by reason) or failed (by error code). */
export const orderOutcomes = new Counter({
  name: 'ledgerbridge_order_sync_outcomes_total',
  help: 'Order sync outcomes: synced, parked (reason = what it waits for) and failed (reason = error code).',
  labelNames: ['outcome', 'reason'] as const,
  registers: [metricsRegistry],
});

/** Time from a webhook's arrival to our answer: Shopify counts anything past 5 s as a failed delivery. */
export const webhookIntakeSeconds = new Histogram({
  name: 'ledgerbridge_webhook_intake_seconds',
  help: 'Time to acknowledge a platform webhook, by platform and HTTP status.',
  labelNames: ['platform', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** Requests to a ledger (QuickBooks company), and how many it refused with 429 (its 10/s and 500/min limits). */
export const ledgerRequests = new Counter({
  name: 'ledgerbridge_ledger_requests_total',
  help: 'HTTP requests sent to a ledger, by platform and company (realm id).',
  labelNames: ['platform', 'company'] as const,
  registers: [metricsRegistry],
});
export const ledgerThrottled = new Counter({
  name: 'ledgerbridge_ledger_throttled_total',
  help: 'Ledger requests answered 429 (throttled), by platform and company (realm id).',
  labelNames: ['platform', 'company'] as const,
  registers: [metricsRegistry],
});

/** Integrations per platform and status, read from the database at each scrape. */
export function integrationStatusGauge(read: () => Promise<{ platform: string; status: string; count: number }[]>): Gauge<'platform' | 'status'> {
  return new Gauge({
    name: 'ledgerbridge_integrations',
    help: 'Integrations by platform and health status (connected, reconnect_required, …).',
    labelNames: ['platform', 'status'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const row of await read()) this.set({ platform: row.platform, status: row.status }, row.count);
    },
  });
}
