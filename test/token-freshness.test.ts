import { describe, expect, it } from 'vitest';
import type { IntegrationCredentials } from '../domain/credentials.js';
import { isDueForRefresh } from '../domain/token-freshness.js';

const FIVE_MINUTES = 5 * 60_000;
const now = Date.parse('2026-11-25T12:00:00Z');

function tokenLiving(lifetimeMs: number, leftMs: number, stamped = true): IntegrationCredentials {
  const expiresAt = now + leftMs;
  return {
    accessToken: 'a',
    refreshToken: 'r',
    accessTokenExpiresAt: new Date(expiresAt).toISOString(),
    refreshTokenExpiresAt: null,
    scopes: [],
    ...(stamped ? { obtainedAt: new Date(expiresAt - lifetimeMs).toISOString() } : {}),
  };
}

describe('when an access token is due for refresh', () => {
  it('an hour-long token is refreshed in its last five minutes, not before', () => {
    expect(isDueForRefresh(tokenLiving(3_600_000, 6 * 60_000), FIVE_MINUTES, now)).toBe(false);
    expect(isDueForRefresh(tokenLiving(3_600_000, 4 * 60_000), FIVE_MINUTES, now)).toBe(true);
  });

  it('a token shorter-lived than the window counts as fresh for its first half, so a just-refreshed pair is not refreshed again', () => {
    expect(isDueForRefresh(tokenLiving(60_000, 59_000), FIVE_MINUTES, now)).toBe(false);
    expect(isDueForRefresh(tokenLiving(60_000, 20_000), FIVE_MINUTES, now)).toBe(true);
  });

  it('pairs saved before the obtained time was stamped fall back to the full window; tokens that never expire never are', () => {
    expect(isDueForRefresh(tokenLiving(60_000, 59_000, false), FIVE_MINUTES, now)).toBe(true);
    expect(isDueForRefresh({ ...tokenLiving(60_000, 1_000), accessTokenExpiresAt: null }, FIVE_MINUTES, now)).toBe(false);
  });
});
