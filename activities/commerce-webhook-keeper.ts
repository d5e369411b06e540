import { eq } from 'drizzle-orm';
import type { WebhookRepair } from '../domain/commerce-webhooks.js';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import type { PlatformRegistry } from '../platforms/registry.js';

export interface WebhookKeeperDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  /** Our public origin: the platform posts webhooks under it. */
  publicBaseUrl: string;
}

function webhooksOf(deps: WebhookKeeperDeps, integration: typeof integrations.$inferSelect) {
  const platform = deps.platforms.commerce(integration.platform);
  return platform.createWebhooks({
    integrationId: integration.id,
    displayName: integration.displayName,
    account: integration.account,
    tokens: deps.credentials.tokenProvider(integration.id, platform),
  });
}

async function commerceIntegration(deps: WebhookKeeperDeps, integrationId: string) {
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row || deps.platforms.roleOf(row.platform) !== 'commerce') return null;
  return row;
}

/**
 * Makes a shop send the webhooks the sync needs to our address, repairing what is missing or points elsewhere.
 * Null for an integration that is not a shop. Platform errors propagate (typed, see domain/platform-errors.ts).
 */
export async function keepCommerceWebhooks(deps: WebhookKeeperDeps, integrationId: string): Promise<WebhookRepair | null> {
  const row = await commerceIntegration(deps, integrationId);
  return row ? webhooksOf(deps, row).ensure(deps.publicBaseUrl) : null;
}

/** Removes a shop's subscriptions to us (before the integration is deleted). Null for an integration that is not a shop. */
export async function removeCommerceWebhooks(deps: Omit<WebhookKeeperDeps, 'publicBaseUrl'>, integrationId: string): Promise<number | null> {
  const row = await commerceIntegration({ ...deps, publicBaseUrl: '' }, integrationId);
  if (!row || !row.credentials) return null;
  return webhooksOf({ ...deps, publicBaseUrl: '' }, row).remove();
}

/** One plain sentence about a repair, for the health check. Null when nothing needed doing and nothing failed. */
export function describeRepair(repair: WebhookRepair, shopPlatform = 'Shopify'): { ok: boolean; message: string } {
  const failed = repair.topics.filter((t) => t.state === 'failed');
  if (failed.length > 0) {
    // Shopify's orders/… and refunds/…, WooCommerce's order.…: else only customer and product topics failed.
    const ordersMissed = failed.some((t) => /^(orders?|refunds?)[./]/.test(t.topic));
    const missed = ordersMissed ? 'new orders' : 'changes to customers and products';
    return { ok: false, message: `${shopPlatform} is not sending ${failed.map((t) => t.topic).join(', ')} to ledgerbridge, so ${missed} would not arrive. ${failed.map((t) => t.message).join(' ')}` };
  }
  const repaired = repair.topics.filter((t) => t.state === 'created' || t.state === 'replaced');
  if (repaired.length === 0) return { ok: true, message: `The shop sends ${repair.topics.map((t) => t.topic).join(', ')} to ${repair.address}.` };
  const missing = repaired.filter((t) => t.state === 'created').map((t) => t.topic);
  const moved = repaired.filter((t) => t.state === 'replaced').map((t) => t.topic);
  const found = [missing.length ? `${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not subscribed` : '', moved.length ? `${moved.join(', ')} went to another address` : '']
    .filter(Boolean)
    .join('; ');
  // What the platform did that a person should know (WooCommerce disabling a webhook after failed deliveries).
  const said = repaired.map((t) => t.message).filter((m): m is string => !!m);
  return { ok: true, message: `Repaired: ${found}.${said.length ? ` ${said.join(' ')}` : ''} The shop now sends ${repair.topics.map((t) => t.topic).join(', ')} to ${repair.address}.` };
}
