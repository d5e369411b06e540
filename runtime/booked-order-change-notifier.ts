import { and, eq } from 'drizzle-orm';
import { activityLog } from '../activities/activity-log.js';
import { recordLink } from '../activities/integration-health-notifications.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import type { Database } from '../db/database.js';
import { integrationNotifications, integrations, orderSyncs, syncRoutes } from '../db/schema.js';
import { composeBookedOrderChangeEmail } from '../notifications/booked-order-change-email.js';
import type { Mailer } from '../notifications/mail-transport.js';

export interface BookedOrderChangeNotifierDeps {
  db: Database;
  mailer: Mailer;
  publicBaseUrl: string;
  log?: (line: string, error?: unknown) => void;
}

/**
 * Emails the ledger integration's recipients once per change the shop made to a booked order. Best
 * effort: a mail failure never fails the sync or the webhook, the change stays on the order's row.
 */
export function createBookedOrderChangeNotifier(deps: BookedOrderChangeNotifierDeps): BookedOrderChangeSink {
  const log = deps.log ?? ((line: string, error?: unknown) => activityLog('warn', line, error ? { error: (error as Error).message ?? String(error) } : {}));
  return {
    async bookedOrderChanged({ routeId, orderId, change }) {
      const key = `booked-change:${routeId}:${orderId}:${change.kind}:${change.shopUpdatedAt ?? ''}`;
      try {
        const [already] = await deps.db.select({ key: integrationNotifications.key }).from(integrationNotifications).where(eq(integrationNotifications.key, key));
        if (already) return;
        const [found] = await deps.db
          .select({ ledgerId: integrations.id, ledgerName: integrations.displayName, notifyEmails: integrations.notifyEmails, orderName: orderSyncs.orderName })
          .from(orderSyncs)
          .innerJoin(syncRoutes, eq(syncRoutes.id, orderSyncs.routeId))
          .innerJoin(integrations, eq(integrations.id, syncRoutes.targetIntegrationId))
          .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, orderId)));
        if (!found) return;
        const to = found.notifyEmails.filter((address) => address.trim() !== '');
        if (to.length === 0) {
          log(`ledgerbridge: not emailing the change to booked order ${found.orderName ?? orderId}: no alert recipients are configured for ${found.ledgerName}`);
          return;
        }
        const link = recordLink(deps.publicBaseUrl, { routeId, orderId, orderName: found.orderName });
        const email = composeBookedOrderChangeEmail({ ledgerName: found.ledgerName, orderLabel: link.label, orderUrl: link.url, kind: change.kind, message: change.message });
        const sent = await deps.mailer.send({ to, ...email });
        await deps.db
          .insert(integrationNotifications)
          .values({ key, integrationId: found.ledgerId, incidentId: `order:${routeId}:${orderId}`, kind: 'booked_order_change', recipients: to, subject: email.subject, messageId: sent.messageId })
          .onConflictDoNothing();
      } catch (error) {
        log(`ledgerbridge: could not email the change to booked order ${orderId} of route ${routeId}; it is on the order's row`, error);
      }
    },
  };
}
