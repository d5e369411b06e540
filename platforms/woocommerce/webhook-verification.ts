import { createHmac, timingSafeEqual } from 'node:crypto';

export type WooWebhookVerification =
  | {
      valid: true;
      /** X-WC-Webhook-Topic: "order.created", "order.updated". */
      topic: string;
      /** X-WC-Webhook-ID: the webhook (subscription) that sent it. */
      webhookId: string;
      /** X-WC-Webhook-Delivery-ID: a hash of the webhook id and the second it was sent, not unique within a second. */
      deliveryId: string;
      /** X-WC-Webhook-Source: the site's home URL. */
      source: string | null;
    }
  | { valid: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | null => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

/** Checks X-WC-Webhook-Signature: base64 HMAC-SHA256 of the exact body with the webhook's secret (WC_Webhook::generate_signature). */
export function verifyWooWebhook(secret: string, rawBody: string, headers: Headers): WooWebhookVerification {
  const signature = header(headers, 'x-wc-webhook-signature');
  const topic = header(headers, 'x-wc-webhook-topic');
  if (!signature || !topic) return { valid: false, reason: `missing ${!signature ? 'X-WC-Webhook-Signature' : 'X-WC-Webhook-Topic'}` };
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, reason: 'signature does not match' };
  return {
    valid: true,
    topic,
    webhookId: header(headers, 'x-wc-webhook-id') ?? '',
    deliveryId: header(headers, 'x-wc-webhook-delivery-id') ?? '',
    source: header(headers, 'x-wc-webhook-source'),
  };
}

/** WooCommerce's ping when a webhook is created: a form body `webhook_id=N`, unsigned, no X-WC headers. */
export function isWooPing(rawBody: string, headers: Headers): boolean {
  return !header(headers, 'x-wc-webhook-topic') && /^webhook_id=\d+$/.test(rawBody.trim());
}
