/**
 * The one list of failure types the engine knows. Activities throw ApplicationFailures with these
 * `type`s, workflows branch on them, the API and the UI show them (search attribute SyncErrorCode).
 * Pure data: safe to import from workflow code.
 */
export const SyncErrorType = {
  /** Token expired, revoked, app uninstalled: a person must reconnect. Not retryable. */
  CredentialsInvalid: 'CredentialsInvalid',
  /** The grant lacks a scope we need: a person must reconnect and grant it. Not retryable. */
  MissingScope: 'MissingScope',
  /** A line's SKU matches no ledger item and has no mapping. Not retryable. */
  SkuNotFound: 'SkuNotFound',
  /** A tax line (jurisdiction + rate) has no ledger tax code. Not retryable. */
  TaxCodeUnmapped: 'TaxCodeUnmapped',
  /** The platform throttled us; retried after its Retry-After. */
  Throttled: 'Throttled',
  /**
   * The ledger's allowance of calls for the day is used up (Xero: 5,000 per organisation): the order waits,
   * visibly, and is tried again on the failed-order re-check until the day rolls over. Never a failure.
   */
  DailyQuotaExhausted: 'DailyQuotaExhausted',
  /**
   * The ledger is reached through a program on the bookkeeper's PC (QuickBooks Web Connector) that has not come:
   * the order waits (Waiting, not Failed) and goes on at its next visit. Not retryable.
   */
  LedgerNotConnected: 'LedgerNotConnected',
  /** 5xx, timeout, dropped connection; retried with backoff. */
  PlatformUnavailable: 'PlatformUnavailable',
  /** The ledger refused the document for a reason a person must look at. Not retryable. */
  LedgerRejected: 'LedgerRejected',
  /** The shop says the order does not exist (deleted, or wrong id). Not retryable. */
  OrderNotFound: 'OrderNotFound',
  /** The route or integration is missing from our database. Not retryable. */
  IntegrationUnavailable: 'IntegrationUnavailable',
  /** An operator paused (disconnected) the integration: syncs wait until it is resumed. Not retryable. */
  IntegrationPaused: 'IntegrationPaused',
  /** The order's document number is used by a document we booked for another order (two shops, one ledger). Not retryable. */
  DocumentNumberTaken: 'DocumentNumberTaken',
  /**
   * The ledger booked the order at another total than the shop charged (a tax code's rate, rounding, automated
   * tax). The document exists; a person corrects it, and a retry checks it again. Not retryable.
   */
  LedgerTotalMismatch: 'LedgerTotalMismatch',
  /**
   * A payout would leave the clearing account with a balance for its orders (the shop paid out other amounts than the
   * ledger holds for them). Nothing is booked; a person corrects the ledger (or the shop's record), then retries. Not retryable.
   */
  ClearingMismatch: 'ClearingMismatch',
  /** The route lacks a ledger setting a person must choose (a payout's bank or fee account), or names an account the ledger has not. Not retryable. */
  LedgerSettingMissing: 'LedgerSettingMissing',
  /**
   * The route's hard stop is on (a duplicate document was found): nothing is booked until an operator releases
   * it; the order waits as "halted" and books once released. Not retryable.
   */
  RouteHalted: 'RouteHalted',
} as const;

export type SyncErrorType = (typeof SyncErrorType)[keyof typeof SyncErrorType];

/** What a person must do about a failure, which decides how the workflow waits. */
export type ParkReason = 'reconnect' | 'fix' | 'retry';

export function parkReasonFor(type: string): ParkReason | null {
  switch (type) {
    case SyncErrorType.CredentialsInvalid:
    case SyncErrorType.MissingScope:
    case SyncErrorType.IntegrationPaused:
      return 'reconnect';
    case SyncErrorType.SkuNotFound:
    case SyncErrorType.TaxCodeUnmapped:
    case SyncErrorType.LedgerRejected:
    case SyncErrorType.OrderNotFound:
    case SyncErrorType.IntegrationUnavailable:
    case SyncErrorType.DocumentNumberTaken:
    case SyncErrorType.LedgerTotalMismatch:
    case SyncErrorType.ClearingMismatch:
    case SyncErrorType.LedgerSettingMissing:
    case SyncErrorType.LedgerNotConnected:
    case SyncErrorType.RouteHalted:
      return 'fix';
    case SyncErrorType.Throttled:
    case SyncErrorType.DailyQuotaExhausted:
    case SyncErrorType.PlatformUnavailable:
      return 'retry';
    default:
      return null;
  }
}

/**
 * Whether the order's row says Waiting rather than Failed (both re-checked on a timer): it waits on a person
 * (reconnecting, or a fix only a person can make in our settings), or on a day's quota to reset, which is
 * nobody's failure.
 */
export function waitsOnPerson(type: string): boolean {
  return (
    parkReasonFor(type) === 'reconnect' ||
    type === SyncErrorType.SkuNotFound ||
    type === SyncErrorType.TaxCodeUnmapped ||
    type === SyncErrorType.DocumentNumberTaken ||
    type === SyncErrorType.LedgerTotalMismatch ||
    type === SyncErrorType.ClearingMismatch ||
    type === SyncErrorType.LedgerSettingMissing ||
    type === SyncErrorType.DailyQuotaExhausted ||
    type === SyncErrorType.LedgerNotConnected ||
    type === SyncErrorType.RouteHalted
  );
}

/**
 * What an order parked on a taken document number waits on: a different prefix for its route than the
 * one it was numbered with ("document-number-prefix:" when it had none).
 */
export function documentNumberPrefixWait(prefixUsed: string | null): string {
  return `document-number-prefix:${prefixUsed ?? ''}`;
}

/** What an order parked by its route's hard stop waits on: the operator's release of the route. */
export const ROUTE_RELEASE_WAIT = 'route-release';

/** What waits on the ledger refusing a document start with (`ledger:<the ledger's error code>`). */
export const LEDGER_REFUSAL_WAIT_PREFIX = 'ledger:';

/**
 * What an order whose document the ledger refused waits on. The refusal (an item or tax code made inactive, say)
 * does not name the mapping that would fix it, so a saved mapping resumes every such order of its route.
 */
export function ledgerRefusalWait(ledgerErrorCode: string): string {
  return `${LEDGER_REFUSAL_WAIT_PREFIX}${ledgerErrorCode}`;
}

/** Details carried in every sync ApplicationFailure (failure.details[0]). */
export interface SyncFailureDetails {
  /** For an engineer: status code, platform error code, body excerpt. */
  detail: string;
  /** The integration at fault, when one is. */
  integrationId: string | null;
  /** What to fix, as stored in order_syncs.waiting_on: "sku:ABC", "tax:VAT@20", an integration id. */
  waitingOn: string | null;
  /** Credentials failures: the grant (integrations.grant_generation) the failing call ran under. */
  grantGeneration?: number;
  /** SKU failures: near matches among the ledger's items. */
  suggestions?: { sku: string; candidates: { itemId: string; name: string; sku: string | null }[] }[];
}
