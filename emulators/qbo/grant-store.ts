import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from './clock.js';
import type { ResolvedQboSettings } from './options.js';

/** One app's connection to one company, as created by an authorization. */
interface Grant {
  id: string;
  realmId: string;
  scopes: string[];
  revoked: boolean;
}

interface AuthorizationCode {
  grantRealmId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

interface RefreshToken {
  grant: Grant;
  expiresAt: number;
  /** Set when a newer refresh token replaced this one; it keeps working until then. */
  supersededUntil: number | null;
}

export interface IssuedTokens {
  token_type: 'bearer';
  access_token: string;
  expires_in: number;
  refresh_token: string;
  x_refresh_token_expires_in: number;
}

export type AccessTokenCheck =
  | { ok: true; realmId: string; scopes: string[] }
  | { ok: false; reason: 'expired' | 'revoked' | 'malformed' };

export type GrantResult = { ok: true; tokens: IssuedTokens; realmId: string } | { ok: false; error: 'invalid_grant' };

const CODE_TTL_MS = 10 * 60_000;

function opaque(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** OAuth state of the emulator: codes, grants, rotating refresh tokens and their grace period. */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly refreshCounts = new Map<string, number>();
  private grantSeq = 0;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly settings: ResolvedQboSettings,
  ) {}

  issueCode(realmId: string, scopes: string[], redirectUri: string): string {
    const code = opaque('AB11');
    this.codes.set(code, {
      grantRealmId: realmId,
      scopes,
      redirectUri,
      expiresAt: this.clock.now() + CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  exchangeCode(code: string, redirectUri: string): GrantResult {
    const entry = this.codes.get(code);
    if (!entry || entry.used || entry.expiresAt <= this.clock.now() || entry.redirectUri !== redirectUri) {
      return { ok: false, error: 'invalid_grant' };
    }
    entry.used = true;
    const grant: Grant = { id: `grant-${++this.grantSeq}`, realmId: entry.grantRealmId, scopes: entry.scopes, revoked: false };
    return { ok: true, tokens: this.issue(grant), realmId: grant.realmId };
  }

  /** Rotates: every refresh returns a new refresh token; the presented one stays valid for the grace period. */
  refresh(refreshToken: string): GrantResult {
    const entry = this.refreshTokens.get(refreshToken);
    const now = this.clock.now();
    if (!entry || entry.grant.revoked || entry.expiresAt <= now) return { ok: false, error: 'invalid_grant' };
    if (entry.supersededUntil !== null && entry.supersededUntil <= now) return { ok: false, error: 'invalid_grant' };
    if (entry.supersededUntil === null) entry.supersededUntil = now + this.settings.refreshTokenGraceSeconds * 1000;
    const realmId = entry.grant.realmId;
    this.refreshCounts.set(realmId, (this.refreshCounts.get(realmId) ?? 0) + 1);
    return { ok: true, tokens: this.issue(entry.grant), realmId };
  }

  /** Revoking either token ends the grant: both tokens stop working. */
  revokeToken(token: string): boolean {
    const grant = this.refreshTokens.get(token)?.grant ?? this.accessTokens.get(token)?.grant;
    if (!grant) return false;
    grant.revoked = true;
    return true;
  }

  revokeRealm(realmId: string): number {
    const grants = new Set<Grant>();
    for (const entry of this.refreshTokens.values()) if (entry.grant.realmId === realmId) grants.add(entry.grant);
    for (const grant of grants) grant.revoked = true;
    return grants.size;
  }

  expireAccessTokens(realmId: string): number {
    let count = 0;
    const past = this.clock.now() - 1;
    for (const entry of this.accessTokens.values()) {
      if (entry.grant.realmId === realmId && entry.expiresAt > past) {
        entry.expiresAt = past;
        count++;
      }
    }
    return count;
  }

  checkAccessToken(token: string): AccessTokenCheck {
    const entry = this.accessTokens.get(token);
    if (!entry) return { ok: false, reason: 'malformed' };
    if (entry.grant.revoked) return { ok: false, reason: 'revoked' };
    if (entry.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true, realmId: entry.grant.realmId, scopes: entry.grant.scopes };
  }

  refreshCount(realmId: string): number {
    return this.refreshCounts.get(realmId) ?? 0;
  }

  private issue(grant: Grant): IssuedTokens {
    const now = this.clock.now();
    const accessToken = opaque('eyJlbmMiOi');
    const refreshToken = opaque('RT1-');
    this.accessTokens.set(accessToken, { grant, expiresAt: now + this.settings.accessTokenTtlSeconds * 1000 });
    this.refreshTokens.set(refreshToken, {
      grant,
      expiresAt: now + this.settings.refreshTokenTtlSeconds * 1000,
      supersededUntil: null,
    });
    return {
      token_type: 'bearer',
      access_token: accessToken,
      expires_in: this.settings.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      x_refresh_token_expires_in: this.settings.refreshTokenTtlSeconds,
    };
  }
}
