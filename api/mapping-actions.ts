import type { Database } from '../db/database.js';
import { skuMappings, taxMappings } from '../db/schema.js';
import type { BackgroundResumptions } from './background-resumptions.js';

/**
 * Saving a mapping, for the API and the console alike: upsert, then resume the route's orders and refunds waiting on
 * it and those the ledger refused (they map every line again). `resumed` is how many were queued.
 */
export async function saveSkuMapping(db: Database, resumptions: BackgroundResumptions, routeId: string, sku: string, ledgerItemId: string) {
  const [mapping] = await db
    .insert(skuMappings)
    .values({ routeId, sku, ledgerItemId })
    .onConflictDoUpdate({ target: [skuMappings.routeId, skuMappings.sku], set: { ledgerItemId } })
    .returning();
  const resumed = await resumptions.enqueue({ routeId, waitingOn: `sku:${sku}`, orRefusedByLedger: true, includeRefundSyncs: true }, 'mappingSaved', 'sku mapping saved');
  return { mapping: mapping!, resumed };
}

export async function saveTaxMapping(db: Database, resumptions: BackgroundResumptions, routeId: string, taxKey: string, ledgerTaxCodeId: string) {
  const [mapping] = await db
    .insert(taxMappings)
    .values({ routeId, taxKey, ledgerTaxCodeId })
    .onConflictDoUpdate({ target: [taxMappings.routeId, taxMappings.taxKey], set: { ledgerTaxCodeId } })
    .returning();
  const resumed = await resumptions.enqueue({ routeId, waitingOn: `tax:${taxKey}`, orRefusedByLedger: true, includeRefundSyncs: true }, 'mappingSaved', 'tax mapping saved');
  return { mapping: mapping!, resumed };
}
