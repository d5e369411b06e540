/**
 * What the check of a WooCommerce delivery found. The real check (db/credentials → the integration's webhook
 * secret → X-WC-Webhook-Signature) is a dependency of the API: runtime/woocommerce-webhook-check.ts.
 */
export type WooCommerceWebhookCheck =
  | { kind: 'valid'; topic: string; webhookId: string; deliveryId: string; storeUrl: string }
  | { kind: 'invalid'; reason: string }
  /** No WooCommerce integration with this id (deleted, or never ours), or one never connected. */
  | { kind: 'unknown_integration' };

export type VerifyWooCommerceWebhook = (
  integrationId: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
) => Promise<WooCommerceWebhookCheck>;
