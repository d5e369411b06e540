import { randomBytes } from 'node:crypto';
import type { SquarespaceSite, Token } from './site.js';

/** Squarespace's error body: every field present, `details` null, a `contextId` to quote to support (FIDELITY: errors). */
export interface SquarespaceError {
  status: number;
  body: { type: string; subtype: string | null; message: string; details: null; contextId: string };
}

export function squarespaceError(status: number, type: string, subtype: string | null, message: string): SquarespaceError {
  return { status, body: { type, subtype, message, details: null, contextId: randomBytes(5).toString('hex').toUpperCase() } };
}

/**
 * 300 requests a minute per website; going over locks the site's clients out for a one-minute cool-down, every
 * request meanwhile a 429 (no Retry-After). Requests refused during the cool-down do not extend it [U].
 */
export class RateLimiter {
  private readonly recent: number[] = [];
  private lockedUntil = 0;

  constructor(private readonly site: SquarespaceSite) {}

  /** True when this request may proceed. */
  admit(now = Date.now()): boolean {
    const { requests, windowMs, coolDownMs } = this.site.rateLimit;
    if (now < this.lockedUntil) return false;
    while (this.recent.length > 0 && this.recent[0]! <= now - windowMs) this.recent.shift();
    if (this.recent.length >= requests) {
      this.lockedUntil = now + coolDownMs;
      this.recent.length = 0;
      return false;
    }
    this.recent.push(now);
    return true;
  }

  /** The control API's throttle: the cool-down starts now. */
  lockOut(now = Date.now()): void {
    this.lockedUntil = now + this.site.rateLimit.coolDownMs;
  }

  get coolingDownUntil(): number {
    return this.lockedUntil;
  }
}

/** A request without User-Agent is refused before anything else (FIDELITY: User-Agent; status [U]). */
export function userAgentRefusal(userAgent: string | undefined): SquarespaceError | null {
  if (userAgent && userAgent.trim()) return null;
  return squarespaceError(400, 'INVALID_REQUEST_ERROR', 'MISSING_ARGUMENT', 'A User-Agent header is required.');
}

/** The bearer token of a request, or the 401 Squarespace answers for a missing, unknown, expired or revoked one. */
export function authenticate(site: SquarespaceSite, authorization: string | undefined): { token: Token } | { error: SquarespaceError } {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!bearer) return { error: squarespaceError(401, 'AUTHORIZATION_ERROR', null, 'Authorization header is missing or malformed.') };
  const token = site.tokens.get(bearer);
  if (!token || token.revoked) return { error: squarespaceError(401, 'AUTHORIZATION_ERROR', null, 'The access token is invalid or has been revoked.') };
  if (token.accessExpiresAt <= Date.now()) return { error: squarespaceError(401, 'AUTHORIZATION_ERROR', null, 'The access token has expired.') };
  if (!token.used) {
    token.used = true;
    // Rotation: the refresh token this pair replaced dies once the new access token is used.
    for (const older of site.tokens.values()) if (older.replacedBy === token.accessToken) older.revoked = true;
  }
  return { token };
}

/** A scope the token lacks: 403 MISSING_SCOPE. `website.orders` implies `website.orders.read`. */
export function scopeRefusal(token: Token, needed: string): SquarespaceError | null {
  const base = needed.replace(/\.read$/, '');
  if (token.scopes.includes(needed) || token.scopes.includes(base)) return null;
  return squarespaceError(403, 'AUTHORIZATION_ERROR', 'MISSING_SCOPE', `The request requires the ${needed} scope.`);
}
