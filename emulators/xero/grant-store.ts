import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorClock } from './clock.js';
import type { ResolvedXeroSettings } from './options.js';

/** One person's consent for the app: its tokens reach every organisation the person has connected. */
interface Grant {
  userId: string;
  scopes: string[];
  revoked: boolean;
}

/** The app's access to one organisation through one person (`GET /connections` lists them). */
export interface Connection {
  id: string;
  authEventId: string;
  userId: string;
  tenantId: string;
  createdMs: number;
  updatedMs: number;
}

interface AuthorizationCode {
  userId: string;
  tenantIds: string[];
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshToken {
  grant: Grant;
  expiresAt: number;
  /** Set when the token was used: the previous token keeps working until then (a lost answer can be retried). */
  supersededUntil: number | null;
}

export interface IssuedTokens {
  id_token?: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token: string;
  scope: string;
}

export type AccessTokenCheck =
  | { ok: true; userId: string; scopes: string[] }
  | { ok: false; reason: 'expired'; expiredAtMs: number }
  | { ok: false; reason: 'invalid' };

const CODE_TTL_MS = 5 * 60_000;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Codes, grants, rotating refresh tokens with their grace period, and connections. */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  readonly connections: Connection[] = [];
  private refreshes = 0;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly settings: ResolvedXeroSettings,
    private readonly clientId: string,
  ) {}

  get refreshCount(): number {
    return this.refreshes;
  }

  issueCode(userId: string, tenantIds: string[], scopes: string[], redirectUri: string): string {
    const code = randomBytes(32).toString('hex');
    this.codes.set(code, { userId, tenantIds, scopes, redirectUri, expiresAt: this.clock.now() + CODE_TTL_MS, used: false });
    return code;
  }

  exchangeCode(code: string, redirectUri: string): IssuedTokens | null {
    const entry = this.codes.get(code);
    const now = this.clock.now();
    if (!entry || entry.used || entry.expiresAt <= now || entry.redirectUri !== redirectUri) return null;
    entry.used = true;
    const authEventId = randomUUID();
    for (const tenantId of entry.tenantIds) {
      const existing = this.connections.find((c) => c.userId === entry.userId && c.tenantId === tenantId);
      if (existing) Object.assign(existing, { authEventId, updatedMs: now });
      else this.connections.push({ id: randomUUID(), authEventId, userId: entry.userId, tenantId, createdMs: now, updatedMs: now });
    }
    return this.issue({ userId: entry.userId, scopes: entry.scopes, revoked: false }, authEventId);
  }

  /** Every refresh returns a new refresh token; the one presented keeps working for the grace period. */
  refresh(refreshToken: string): IssuedTokens | null {
    const entry = this.refreshTokens.get(refreshToken);
    const now = this.clock.now();
    if (!entry || entry.grant.revoked || entry.expiresAt <= now) return null;
    if (entry.supersededUntil !== null && entry.supersededUntil <= now) return null;
    if (entry.supersededUntil === null) entry.supersededUntil = now + this.settings.refreshTokenGraceSeconds * 1000;
    this.refreshes++;
    return this.issue(entry.grant, null);
  }

  /** Revoking the refresh token ends the grant and removes the person's connections to the app. */
  revoke(token: string): boolean {
    const grant = this.refreshTokens.get(token)?.grant;
    if (!grant) return false;
    grant.revoked = true;
    this.removeConnectionsOf(grant.userId);
    return true;
  }

  checkAccessToken(token: string): AccessTokenCheck {
    const entry = this.accessTokens.get(token);
    if (!entry || entry.grant.revoked) return { ok: false, reason: 'invalid' };
    if (entry.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired', expiredAtMs: entry.expiresAt };
    return { ok: true, userId: entry.grant.userId, scopes: entry.grant.scopes };
  }

  connectionsOf(userId: string, authEventId?: string): Connection[] {
    return this.connections.filter((c) => c.userId === userId && (authEventId === undefined || c.authEventId === authEventId));
  }

  isConnected(userId: string, tenantId: string): boolean {
    return this.connections.some((c) => c.userId === userId && c.tenantId === tenantId);
  }

  /** DELETE /connections/{id} of the person's own connection; false when there is none. */
  removeConnection(userId: string, connectionId: string): boolean {
    const index = this.connections.findIndex((c) => c.userId === userId && c.id === connectionId);
    if (index < 0) return false;
    this.connections.splice(index, 1);
    return true;
  }

  /** The organisation removed the app (from Xero's connected apps page): every person's connection to it. */
  removeTenant(tenantId: string): number {
    const before = this.connections.length;
    for (let i = this.connections.length - 1; i >= 0; i--) if (this.connections[i]!.tenantId === tenantId) this.connections.splice(i, 1);
    return before - this.connections.length;
  }

  expireAccessTokens(): number {
    const past = this.clock.now() - 1;
    let count = 0;
    for (const entry of this.accessTokens.values()) {
      if (entry.expiresAt > past) {
        entry.expiresAt = past;
        count++;
      }
    }
    return count;
  }

  private removeConnectionsOf(userId: string): void {
    for (let i = this.connections.length - 1; i >= 0; i--) if (this.connections[i]!.userId === userId) this.connections.splice(i, 1);
  }

  private issue(grant: Grant, authEventId: string | null): IssuedTokens {
    const now = this.clock.now();
    const exp = Math.floor(now / 1000) + this.settings.accessTokenTtlSeconds;
    // Shaped like Xero's JWT access tokens (claims per xero-node's XeroAccessToken); nobody verifies the signature.
    const accessToken = [
      base64url({ alg: 'RS256', kid: 'emulator', typ: 'JWT' }),
      base64url({
        nbf: Math.floor(now / 1000),
        exp,
        iss: 'https://identity.xero.com',
        aud: 'https://identity.xero.com/resources',
        client_id: this.clientId,
        sub: grant.userId,
        auth_time: Math.floor(now / 1000),
        xero_userid: grant.userId,
        global_session_id: randomUUID().replaceAll('-', ''),
        jti: randomUUID().replaceAll('-', ''),
        ...(authEventId ? { authentication_event_id: authEventId } : {}),
        scope: grant.scopes,
        amr: ['pwd'],
      }),
      randomBytes(64).toString('base64url'),
    ].join('.');
    const refreshToken = randomBytes(32).toString('hex');
    this.accessTokens.set(accessToken, { grant, expiresAt: exp * 1000 });
    this.refreshTokens.set(refreshToken, { grant, expiresAt: now + this.settings.refreshTokenTtlSeconds * 1000, supersededUntil: null });
    return {
      access_token: accessToken,
      expires_in: this.settings.accessTokenTtlSeconds,
      token_type: 'Bearer',
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
    };
  }
}
