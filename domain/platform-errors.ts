/**
 * Errors every platform client throws, whatever the platform. Activities turn them into
 * Temporal failures (activities/sync-failures.ts); nothing else needs to know a platform's error format.
 * `message` is for a bookkeeper; `detail` for an engineer (status, platform code, body excerpt).
 */
export abstract class PlatformError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type CredentialsProblem = 'expired' | 'revoked' | 'invalid_grant' | 'uninstalled' | 'missing';

/** The platform no longer accepts our credentials; only a person reconnecting can fix it. */
export class CredentialsInvalidError extends PlatformError {
  constructor(
    readonly problem: CredentialsProblem,
    message: string,
    detail: string,
  ) {
    super(message, detail);
  }
}

/** The grant lacks scopes we need. */
export class MissingScopeError extends PlatformError {
  constructor(
    readonly missingScopes: string[],
    message: string,
    detail: string,
  ) {
    super(message, detail);
  }
}

/** The platform asked us to slow down; retry after `retryAfterMs`. */
export class RateLimitedError extends PlatformError {
  constructor(
    readonly retryAfterMs: number,
    message: string,
    detail: string,
  ) {
    super(message, detail);
  }
}

/**
 * The ledger's allowance of calls for the day is used up (Xero: 5,000 per organisation). A throttle, so orders
 * wait rather than fail; `resetsAt` (ISO) says when the day rolls over, and `retryAfterMs` reaches it.
 */
export class DailyQuotaExhaustedError extends RateLimitedError {
  constructor(
    retryAfterMs: number,
    readonly resetsAt: string,
    message: string,
    detail: string,
  ) {
    super(retryAfterMs, message, detail);
  }
}

/** 5xx, timeouts, dropped connections: worth retrying with backoff. */
export class PlatformUnavailableError extends PlatformError {
  constructor(
    readonly status: number | null,
    message: string,
    detail: string,
  ) {
    super(message, detail);
  }
}

/** The ledger refused a document for a reason a person must look at (e.g. an inactive account). */
export class LedgerRejectedError extends PlatformError {
  constructor(
    readonly code: string,
    message: string,
    detail: string,
  ) {
    super(message, detail);
  }
}

/**
 * The route lacks a ledger setting only a person can choose (the bank account payouts go to), or names something the
 * ledger has not (an account "Shopify Clearing" nobody created). The document waits for the choice; nothing was sent.
 */
export class LedgerSettingMissingError extends PlatformError {
  constructor(
    /** The route option to choose or correct ("payoutBankAccount"). */
    readonly option: string,
    message: string,
    detail: string,
  ) {
    super(message, detail);
  }
}

/**
 * The ledger is reached through a program on the bookkeeper's side (the QuickBooks Web Connector) that has not come
 * for the request: nobody refused anything, the order waits for its next visit. A refusal in form (its code is the
 * wait key) so code that knows only refusals still parks the order rather than retrying it.
 */
export class LedgerConnectorAbsentError extends LedgerRejectedError {}

/**
 * The ledger keeps display names unique across its contacts (customers, vendors, employees) and this one is
 * taken by a contact that is not the customer we look for: the engine tries the next form of the name.
 */
export class DisplayNameTakenError extends LedgerRejectedError {}
