import { eq } from 'drizzle-orm';
import type { AccountingTarget } from '../domain/accounting-target.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import { SyncErrorType } from '../domain/sync-error-types.js';
import { DEFAULT_TAX_ROUNDING, type TaxRounding } from '../domain/tax-rounding.js';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations, syncRoutes } from '../db/schema.js';
import type { PlatformConnection } from '../platforms/platform.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { effectiveRouteOptions } from '../platforms/route-options.js';
import { syncFailure } from './sync-failures.js';

export type IntegrationRow = typeof integrations.$inferSelect;
export type SyncRouteRow = typeof syncRoutes.$inferSelect;

/** Opens the platform clients of a route's two integrations, with tokens from the credential store. */
export class RouteConnections {
  constructor(
    private readonly db: Database,
    private readonly platforms: PlatformRegistry,
    private readonly credentials: CredentialStore,
  ) {}

  async integrationsOf(routeId: string): Promise<{ route: SyncRouteRow; source: IntegrationRow; target: IntegrationRow }> {
    const [route] = await this.db.select().from(syncRoutes).where(eq(syncRoutes.id, routeId));
    if (!route) {
      throw syncFailure(SyncErrorType.IntegrationUnavailable, `Sync route ${routeId} no longer exists; this order cannot be synced.`, {
        detail: `no sync_routes row ${routeId}`,
      });
    }
    const rows = await this.db.select().from(integrations).where(eq(integrations.id, route.sourceIntegrationId));
    const targets = await this.db.select().from(integrations).where(eq(integrations.id, route.targetIntegrationId));
    const source = rows[0];
    const target = targets[0];
    if (!source || !target) {
      throw syncFailure(SyncErrorType.IntegrationUnavailable, `An integration of sync route ${routeId} was deleted; this order cannot be synced.`, {
        detail: `source ${route.sourceIntegrationId} or target ${route.targetIntegrationId} missing`,
      });
    }
    return { route, source, target };
  }

  async commerceSource(routeId: string): Promise<{ integration: IntegrationRow; source: CommerceSource }> {
    const { source: integration } = await this.integrationsOf(routeId);
    return { integration, source: this.platforms.commerce(integration.platform).createSource(this.connectionOf(integration)) };
  }

  /** A store integration's client by its own id (no route); null when the integration is gone. */
  async storeSource(integrationId: string): Promise<{ integration: IntegrationRow; source: CommerceSource } | null> {
    const [integration] = await this.db.select().from(integrations).where(eq(integrations.id, integrationId));
    if (!integration) return null;
    return { integration, source: this.platforms.commerce(integration.platform).createSource(this.connectionOf(integration)) };
  }

  /** The route's ledger client; `source` is the shop's row, for callers that name it (no second lookup). */
  async accountingTarget(
    routeId: string,
  ): Promise<{ route: SyncRouteRow; source: IntegrationRow; integration: IntegrationRow; target: AccountingTarget; routeOptions: Record<string, string> }> {
    const { route, source, target: integration } = await this.integrationsOf(routeId);
    const ledger = this.platforms.accounting(integration.platform);
    const routeOptions = effectiveRouteOptions(ledger.routeOptions ?? [], route.ledgerOptions);
    return { route, source, integration, routeOptions, target: ledger.createTarget({ ...this.connectionOf(integration), routeOptions }) };
  }

  /** Whether the route's ledger books any currency's amounts as home ones (AccountingPlatform), without opening it. */
  async ledgerBooksAnyCurrencyAsHome(routeId: string): Promise<boolean> {
    const { target } = await this.integrationsOf(routeId);
    return this.platforms.accounting(target.platform).booksAnyCurrencyAsHome === true;
  }

  /** How the route's ledger rounds the tax it works out (AccountingPlatform.taxRounding), without opening it. */
  async ledgerTaxRounding(routeId: string): Promise<TaxRounding> {
    const { target } = await this.integrationsOf(routeId);
    return this.platforms.accounting(target.platform).taxRounding ?? DEFAULT_TAX_ROUNDING;
  }

  /** What a platform client needs of an integration; a paused one is refused here, before any call. */
  private connectionOf(integration: IntegrationRow): PlatformConnection {
    assertNotPaused(integration);
    return {
      integrationId: integration.id,
      displayName: integration.displayName,
      account: integration.account,
      tokens: this.credentials.tokenProvider(integration.id, this.platforms.get(integration.platform)),
    };
  }
}

function assertNotPaused(integration: IntegrationRow): void {
  if (integration.status !== 'disconnected') return;
  throw syncFailure(
    SyncErrorType.IntegrationPaused,
    `${integration.displayName} is paused. The order will sync when the integration is resumed.`,
    { detail: `integration ${integration.id} status disconnected`, integrationId: integration.id, waitingOn: integration.id, grantGeneration: integration.grantGeneration },
  );
}
