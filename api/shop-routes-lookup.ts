import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { integrations, syncRoutes } from '../db/schema.js';

export interface ShopRoutes {
  /** Every Shopify integration connected to the shop (an uninstall ends them all). */
  integrationIds: string[];
  routeIds: string[];
}

/** The Shopify integrations connected to this shop domain and the sync routes reading from them; null if none. */
export async function shopRoutesOf(db: Database, shop: string): Promise<ShopRoutes | null> {
  const found = await db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.platform, 'shopify'), sql`lower(${integrations.account}->>'shop') = ${shop.toLowerCase()}`))
    .orderBy(integrations.number);
  if (found.length === 0) return null;
  const integrationIds = found.map((i) => i.id);
  const routes = await db.select({ id: syncRoutes.id }).from(syncRoutes).where(inArray(syncRoutes.sourceIntegrationId, integrationIds));
  return { integrationIds, routeIds: routes.map((r) => r.id) };
}

/** The sync routes reading from one shop integration (platforms whose webhooks name their integration). */
export async function integrationRouteIds(db: Database, integrationId: string): Promise<string[]> {
  const routes = await db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, integrationId));
  return routes.map((r) => r.id);
}
