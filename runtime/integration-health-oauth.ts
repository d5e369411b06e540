import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, isNotNull } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations, oauthStates } from '../db/schema.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { keepCommerceWebhooks } from '../activities/commerce-webhook-keeper.js';
import { signalIntegrationHealth, type IntegrationHealthRuntime } from './integration-health-starter.js';

/** How long a person has between clicking "Connect" and coming back from the platform. */
export const OAUTH_STATE_TTL_MS = 15 * 60_000;

export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
}

export interface OAuthDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  health: IntegrationHealthRuntime;
  /** Our callback URL as registered with the platforms, e.g. "https://app.example.com/integrations/oauth/callback". */
  redirectUri: string;
  stateTtlMs?: number;
  /** Our public origin: a shop's webhooks are subscribed to it on connect. */
  publicBaseUrl?: string;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/** The platform's authorize URL for this integration, with a fresh single-use `state` stored for the callback. */
export async function beginConnect(deps: OAuthDeps, integrationId: string): Promise<string> {
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw new OAuthStateError(`There is no integration ${integrationId}.`);
  const platform = deps.platforms.get(row.platform);
  const state = randomBytes(24).toString('base64url');
  const now = Date.now();
  // Expired and used states are of no further use; keep the table small.
  await deps.db.delete(oauthStates).where(or(lt(oauthStates.expiresAt, new Date(now)), isNotNull(oauthStates.usedAt)));
  await deps.db.insert(oauthStates).values({ state, integrationId, expiresAt: new Date(now + (deps.stateTtlMs ?? OAUTH_STATE_TTL_MS)) });
  return platform.authorizeUrl(row.account, state, deps.redirectUri);
}

/**
 * The callback: spends the `state` (once, before expiry), lets the platform check its own signature and
 * exchange the code, stores the tokens encrypted, and tells the health workflow, which re-checks.
 */
export async function completeConnect(deps: OAuthDeps, query: Record<string, string>): Promise<{ integrationId: string; displayName: string }> {
  if (query.error) throw new OAuthStateError(`The platform did not grant access: ${query.error_description ?? query.error}.`);
  const state = query.state;
  if (!state) throw new OAuthStateError('The callback has no state parameter.');
  // One UPDATE decides: of two callbacks with the same state, exactly one gets the row.
  const [spent] = await deps.db
    .update(oauthStates)
    .set({ usedAt: new Date() })
    .where(and(eq(oauthStates.state, state), isNull(oauthStates.usedAt), gt(oauthStates.expiresAt, new Date())))
    .returning({ integrationId: oauthStates.integrationId });
  if (!spent) throw new OAuthStateError('This connect link was already used or has expired. Start again from "Connect".');
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, spent.integrationId));
  if (!row) throw new OAuthStateError('The integration was deleted while it was being connected.');
  const platform = deps.platforms.get(row.platform);
  const { account, credentials } = await platform.completeAuthorization(query, deps.redirectUri);
  await deps.db.update(integrations).set({ account: { ...row.account, ...account } }).where(eq(integrations.id, row.id));
  await deps.credentials.save(row.id, credentials);
  if (deps.publicBaseUrl) {
    // A shop's orders reach us only through its webhooks. A failure here is not the end of connecting:
    // the health check that follows repairs the subscriptions or reports why it cannot.
    await keepCommerceWebhooks({ ...deps, publicBaseUrl: deps.publicBaseUrl }, row.id).catch((error: unknown) =>
      deps.log?.('subscribing to webhooks on connect failed; the health check will retry', { integrationId: row.id, error: String(error) }),
    );
  }
  await signalIntegrationHealth(deps.health, row.id, { name: 'credentialsUpdated' });
  return { integrationId: row.id, displayName: row.displayName };
}
