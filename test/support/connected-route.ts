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

/**
 * A route from the emulated shop to the emulated company, both integrations connected through their OAuth flows.
 * `more`: another of the emulator's companies, the integrations' number (unique per platform) for a second route, and
 * the shop's integration of an earlier route to read from (a second install of the app for the same shop would
 * replace the first one's token).
 */
export async function createConnectedRoute(
  db: Database,
  emulated: EmulatedPlatforms,
  key: Buffer,
  prefix = 'route',
  more: { realmId?: string; number?: number; shopifyIntegrationId?: string } = {},
): Promise<ConnectedRoute> {
  const realmId = more.realmId ?? emulated.realmId;
  const number = more.number ?? 1;
  const suffix = randomUUID().slice(0, 8);
  const shared = more.shopifyIntegrationId;
  const route = { routeId: `${prefix}-${suffix}`, shopifyIntegrationId: shared ?? `shopify-${suffix}`, qboIntegrationId: `qbo-${suffix}` };
  await db.insert(integrations).values([
    ...(shared ? [] : [{ id: route.shopifyIntegrationId, platform: 'shopify', number, displayName: `Shopify #${number}`, account: { shop: emulated.shop } }]),
    { id: route.qboIntegrationId, platform: 'qbo', number, displayName: `QuickBooks Online #${number}`, account: { realmId } },
  ]);
  await db.insert(syncRoutes).values({ id: route.routeId, sourceIntegrationId: route.shopifyIntegrationId, targetIntegrationId: route.qboIntegrationId });
  const credentials = new CredentialStore(db, secretBoxFromKey(key));
  const redirectUri = 'http://127.0.0.1:3999/integrations/oauth/callback';
  emulated.qbo.control.authorizeAs(realmId);
  for (const [id, platform, account] of [
    ...(shared ? [] : [[route.shopifyIntegrationId, emulated.shopifyPlatform, { shop: emulated.shop }] as const]),
    [route.qboIntegrationId, emulated.qboPlatform, { realmId }] as const,
  ]) {
    const { query } = await approveConsent(platform.authorizeUrl(account, `state-${randomUUID()}`, redirectUri), browserUrlFor);
    const connected = await platform.completeAuthorization(query, redirectUri);
    await credentials.save(id, connected.credentials);
    await recordIntegrationStatus(db, id, { status: 'connected', reason: null, cause: 'oauth_connected', check: null });
  }
  return route;
}
