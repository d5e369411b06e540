import { CredentialsInvalidError, PlatformUnavailableError, RateLimitedError, type PlatformError } from '../../domain/platform-errors.js';

export const XERO_RECONNECT_MESSAGE =
  "Xero no longer accepts ledgerbridge's connection (the grant was revoked or expired). Reconnect the integration.";

/** openid-client's OPError / RPError, or a transport error, from the identity server. */
interface TokenEndpointError {
  name?: string;
  error?: string;
  error_description?: string;
  message?: string;
  response?: { statusCode?: number; headers?: Record<string, string> };
}

/** Translates a token-endpoint failure (code exchange on connect, refresh) into a platform error. */
export function translateXeroTokenError(raw: unknown, defaultRetryAfterMs: number, during: 'connect' | 'refresh' = 'refresh'): PlatformError {
  const error = (raw ?? {}) as TokenEndpointError;
  const status = error.response?.statusCode ?? null;
  const detail = [
    status === null ? 'no HTTP answer' : `HTTP ${status}`,
    error.name ? `type=${error.name}` : null,
    error.error ? `error=${error.error}` : null,
    error.error_description ? `description=${error.error_description}` : null,
    error.message && error.message !== error.error ? `message=${error.message.slice(0, 200)}` : null,
  ]
    .filter((part) => part !== null)
    .join('; ');
  if (error.error === 'invalid_grant') {
    return during === 'connect'
      ? new CredentialsInvalidError('invalid_grant', 'Xero did not accept the authorization (it expired or was already used). Try connecting again.', detail)
      : new CredentialsInvalidError('invalid_grant', XERO_RECONNECT_MESSAGE, detail);
  }
  // openid-client's own checks (state, id_token signature, issuer, audience): the answer cannot be trusted.
  if (during === 'connect' && (error.name === 'RPError' || (error.name === 'TypeError' && /id_token|state/i.test(error.message ?? '')))) {
    return new CredentialsInvalidError('missing', 'Xero’s answer to the connection could not be verified. Try connecting again.', detail);
  }
  if (status === 429) {
    const header = error.response?.headers?.['retry-after'];
    const ms = header && /^\d+$/.test(header) ? Number(header) * 1000 : defaultRetryAfterMs;
    return new RateLimitedError(ms, 'Xero asked ledgerbridge to slow down while renewing its access.', detail);
  }
  if (error.error === 'invalid_client' || error.error === 'unauthorized_client') {
    // Our app's client id/secret were refused: an operator must fix the configuration; reconnecting will not help.
    return new PlatformUnavailableError(status, "Xero refused ledgerbridge's app credentials (client id/secret).", detail);
  }
  return new PlatformUnavailableError(
    status,
    during === 'connect' ? 'Xero could not complete the connection right now. Try connecting again in a moment.' : 'Xero could not renew the access token right now; the work will be retried.',
    detail,
  );
}
