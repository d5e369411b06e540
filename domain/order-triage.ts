import { ROUTE_RELEASE_WAIT, SyncErrorType } from './sync-error-types.js';

/**
 * What a bookkeeper does about an order, in the words of their triage. Pure data: the console renders it,
 * the order-sync workflow uses `currentDetailsFor` for Temporal's user metadata.
 */
export type NextStep =
  /** Credentials: reconnect this integration (its id when the failure named it). */
  | { kind: 'reconnect'; integrationId: string | null }
  /** An unknown SKU: map it to a ledger item. */
  | { kind: 'map_sku'; sku: string }
  /** A tax line with no ledger tax code: map it. */
  | { kind: 'map_tax'; taxKey: string }
  /** Throttled, a day's quota, an outage, the ledger's PC program away: it goes on by itself. */
  | { kind: 'nothing' }
  /** Fix something in the ledger or the route's settings, then Retry. */
  | { kind: 'fix_then_retry' }
  /** The route's hard stop is on: fix what it names in the ledger, then release the route. */
  | { kind: 'release_route' }
  /** Booked (or skipped): nothing left to do. */
  | { kind: 'done' };

export interface OrderTriage {
  /** What happened, in a sentence. */
  diagnosis: string;
  /** What to do now, in a sentence. */
  nextStep: string;
  step: NextStep;
}

export interface OrderTriageInput {
  status: string;
  waitingOn: string | null;
  lastError: { code: string; message: string } | null;
  /** Fields the ledger could only take shortened. */
  truncatedCount: number;
}

const waitsItOut: ReadonlySet<string> = new Set([SyncErrorType.Throttled, SyncErrorType.DailyQuotaExhausted, SyncErrorType.PlatformUnavailable, SyncErrorType.LedgerNotConnected, 'WorkerLost']);

export function orderTriage(order: OrderTriageInput): OrderTriage {
  const code = order.lastError?.code ?? null;
  const message = order.lastError?.message ?? '';
  if (order.status === 'synced' || order.status === 'skipped') {
    const shortened = order.truncatedCount > 0;
    return {
      diagnosis: order.status === 'skipped' ? 'The order was cancelled before it was booked; nothing was written to the ledger.' : 'Booked in the ledger.',
      nextStep: shortened
        ? `Nothing to do: ${order.truncatedCount} field(s) were too long for the ledger and were shortened; the order's page shows their full text.`
        : 'Nothing to do.',
      step: { kind: 'done' },
    };
  }
  if (order.status === 'pending' || order.status === 'syncing' || !code) {
    return { diagnosis: 'The order is being synced.', nextStep: 'Nothing to do: it books by itself.', step: { kind: 'nothing' } };
  }
  if (code === SyncErrorType.CredentialsInvalid || code === SyncErrorType.MissingScope || code === SyncErrorType.IntegrationPaused) {
    return {
      diagnosis: message,
      nextStep:
        code === SyncErrorType.IntegrationPaused
          ? 'Resume the integration; the order goes on by itself once it is Connected.'
          : 'Reconnect the integration; the order goes on by itself once it is Connected.',
      step: { kind: 'reconnect', integrationId: order.waitingOn && !order.waitingOn.includes(':') ? order.waitingOn : null },
    };
  }
  if (code === SyncErrorType.SkuNotFound && order.waitingOn?.startsWith('sku:')) {
    const sku = order.waitingOn.slice(4);
    return { diagnosis: message, nextStep: `Map the SKU ${sku} to an item of your ledger; the order books as soon as it is saved.`, step: { kind: 'map_sku', sku } };
  }
  if (code === SyncErrorType.TaxCodeUnmapped && order.waitingOn?.startsWith('tax:')) {
    const taxKey = order.waitingOn.slice(4);
    return { diagnosis: message, nextStep: `Map the tax ${taxKey} to a tax code of your ledger; the order books as soon as it is saved.`, step: { kind: 'map_tax', taxKey } };
  }
  if (code === SyncErrorType.RouteHalted) {
    return {
      diagnosis: message,
      nextStep: "Fix what the route's halt names in the ledger (void the duplicate), then release the route; the order books by itself, once.",
      step: { kind: 'release_route' },
    };
  }
  if (waitsItOut.has(code)) {
    return { diagnosis: message, nextStep: 'Nothing to do: ledgerbridge waits and tries again by itself.', step: { kind: 'nothing' } };
  }
  return { diagnosis: message, nextStep: 'Fix what the message says (in the ledger or the route settings), then press Retry.', step: { kind: 'fix_then_retry' } };
}

/**
 * The workflow's current details for Temporal UI ("waiting for a SKU mapping: TEE-BLU-L"), from its state and
 * what it waits on. Short: the workflow list shows it next to the summary.
 */
export function currentDetailsFor(state: string, waitingOn: string | null): string {
  if (state === 'waiting_for_fix' && waitingOn?.startsWith('sku:')) return `waiting for a SKU mapping: ${waitingOn.slice(4)}`;
  if (state === 'waiting_for_fix' && waitingOn?.startsWith('tax:')) return `waiting for a tax mapping: ${waitingOn.slice(4)}`;
  if (state === 'waiting_for_fix' && waitingOn === ROUTE_RELEASE_WAIT) return 'halted: waiting for the route to be released';
  if (state === 'waiting_for_reconnect') return waitingOn ? `waiting for a reconnect of ${waitingOn}` : 'waiting for a reconnect';
  if (state === 'waiting_for_fix') return waitingOn ? `waiting for a fix: ${waitingOn}` : 'waiting for a fix';
  if (state === 'waiting_for_retry') return 'waiting to try again';
  if (state === 'synced') return 'booked';
  if (state === 'already_synced') return 'already in the ledger';
  if (state === 'skipped') return 'skipped (cancelled in the shop)';
  return 'syncing';
}
