import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { syncRoutes } from '../db/schema.js';
import { queueOrderEvents, type QueuedOrderEvent } from '../db/webhook-intake.js';
import { amountsIn } from '../domain/money.js';
import { SyncErrorType } from '../domain/sync-error-types.js';
import { DEFAULT_CLAIM_LEASE_MS } from '../runtime/order-intake-drainer.js';
import type { RouteConnections } from './route-connections.js';
import { knownOrderNow, refundedBeyondListed, refundIntakeEvent } from './store-order-reads.js';
import { againstPlatform, syncFailure } from './sync-failures.js';

export interface RefundDiscoveryDeps {
  db: Database;
  connections: RouteConnections;
}

export interface DiscoverRefundsInput {
  integrationId: string;
  orderId: string;
  /** The last re-read: the order's change is judged with what the store lists now, explained or not. */
  last: boolean;
}

export type DiscoverRefundsResult =
  /** Nothing left to discover: the integration, its routes or the order are gone. */
  | { status: 'gone'; reason: string }
  | {
      status: 'read';
      /** Refunds the store lists, each queued once (by its id) however often it is read. */
      refundsListed: number;
      /** What the order shows refunded beyond the listed refunds ("5.00 GBP"); null when the listing explains it all. */
      unexplained: string | null;
      /** The order's change was queued for judgement (explained, or the last re-read). */
      judged: boolean;
    };

/**
 * The activity of refundDiscoveryWorkflow: reads a refunded order and the refunds its store lists, through the
 * store's CommerceSource as reconciliation polling does, and hands them to the order intake: each refund under the
 * one event id every way of finding it uses, and the order's state for the booked order's change judgement once the
 * listed refunds explain what the order shows refunded (or on the last re-read). Platform errors are typed
 * (activities/sync-failures.ts): an outage is retried by the activity, a reconnect waited for by the workflow.
 */
export function createRefundDiscoveryActivities(deps: RefundDiscoveryDeps) {
  return {
    async discoverOrderRefunds(input: DiscoverRefundsInput): Promise<DiscoverRefundsResult> {
      const opened = await deps.connections.storeSource(input.integrationId);
      if (!opened) return { status: 'gone', reason: 'the integration was deleted' };
      const { integration, source } = opened;
      const routes = await deps.db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, integration.id));
      if (routes.length === 0) return { status: 'gone', reason: 'no sync route reads from the store any more' };
      if (integration.status === 'reconnect_required') {
        // Known refused: no call until it is reconnected (the workflow looks again later).
        throw syncFailure(SyncErrorType.CredentialsInvalid, `${integration.displayName} needs to be reconnected before its refunds can be read.`, {
          detail: `integration ${integration.id} status reconnect_required`,
          integrationId: integration.id,
          waitingOn: integration.id,
        });
      }
      const now = await againstPlatform(integration, () => knownOrderNow(source, input.orderId, true));
      if (!now) return { status: 'gone', reason: 'the order is no longer in the store' };
      const beyond = refundedBeyondListed(now);
      const orderName = now.reference.orderName;
      const events: QueuedOrderEvent[] = now.refunds.map((refund) => refundIntakeEvent(integration, input.orderId, orderName, refund.id, 'refunds/discovered'));
      const judged = beyond === 0 || input.last;
      if (judged) {
        // One judgement per state of the order and its listing: a re-read finding the same is a duplicate there.
        const state = `${now.reference.updatedAt ?? ''}:${now.reference.currentTotal ?? ''}:${now.refunds.length}`;
        events.push({ eventId: `refund-discovery:${integration.id}:${input.orderId}:${state}`, topic: 'orders/refund-discovered', shop: null, webhookId: null, integrationId: integration.id, orderId: input.orderId, orderReference: now.reference });
      }
      if (events.length > 0) await queueOrderEvents(deps.db, events, DEFAULT_CLAIM_LEASE_MS);
      const unexplained = beyond > 0 && now.order ? `${amountsIn(now.order.currency).amount(beyond)} ${now.order.currency}` : null;
      return { status: 'read', refundsListed: now.refunds.length, unexplained, judged };
    },
  };
}

export type RefundDiscoveryActivities = ReturnType<typeof createRefundDiscoveryActivities>;
