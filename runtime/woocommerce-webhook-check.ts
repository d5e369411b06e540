import { eq } from 'drizzle-orm';
import type { VerifyWooCommerceWebhook } from '../api/woocommerce-webhook-check.js';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import type { WooCommercePlatform } from '../platforms/woocommerce/index.js';

/** Checks a delivery with the secret derived from the integration's stored keys (platforms/woocommerce/webhook-secret.ts). */
export function wooCommerceWebhookCheck(deps: { db: Database; credentials: CredentialStore; platform: WooCommercePlatform }): VerifyWooCommerceWebhook {
  return async (integrationId, rawBody, headers) => {
    const [row] = await deps.db.select({ platform: integrations.platform, account: integrations.account }).from(integrations).where(eq(integrations.id, integrationId));
    if (!row || row.platform !== deps.platform.id) return { kind: 'unknown_integration' };
    const { credentials } = await deps.credentials.load(integrationId);
    if (!credentials) return { kind: 'unknown_integration' };
    const check = deps.platform.verifyWebhook(integrationId, credentials.accessToken, rawBody, headers);
    if (!check.valid) return { kind: 'invalid', reason: check.reason };
    return { kind: 'valid', topic: check.topic, webhookId: check.webhookId, deliveryId: check.deliveryId, storeUrl: row.account.storeUrl ?? '' };
  };
}
