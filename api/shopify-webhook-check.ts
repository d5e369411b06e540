/**
 * What the signature check of a Shopify webhook found. The real check (HMAC with the app secret,
 * via @shopify/shopify-api) is a dependency of the API; tests pass a small HMAC fake.
 */
export type ShopifyWebhookCheck =
  | {
      valid: true;
      /** "orders/create", "app/uninstalled", … */
      topic: string;
      /** The shop's myshopify domain, "example.myshopify.com". */
      shop: string;
      /** X-Shopify-Webhook-Id: one delivery attempt's subscription message. */
      webhookId: string;
      /** X-Shopify-Event-Id: the same across redeliveries of one event; null on old API versions. */
      eventId: string | null;
      triggeredAt: string | null;
    }
  | { valid: false; reason: string };

export type VerifyShopifyWebhook = (
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
) => Promise<ShopifyWebhookCheck>;
