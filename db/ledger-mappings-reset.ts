import { eq, inArray } from 'drizzle-orm';
import type { Database } from './database.js';
import { skuMappings, syncRoutes, taxMappings } from './schema.js';

/**
 * Deletes the SKU and tax mappings of every route that books into this ledger integration: they name the
 * ledger's item and tax code ids, which mean other things (or nothing) in another company. Answers how many
 * mappings were deleted. A shop integration books into no route, so nothing is deleted for it.
 */
export async function clearLedgerMappingsOf(db: Database, ledgerIntegrationId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const routes = (await tx.select({ id: syncRoutes.id }).from(syncRoutes).where(eq(syncRoutes.targetIntegrationId, ledgerIntegrationId))).map((r) => r.id);
    if (routes.length === 0) return 0;
    const skus = await tx.delete(skuMappings).where(inArray(skuMappings.routeId, routes)).returning({ routeId: skuMappings.routeId });
    const taxes = await tx.delete(taxMappings).where(inArray(taxMappings.routeId, routes)).returning({ routeId: taxMappings.routeId });
    return skus.length + taxes.length;
  });
}
