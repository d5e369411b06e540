import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { integrations, syncRoutes } from '../db/schema.js';

export interface ShopRoutes {
  integrationId: string;
  routeIds: string[];
}

/** The Shopify integration connected to this shop domain and the sync routes reading from it; null if none. */
export async function shopRoutesOf(db: Database, shop: string): Promise<ShopRoutes | null> {
  const [integration] = await db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.platform, 'shopify'), sql`lower(${integrations.account}->>'shop') = ${shop.toLowerCase()}`))
    .orderBy(integrations.number)
    .limit(1);
  if (!integration) return null;
  const routes = await db.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, integration.id));
  return { integrationId: integration.id, routeIds: routes.map((r) => r.id) };
}
