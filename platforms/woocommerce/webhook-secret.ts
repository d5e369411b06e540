import { createHash, createHmac } from 'node:crypto';

/**
 * The secret WooCommerce signs our webhooks with, derived from the integration's consumer secret: nothing more to
 * store, the intake can check a delivery with what the credential store holds, and a reconnect (new keys) brings a
 * new secret, which the next `ensure` sets on the webhooks.
 */
export function webhookSecretFor(consumerSecret: string, integrationId: string): string {
  return createHmac('sha256', consumerSecret).update(`ledgerbridge webhooks ${integrationId}`).digest('base64url');
}

/** A short public mark of the secret, kept in the webhook's name: WooCommerce never shows a secret back. */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 10);
}
