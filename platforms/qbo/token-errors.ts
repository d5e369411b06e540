import {
  CredentialsInvalidError,
  PlatformUnavailableError,
  RateLimitedError,
  type PlatformError,
} from '../../domain/platform-errors.js';

export const RECONNECT_MESSAGE =
  "QuickBooks Online no longer accepts ledgerbridge's connection (the grant was revoked or expired). Reconnect the integration.";

/** The shape of intuit-oauth's wrapped errors (see OAuthClient.createError). */
interface IntuitTokenError {
  error?: string;
  error_description?: string;
  message?: string;
  intuit_tid?: string;
  authResponse?: { response?: { status?: number; headers?: Record<string, string> } } | string;
}

/** Translates an intuit-oauth token-endpoint failure into a platform error. */
export function translateTokenError(raw: unknown, defaultRetryAfterMs: number): PlatformError {
  const error = (raw ?? {}) as IntuitTokenError;
  const response = typeof error.authResponse === 'object' ? error.authResponse.response : undefined;
  const status = response?.status ?? null;
  const detail = [
    status === null ? 'no HTTP answer' : `HTTP ${status}`,
    error.error ? `error=${error.error}` : null,
    error.error_description ? `description=${error.error_description}` : null,
    error.intuit_tid ? `intuit_tid=${error.intuit_tid}` : null,
    error.message && error.message !== error.error ? `message=${error.message}` : null,
  ]
    .filter((part) => part !== null)
    .join('; ');
  if (error.error === 'invalid_grant') return new CredentialsInvalidError('invalid_grant', RECONNECT_MESSAGE, detail);
  if (status === 429) {
    const header = response?.headers?.['retry-after'];
    const ms = header && /^\d+$/.test(header) ? Number(header) * 1000 : defaultRetryAfterMs;
    return new RateLimitedError(ms, 'QuickBooks Online asked ledgerbridge to slow down while renewing its access.', detail);
  }
  if (status === 401 || error.error === 'invalid_client') {
    // Our app's client id/secret were refused: an operator must fix the configuration; reconnecting will not help.
    return new PlatformUnavailableError(status, "QuickBooks Online refused ledgerbridge's app credentials (client id/secret).", detail);
  }
  return new PlatformUnavailableError(status, 'QuickBooks Online could not renew the access token right now; the work will be retried.', detail);
}
