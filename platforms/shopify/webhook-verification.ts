import { createHmac, timingSafeEqual } from 'node:crypto';
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

/** The headers of a classic (X-Shopify-*) webhook the SDK requires; lower-case, as Node receives them. */
const REQUIRED_WEBHOOK_HEADERS = ['x-shopify-hmac-sha256', 'x-shopify-topic', 'x-shopify-shop-domain', 'x-shopify-api-version', 'x-shopify-webhook-id'];

/**
 * Checks an incoming webhook with the SDK's `shopify.webhooks.validate` (base64 HMAC-SHA256 of the raw body
 * with the app secret, plus the required headers). `rawBody` must be the body exactly as received.
 * A delivery that passes the same check done directly (node:crypto, synchronously) is answered without the SDK: its
 * Web Crypto key import and signing cost every delivery ~0.5 ms of CPU and two trips through the thread pool,
 * which a burst of order webhooks waits for. Every other delivery (a refusal, an Events-style delivery) goes to the
 * SDK, so its verdict and reasons stay the SDK's.
 */
export async function verifyShopifyWebhook(
  shopify: Shopify,
  request: { rawBody: string; headers: IncomingHttpHeaders | Record<string, string | string[] | undefined> },
): Promise<ShopifyWebhookVerification> {
  const signed = verifiedDirectly(shopify.config.apiSecretKey, request);
  if (signed) return signed;
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

/** The SDK's verdict for a correctly signed classic delivery with every required header; null for anything else. */
function verifiedDirectly(
  apiSecretKey: string,
  request: { rawBody: string; headers: IncomingHttpHeaders | Record<string, string | string[] | undefined> },
): ShopifyWebhookVerification | null {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  if (request.rawBody.length === 0 || REQUIRED_WEBHOOK_HEADERS.some((name) => header(name) === null)) return null;
  const expected = Buffer.from(createHmac('sha256', apiSecretKey).update(request.rawBody, 'utf8').digest('base64'));
  const given = Buffer.from(header('x-shopify-hmac-sha256')!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return {
    valid: true,
    topic: header('x-shopify-topic')!,
    shop: header('x-shopify-shop-domain')!,
    apiVersion: header('x-shopify-api-version')!,
    webhookId: header('x-shopify-webhook-id')!,
    eventId: header('x-shopify-event-id'),
    triggeredAt: header('x-shopify-triggered-at'),
  };
}
