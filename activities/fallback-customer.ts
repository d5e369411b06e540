import { and, eq } from 'drizzle-orm';
import type { AccountingTarget } from '../domain/accounting-target.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import type { Database } from '../db/database.js';
import { orderSyncs, type syncRoutes } from '../db/schema.js';
import type { FieldTruncator } from './field-truncator.js';
import { againstPlatform, type CalledIntegration } from './sync-failures.js';

/** Who an order books under when the shop withholds its customer's name and email, unless the route names someone. */
export const DEFAULT_FALLBACK_CUSTOMER_NAME = 'Shopify customer';

/**
 * The shop does not share the customer's name or email: the order still books, under the route's fallback
 * customer (one ledger contact for all such orders), and its row says why. Never a reconnect: only the
 * platform's approval would change it.
 */
export async function bookUnderFallbackCustomer(input: {
  db: Database;
  routeId: string;
  order: CommerceOrder;
  route: typeof syncRoutes.$inferSelect;
  target: AccountingTarget;
  integration: CalledIntegration;
  truncator: FieldTruncator;
}): Promise<{ customerId: string }> {
  const { db, routeId, order, route, target, integration, truncator } = input;
  const name = (route.fallbackCustomerName?.trim() || DEFAULT_FALLBACK_CUSTOMER_NAME).replace(/:/g, ' ');
  const displayName = await truncator.fit('customer.displayName', name, target.limits.customerDisplayName);
  // A ledger whose customers have one currency answers (or creates) the fallback customer of the order's currency,
  // e.g. "Shopify customer (EUR)"; the notice names the one used.
  const customer =
    (await againstPlatform(integration, () => target.findCustomer({ email: null, displayName, currency: order.currency }))) ??
    (await againstPlatform(integration, () =>
      target.createCustomer(
        { displayName, givenName: null, familyName: null, email: null, currency: order.currency },
        `cust:${routeId}:fallback:${displayName}:${order.currency}`,
      ),
    ));
  await db
    .update(orderSyncs)
    .set({ customerNotice: `${order.customerDataWithheld} Booked under "${customer.displayName}".` })
    .where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, order.id)));
  return { customerId: customer.id };
}
