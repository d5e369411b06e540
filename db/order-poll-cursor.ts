import { eq, sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { orderPollCursors } from './schema.js';

/** Up to when every order the store changed was handed to the intake; null before the first poll that listed one. */
export async function pollCursorOf(db: Database, integrationId: string): Promise<Date | null> {
  const [row] = await db.select({ until: orderPollCursors.handedOverUntil }).from(orderPollCursors).where(eq(orderPollCursors.integrationId, integrationId));
  return row?.until ?? null;
}

/**
 * A page of changes was handed over: the cursor moves up to its newest change, never back (a page listed in the
 * overlap of an earlier one holds older changes).
 */
export async function advancePollCursor(db: Database, integrationId: string, until: Date, handedOver: number): Promise<void> {
  await db
    .insert(orderPollCursors)
    .values({ integrationId, handedOverUntil: until, ordersHandedOver: handedOver, lastPolledAt: sql`now()`, lastError: null })
    .onConflictDoUpdate({
      target: orderPollCursors.integrationId,
      set: {
        handedOverUntil: sql`greatest(${orderPollCursors.handedOverUntil}, excluded.handed_over_until)`,
        ordersHandedOver: sql`${orderPollCursors.ordersHandedOver} + excluded.orders_handed_over`,
        lastPolledAt: sql`now()`,
        lastError: null,
      },
    });
}

/** A poll that listed nothing new (the cursor stays) or failed (the cursor stays, and says why). */
export async function recordPollWithoutProgress(db: Database, integrationId: string, start: Date, error: string | null): Promise<void> {
  await db
    .insert(orderPollCursors)
    .values({ integrationId, handedOverUntil: start, lastPolledAt: sql`now()`, lastError: error })
    .onConflictDoUpdate({ target: orderPollCursors.integrationId, set: { lastPolledAt: sql`now()`, lastError: error } });
}
