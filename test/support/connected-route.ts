import { randomUUID } from 'node:crypto';
import { CredentialStore } from '../../db/credential-store.js';
import type { Database } from '../../db/database.js';
import { recordIntegrationStatus } from '../../db/integration-status-log.js';
import { integrations, syncRoutes } from '../../db/schema.js';
import { approveConsent } from '../../emulators/common/oauth-consent.js';
import { browserUrlFor } from '../../platforms/shopify/index.js';
import { secretBoxFromKey } from '../../runtime/secret-box.js';
import type { EmulatedPlatforms } from './emulated-platforms.js';

export interface ConnectedRoute {
  routeId: string;
  shopifyIntegrationId: string;
  qboIntegrationId: string;
}

/** A route from the emulated shop to the emulated company, both integrations connected through their OAuth flows. */
export async function createConnectedRoute(db: Database, emulated: EmulatedPlatforms, key: Buffer, prefix = 'route'): Promise<ConnectedRoute> {
  const suffix = randomUUID().slice(0, 8);
  const route = { routeId: `${prefix}-${suffix}`, shopifyIntegrationId: `shopify-${suffix}`, qboIntegrationId: `qbo-${suffix}` };
  await db.insert(integrations).values([
    { id: route.shopifyIntegrationId, platform: 'shopify', number: 1, displayName: 'Shopify #1', account: { shop: emulated.shop } },
    { id: route.qboIntegrationId, platform: 'qbo', number: 1, displayName: 'QuickBooks Online #1', account: { realmId: emulated.realmId } },
  ]);
  await db.insert(syncRoutes).values({ id: route.routeId, sourceIntegrationId: route.shopifyIntegrationId, targetIntegrationId: route.qboIntegrationId });
  const credentials = new CredentialStore(db, secretBoxFromKey(key));
  const redirectUri = 'http://127.0.0.1:3999/integrations/oauth/callback';
  emulated.qbo.control.authorizeAs(emulated.realmId);
  for (const [id, platform, account] of [
    [route.shopifyIntegrationId, emulated.shopifyPlatform, { shop: emulated.shop }],
    [route.qboIntegrationId, emulated.qboPlatform, { realmId: emulated.realmId }],
  ] as const) {
    const { query } = await approveConsent(platform.authorizeUrl(account, `state-${randomUUID()}`, redirectUri), browserUrlFor);
    const connected = await platform.completeAuthorization(query, redirectUri);
    await credentials.save(id, connected.credentials);
    await recordIntegrationStatus(db, id, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }
  return route;
}
