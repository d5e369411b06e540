import { registerPlatform } from '../platform-registration.js';
import { createQbdPlatform, QBD_CONNECT_PAGE, QBWC_PATH, type QbdPlatformConfig } from './qbd-platform.js';

/**
 * QuickBooks Desktop as this deployment offers it, through the QuickBooks Web Connector. No app secret:
 * QBD_WEB_CONNECTOR_URL (our SOAP endpoint's public https URL; default PUBLIC_BASE_URL + /qbwc),
 * QBD_POLL_MINUTES (the Web Connector's schedule, default 5), QBD_REQUEST_WAIT_SECONDS (how long a sync waits for
 * the Web Connector before the order parks, default 90, at most 90), QBD_DISCONNECTED_AFTER_HOURS (health, default 3).
 */
export const qbdRegistration = registerPlatform({
  id: 'qbd',
  displayName: 'QuickBooks Desktop',
  role: 'accounting',
  documentKind: 'sales receipt',
  refundDocumentKind: 'credit memo',
  accountLabels: { companyFile: 'company file' },
  // No OAuth: reconnect links in emails lead to the page that makes a new Web Connector login (api/qbd-connect-page.ts).
  connectPage: QBD_CONNECT_PAGE,
  configFromEnv: (env): QbdPlatformConfig => {
    const number = (name: string, fallback: number): number => {
      const text = env.get(name)?.trim();
      if (!text) return fallback;
      const value = Number(text);
      if (!Number.isFinite(value) || value <= 0) env.fail(`${name} must be a positive number, not "${text}".`);
      return value;
    };
    // As runtime/app-config.ts derives the public base URL: PORT counts when PUBLIC_BASE_URL is not set.
    const base = env.get('PUBLIC_BASE_URL')?.trim() || `http://127.0.0.1:${env.get('PORT')?.trim() || 3000}`;
    const url = env.get('QBD_WEB_CONNECTOR_URL')?.trim() || `${base.replace(/\/$/, '')}${QBWC_PATH}`;
    return {
      webConnectorUrl: url,
      pollMinutes: Math.max(1, Math.round(number('QBD_POLL_MINUTES', 5))),
      // Well inside the order-sync activities' 10-minute start-to-close: a booking makes up to three round trips, each waiting at most twice this.
      requestWaitMs: Math.min(number("QBD_REQUEST_WAIT_SECONDS", 90), 90) * 1000,
      queuePollMs: 250,
      disconnectedAfterMs: number('QBD_DISCONNECTED_AFTER_HOURS', 3) * 3_600_000,
    };
  },
  create: (config: QbdPlatformConfig, shared) => createQbdPlatform(config, shared),
});
