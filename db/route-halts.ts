import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from './database.js';
import { routeHalts } from './schema.js';

export type RouteHaltRow = typeof routeHalts.$inferSelect;
export type RouteHaltReason = 'duplicate_document' | 'clearing_drift';

/** The route's hard stop if it is on (not yet released), else null. */
export async function activeRouteHalt(db: Database, routeId: string): Promise<RouteHaltRow | null> {
  const [row] = await db.select().from(routeHalts).where(and(eq(routeHalts.routeId, routeId), isNull(routeHalts.releasedAt)));
  return row ?? null;
}

/**
 * Turns the route's hard stop on. Only the first of several finders (an audit and a sync at once) creates it: the
 * partial unique index keeps one active halt per route. Answers the active halt and whether this call created it.
 */
export async function haltRoute(
  db: Database,
  routeId: string,
  halt: { reason: RouteHaltReason; message: string; detail: Record<string, unknown> },
): Promise<{ halt: RouteHaltRow; created: boolean }> {
  const inserted = await db
    .insert(routeHalts)
    .values({ id: randomUUID(), routeId, reason: halt.reason, message: halt.message, detail: halt.detail })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { halt: inserted[0], created: true };
  const active = await activeRouteHalt(db, routeId);
  if (!active) throw new Error(`route ${routeId}: the halt conflicted but no active halt exists`);
  return { halt: active, created: false };
}

/** Releases the route's hard stop; null when it was not on. */
export async function releaseRoute(db: Database, routeId: string, releasedBy: string): Promise<RouteHaltRow | null> {
  const [released] = await db
    .update(routeHalts)
    .set({ releasedAt: new Date(), releasedBy })
    .where(and(eq(routeHalts.routeId, routeId), isNull(routeHalts.releasedAt)))
    .returning();
  return released ?? null;
}
