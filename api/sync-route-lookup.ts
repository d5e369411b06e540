import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { syncRoutes } from '../db/schema.js';
import { notFound } from './api-error.js';

/** The sync route, or a 404 naming it. */
export async function requireSyncRoute(db: Database, routeId: string) {
  const [route] = await db.select().from(syncRoutes).where(eq(syncRoutes.id, routeId));
  if (!route) throw notFound(`There is no sync route "${routeId}".`);
  return route;
}
