import { CredentialsInvalidError, MissingScopeError, PlatformError, PlatformUnavailableError, RateLimitedError } from '../../domain/platform-errors.js';

export interface WooCallContext {
  /** "WooCommerce #1" or the store, for the bookkeeper. */
  store: string;
  /** What we were doing, for the engineer: "reading order 727". */
  action: string;
}

interface AxiosLikeError {
  response?: { status: number; data?: unknown; headers?: Record<string, string | undefined> };
  code?: string;
  message?: string;
}

/** The codes WooCommerce answers when the key is gone or not ours (class-wc-rest-authentication.php, the controllers' permission checks). */
const REVOKED_CODES = new Set(['woocommerce_rest_authentication_error', 'woocommerce_rest_cannot_view', 'woocommerce_rest_authentication_missing_parameter']);
const FORBIDDEN_CODES = new Set(['woocommerce_rest_cannot_create', 'woocommerce_rest_cannot_edit', 'woocommerce_rest_cannot_delete']);

/**
 * The JS client's axios errors → domain/platform-errors.ts. WooCommerce answers `{code, message, data:{status}}`;
 * hosts in front of it may answer HTML (a WAF, a PHP crash): only the status counts then. Not a platform error
 * (a bug of ours): returned unchanged.
 */
export function translateWooError(error: unknown, ctx: WooCallContext): Error {
  if (error instanceof PlatformError) return error;
  const failure = error as AxiosLikeError;
  const response = failure?.response;
  if (!response) {
    if (failure && typeof failure === 'object' && ('code' in failure || 'message' in failure)) {
      return new PlatformUnavailableError(null, `${ctx.store} could not be reached; ledgerbridge will retry automatically.`, `${ctx.action}: no response (${failure.code ?? ''} ${failure.message ?? ''})`.trim());
    }
    return error instanceof Error ? error : new Error(String(error));
  }
  const body = (response.data && typeof response.data === 'object' ? response.data : {}) as { code?: string; message?: string };
  const excerpt = typeof response.data === 'string' ? response.data.slice(0, 300) : JSON.stringify(response.data ?? null).slice(0, 300);
  const detail = `${ctx.action}: HTTP ${response.status} ${body.code ?? ''} ${excerpt}`.trim();
  if (response.status === 401 && (!body.code || REVOKED_CODES.has(body.code))) {
    return new CredentialsInvalidError('revoked', `${ctx.store} no longer accepts ledgerbridge's API key (it was revoked or deleted in WooCommerce). Reconnect the store in ledgerbridge to resume syncing.`, detail);
  }
  if ((response.status === 401 || response.status === 403) && body.code && (FORBIDDEN_CODES.has(body.code) || /permissions/.test(body.message ?? ''))) {
    return new MissingScopeError(['read_write'], `${ctx.store}'s API key for ledgerbridge may not do this (it needs read/write access). Reconnect the store in ledgerbridge and approve read/write access.`, detail);
  }
  if (response.status === 429) {
    const retryAfter = Number(response.headers?.['retry-after']);
    return new RateLimitedError(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 10_000, `${ctx.store} asked ledgerbridge to slow down; orders wait and continue by themselves.`, detail);
  }
  if (response.status >= 500 || response.status === 408 || response.status === 403 || !body.code) {
    // 403 with an HTML body is a host's firewall, not WooCommerce: worth retrying, as the host may let us through later.
    return new PlatformUnavailableError(response.status, `${ctx.store} did not answer properly (HTTP ${response.status}); ledgerbridge will retry automatically.`, detail);
  }
  return new WooRequestRefusedError(response.status, body.code ?? 'unknown', `${ctx.store} refused the request: ${body.message ?? `HTTP ${response.status}`}`, detail);
}

/** A refusal of WooCommerce's own (400/404 with its code) that none of the domain errors names: the caller decides. */
export class WooRequestRefusedError extends Error {
  override readonly name = 'WooRequestRefusedError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}
