import type { IntegrationCredentials } from './credentials.js';

/**
 * Whether an access token is close enough to expiry to refresh it now.
 *
 * The window is `aheadMs`, but never more than half the token's lifetime: with short-lived tokens
 * (shorter than the window) a fixed window would call every fresh token stale, so each caller that
 * read the pair just saved by another refresher would refresh again and rotate it away.
 */
export function isDueForRefresh(credentials: IntegrationCredentials, aheadMs: number, nowMs = Date.now()): boolean {
  if (!credentials.accessTokenExpiresAt) return false;
  const expiresAt = Date.parse(credentials.accessTokenExpiresAt);
  const obtainedAt = credentials.obtainedAt ? Date.parse(credentials.obtainedAt) : Number.NaN;
  const window = Number.isFinite(obtainedAt) ? Math.min(aheadMs, (expiresAt - obtainedAt) / 2) : aheadMs;
  return expiresAt - nowMs < window;
}
