import { syncRoutes, integrations } from '../../../db/schema.js';
import type { Database } from '../../../db/database.js';
import type { LedgerDocumentKind } from '../../../platforms/platform.js';
import type { PlatformRegistry } from '../../../platforms/registry.js';

export interface RouteEntry {
  id: string;
  /** "Shopify #1 → QuickBooks Online #1". */
  label: string;
  sourceIntegrationId: string;
  targetIntegrationId: string;
  ledgerName: string;
  /** The ledger's page of a booked document (a sale's unless `kind` says refund), where the ledger has one (platforms/…: documentUrl). */
  documentUrl(document: { id: string | null; docNumber: string | null; kind?: LedgerDocumentKind }): string | null;
}

export interface IntegrationEntry {
  id: string;
  displayName: string;
}

/** Every route with its integrations' names, for filters and rows (a few dozen rows: read whole). */
export async function routeDirectory(db: Database, platforms: PlatformRegistry): Promise<{ routes: Map<string, RouteEntry>; integrations: IntegrationEntry[] }> {
  const [routeRows, integrationRows] = await Promise.all([db.select().from(syncRoutes).orderBy(syncRoutes.id), db.select().from(integrations).orderBy(integrations.displayName)]);
  const byId = new Map(integrationRows.map((row) => [row.id, row]));
  const routes = new Map<string, RouteEntry>();
  for (const route of routeRows) {
    const source = byId.get(route.sourceIntegrationId);
    const target = byId.get(route.targetIntegrationId);
    const ledgerName = target?.displayName ?? route.targetIntegrationId;
    routes.set(route.id, {
      id: route.id,
      label: `${source?.displayName ?? route.sourceIntegrationId} → ${ledgerName}`,
      sourceIntegrationId: route.sourceIntegrationId,
      targetIntegrationId: route.targetIntegrationId,
      ledgerName,
      documentUrl: (document) => {
        if (!target || !document.id) return null;
        let platform;
        try {
          platform = platforms.get(target.platform);
        } catch {
          return null;
        }
        return platform.role === 'accounting' && platform.documentUrl ? platform.documentUrl(target.account, { id: document.id, docNumber: document.docNumber, kind: document.kind ?? 'sale' }) : null;
      },
    });
  }
  return { routes, integrations: integrationRows.map((row) => ({ id: row.id, displayName: row.displayName })) };
}
