import { CredentialsInvalidError, MissingScopeError, PlatformError, PlatformUnavailableError, RateLimitedError } from '../../domain/platform-errors.js';

export interface SquarespaceCallContext {
  /** "Squarespace site 5f3c…" for the bookkeeper. */
  site: string;
  /** What we were doing, for the engineer: "reading order 585d…". */
  action: string;
}

/** Squarespace's error body: `{type, subtype, message, details, contextId}` [S]. */
interface ErrorBody {
  type?: string;
  subtype?: string | null;
  message?: string;
  contextId?: string;
}

/**
 * An answer that is not 2xx → domain/platform-errors.ts. 429 carries no Retry-After: Squarespace's cool-down is
 * one minute, so `coolDownMs` is waited (FIDELITY: rate limits).
 */
export function translateSquarespaceError(status: number, text: string, retryAfterHeader: string | null, ctx: SquarespaceCallContext, coolDownMs: number): PlatformError | SquarespaceRequestRefusedError {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // A proxy's HTML: only the status counts.
  }
  const detail = `${ctx.action}: HTTP ${status} ${body.type ?? ''}${body.subtype ? `/${body.subtype}` : ''} contextId=${body.contextId ?? '-'} ${text.slice(0, 300)}`.trim();
  if (status === 401) {
    return new CredentialsInvalidError('revoked', `${ctx.site} no longer accepts ledgerbridge's access (the extension was disconnected or uninstalled in Squarespace). Reconnect the site in ledgerbridge to resume syncing.`, detail);
  }
  if (status === 403 && body.subtype === 'MISSING_SCOPE') {
    return new MissingScopeError([], `${ctx.site} did not give ledgerbridge all the access it needs. Reconnect the site in ledgerbridge and allow every permission asked.`, detail);
  }
  if (status === 429) {
    const retryAfter = Number(retryAfterHeader);
    return new RateLimitedError(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : coolDownMs, `${ctx.site} asked ledgerbridge to slow down; orders wait and continue by themselves.`, detail);
  }
  if (status === 402) {
    return new PlatformUnavailableError(status, `${ctx.site}'s Squarespace subscription has expired; ledgerbridge will retry once the site is renewed.`, detail);
  }
  if (status >= 500 || status === 408 || !body.type) {
    return new PlatformUnavailableError(status, `${ctx.site} did not answer properly (HTTP ${status}); ledgerbridge will retry automatically.`, detail);
  }
  return new SquarespaceRequestRefusedError(status, body.type, body.subtype ?? null, `${ctx.site} refused the request: ${body.message ?? `HTTP ${status}`}`, detail);
}

/** A refusal of Squarespace's own (400/404/409) that none of the domain errors names: the caller decides. */
export class SquarespaceRequestRefusedError extends Error {
  override readonly name = 'SquarespaceRequestRefusedError';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly subtype: string | null,
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export function unreachable(error: unknown, ctx: SquarespaceCallContext): PlatformUnavailableError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new PlatformUnavailableError(null, `${ctx.site} could not be reached; ledgerbridge will retry automatically.`, `${ctx.action}: no response (${reason})`);
}
