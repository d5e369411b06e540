import type { LedgerDocumentRef } from '../domain/accounting-target.js';
import { documentOwner } from '../domain/ledger-document-ownership.js';
import { ROUTE_RELEASE_WAIT, SyncErrorType } from '../domain/sync-error-types.js';
import type { Database } from '../db/database.js';
import { activeRouteHalt, haltRoute, type RouteHaltReason, type RouteHaltRow } from '../db/route-halts.js';
import { syncFailure } from './sync-failures.js';

/** Who hears that a route stopped posting (the one email); called again on every trip of the same halt, it sends once. */
export interface RouteHaltSink {
  routeHalted(halt: RouteHaltRow): Promise<void>;
}

/**
 * The hard stop, per route: tripped by whoever finds a duplicate (an audit, a sync's lookup), checked by every
 * booking right before the ledger write, released only by an operator (db/route-halts.ts releaseRoute).
 */
export class RouteBreaker {
  constructor(
    private readonly db: Database,
    private readonly sink: RouteHaltSink | null = null,
  ) {}

  /** Stops the route (or finds it stopped) and makes sure its recipients were told, once. */
  async trip(routeId: string, halt: { reason: RouteHaltReason; message: string; detail: Record<string, unknown> }): Promise<RouteHaltRow> {
    const { halt: active } = await haltRoute(this.db, routeId, halt);
    await this.sink?.routeHalted(active);
    return active;
  }

  /**
   * Whether a booking parked on the release (`waitingOn`) finds the route released by now: a release between the
   * booking's check and its row saying so found nothing to signal, so the booking must go on by itself.
   */
  async releasedMeanwhile(routeId: string, waitingOn: string | null | undefined): Promise<boolean> {
    return waitingOn === ROUTE_RELEASE_WAIT && (await activeRouteHalt(this.db, routeId)) === null;
  }

  /** Throws the booking's park ("halted") while the route is stopped; returns when it may post. `booking`: "Order #1001", "Payout 9001". */
  async assertPosting(routeId: string, booking: string): Promise<void> {
    const halt = await activeRouteHalt(this.db, routeId);
    if (!halt) return;
    throw syncFailure(SyncErrorType.RouteHalted, `${booking} is halted: posting on this route stopped. ${halt.message} It is booked once an operator releases the route.`, {
      detail: `route_halts ${halt.id} (${halt.reason}) since ${halt.haltedAt.toISOString()}`,
      waitingOn: ROUTE_RELEASE_WAIT,
    });
  }
}

/** Documents under the same number marked for the same order as `document` (a ledger allowing duplicate numbers). */
export function duplicatesOfOrder(document: LedgerDocumentRef, orderId: string): { id: string; docNumber: string }[] {
  if (documentOwner(document.marker, orderId).kind !== 'this_order') return [];
  return (document.sameNumber ?? []).filter((other) => documentOwner(other.marker, orderId).kind === 'this_order').map(({ id, docNumber }) => ({ id, docNumber }));
}

/** The halt a sync trips when its lookup finds the order's document twice. */
export function duplicateHalt(ledgerName: string, orderName: string, orderId: string, kept: { id: string; docNumber: string }, extra: { id: string; docNumber: string }[]) {
  const ids = extra.map((d) => d.id).join(', ');
  return {
    reason: 'duplicate_document' as const,
    message: `${ledgerName} holds order ${orderName} more than once: document ${ids} duplicates ${kept.id} (number ${kept.docNumber}). Void document ${ids}, a duplicate of ${kept.id}, then release the route.`,
    detail: { orderId, orderName, kept, duplicates: extra, foundBy: 'sync' },
  };
}
