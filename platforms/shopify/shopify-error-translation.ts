import { GraphqlQueryError, HttpRequestError, HttpResponseError, HttpThrottlingError, HttpMaxRetriesError } from '@shopify/shopify-api';
import {
  CredentialsInvalidError,
  MissingScopeError,
  PlatformError,
  PlatformUnavailableError,
  RateLimitedError,
} from '../../domain/platform-errors.js';

export interface ShopifyCallContext {
  shop: string;
  /** What we were doing, for the engineer: "reading order 1001". */
  action: string;
  /** Scope the call needs, named when Shopify denies access without saying which. */
  scope?: string;
}

interface GraphqlErrorEntry {
  message?: string;
  extensions?: { code?: string; requiredAccess?: string };
}

interface QueryCost {
  requestedQueryCost?: number;
  throttleStatus?: { currentlyAvailable?: number; restoreRate?: number };
}

/** Waits at least this long after THROTTLED, so a forced throttle with a full bucket is not retried at once. */
const MIN_THROTTLE_WAIT_MS = 1_000;

/**
 * Turns whatever the Shopify SDK threw into the errors of domain/platform-errors.ts. Errors that are not
 * the platform's (bugs in our query, unexpected shapes) come back unchanged.
 */
export function translateShopifyError(error: unknown, ctx: ShopifyCallContext): Error {
  if (error instanceof PlatformError) return error;
  if (error instanceof GraphqlQueryError) return fromGraphqlErrors(error, ctx);
  if (error instanceof HttpResponseError) return fromHttpStatus(error, ctx);
  if (error instanceof HttpRequestError || error instanceof HttpMaxRetriesError || isNetworkError(error)) {
    return new PlatformUnavailableError(
      null,
      `Shopify could not be reached for ${ctx.shop}; ledgerbridge will retry automatically.`,
      `${ctx.action}: no response (${describe(error)})`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function credentialsRejected(ctx: ShopifyCallContext, detail: string): CredentialsInvalidError {
  return new CredentialsInvalidError(
    'revoked',
    `Shopify no longer accepts ledgerbridge's access for ${ctx.shop}. Reconnect the store in ledgerbridge to resume syncing.`,
    `${ctx.action}: ${detail}`,
  );
}

function fromGraphqlErrors(error: GraphqlQueryError, ctx: ShopifyCallContext): Error {
  const body = (error.body ?? {}) as { errors?: { graphQLErrors?: GraphqlErrorEntry[] }; extensions?: { cost?: QueryCost } };
  const entries = body.errors?.graphQLErrors ?? [];
  const detail = `${ctx.action}: GraphQL errors ${JSON.stringify(entries).slice(0, 600)}`;
  const codes = entries.map((entry) => entry.extensions?.code);
  if (codes.includes('THROTTLED')) {
    const cost = body.extensions?.cost;
    const requested = cost?.requestedQueryCost ?? 0;
    const available = cost?.throttleStatus?.currentlyAvailable ?? 0;
    const restoreRate = cost?.throttleStatus?.restoreRate || 50;
    // The bucket must refill to the requested cost: (requested − available) / restoreRate seconds.
    const waitMs = Math.max(MIN_THROTTLE_WAIT_MS, Math.ceil(((requested - available) / restoreRate) * 1000));
    return new RateLimitedError(
      waitMs,
      `Shopify asked ledgerbridge to slow down for ${ctx.shop}; syncing continues automatically shortly.`,
      `${detail}; cost ${JSON.stringify(cost ?? null)}`,
    );
  }
  if (codes.includes('ACCESS_DENIED')) {
    const named = entries.flatMap((entry) =>
      [...`${entry.extensions?.requiredAccess ?? ''} ${entry.message ?? ''}`.matchAll(/`(\w+)`/g)].map((m) => m[1]!),
    );
    const missing = [...new Set(named.length > 0 ? named : ctx.scope ? [ctx.scope] : [])];
    return new MissingScopeError(
      missing,
      `ledgerbridge is not allowed to ${permissionText(missing)} in ${ctx.shop}. Reconnect the store and approve the requested access.`,
      detail,
    );
  }
  return new Error(`Shopify rejected a query from ledgerbridge (${detail})`);
}

function fromHttpStatus(error: HttpResponseError, ctx: ShopifyCallContext): Error {
  const status = error.response.code;
  const detail = `${ctx.action}: HTTP ${status} ${error.response.statusText ?? ''} ${JSON.stringify(error.response.body ?? null).slice(0, 400)}`;
  if (status === 401) return credentialsRejected(ctx, detail);
  if (status === 403) {
    return new MissingScopeError(
      ctx.scope ? [ctx.scope] : [],
      `ledgerbridge is not allowed to ${permissionText(ctx.scope ? [ctx.scope] : [])} in ${ctx.shop}. Reconnect the store and approve the requested access.`,
      detail,
    );
  }
  if (status === 404) {
    return new CredentialsInvalidError(
      'uninstalled',
      `Shopify says the store ${ctx.shop} does not exist any more. Check the store address and reconnect it.`,
      detail,
    );
  }
  if (status === 429) {
    const retryAfterS = error instanceof HttpThrottlingError ? error.response.retryAfter : undefined;
    return new RateLimitedError(
      Math.max(MIN_THROTTLE_WAIT_MS, Math.ceil((retryAfterS ?? 2) * 1000)),
      `Shopify asked ledgerbridge to slow down for ${ctx.shop}; syncing continues automatically shortly.`,
      detail,
    );
  }
  if (status === 402 || status === 423) {
    return new PlatformUnavailableError(
      status,
      status === 402
        ? `The Shopify store ${ctx.shop} is frozen until its Shopify bill is paid; ledgerbridge will retry.`
        : `The Shopify store ${ctx.shop} is locked by Shopify; ledgerbridge will retry.`,
      detail,
    );
  }
  if (status >= 500) {
    return new PlatformUnavailableError(status, `Shopify is having trouble answering for ${ctx.shop}; ledgerbridge will retry automatically.`, detail);
  }
  return new Error(`Shopify refused a request from ledgerbridge (${detail})`);
}

function permissionText(scopes: string[]): string {
  if (scopes.length === 0) return 'read the data it needs';
  return `read ${scopes.map((s) => s.replace(/^(read|write)_(all_)?/, '').replace(/_/g, ' ')).join(' and ')}`;
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed|network|socket/i.test(`${error.message} ${String(error.cause ?? '')}`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `; cause: ${error.cause.message}` : '';
  return `${error.name}: ${error.message}${cause}`.slice(0, 400);
}
