import type { IncomingHttpHeaders } from 'node:http';
import type { Shopify } from '@shopify/shopify-api';

export type ShopifyWebhookVerification =
  | {
      valid: true;
      /** REST topic name as Shopify sends it: "orders/create", "app/uninstalled". */
      topic: string;
      shop: string;
      apiVersion: string;
      /** Unique per delivery (kept by Shopify's own retries). */
      webhookId: string;
      /** Same for every delivery of one event: the key to drop duplicates. */
      eventId: string | null;
      triggeredAt: string | null;
    }
  | { valid: false; reason: string; missingHeaders?: string[] };

/**
 * Checks an incoming webhook with the SDK's `shopify.webhooks.validate` (base64 HMAC-SHA256 of the raw body
 * with the app secret, plus the required headers). `rawBody` must be the body exactly as received.
 */
export async function verifyShopifyWebhook(
  shopify: Shopify,
  request: { rawBody: string; headers: IncomingHttpHeaders | Record<string, string | string[] | undefined> },
): Promise<ShopifyWebhookVerification> {
  // The Node adapter only reads headers, method and url from the raw request.
  const rawRequest = { headers: request.headers, method: 'POST', url: '/' };
  const result = await shopify.webhooks.validate({ rawBody: request.rawBody, rawRequest, rawResponse: undefined });
  if (!result.valid) {
    return {
      valid: false,
      reason: result.reason,
      ...('missingHeaders' in result && Array.isArray(result.missingHeaders) ? { missingHeaders: result.missingHeaders as string[] } : {}),
    };
  }
  const header = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  return {
    valid: true,
    topic: header('x-shopify-topic') ?? header('shopify-topic') ?? result.topic,
    shop: result.domain,
    apiVersion: result.apiVersion,
    webhookId: result.webhookId,
    eventId: ('eventId' in result ? result.eventId : undefined) ?? null,
    triggeredAt: result.triggeredAt ?? null,
  };
}
