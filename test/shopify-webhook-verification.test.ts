import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createShopifyApi } from '../platforms/shopify/shopify-api-instance.js';
import { verifyShopifyWebhook } from '../platforms/shopify/webhook-verification.js';

// A correctly signed delivery is checked with node:crypto directly, without the SDK (it costs a burst of order
// webhooks ~0.5 ms of CPU each); these tests hold that shortcut to the SDK's own verdict for every kind of delivery.
const SECRET = 'verification-secret';
const shopify = createShopifyApi({ apiKey: 'verification-key', apiSecretKey: SECRET, scopes: ['read_orders'] });
const BODY = JSON.stringify({ id: 820982911946154500, name: '#1001', note: 'naïve café ☕' });

function headers(body: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const all: Record<string, string | undefined> = {
    'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body, 'utf8').digest('base64'),
    'x-shopify-topic': 'orders/create',
    'x-shopify-shop-domain': 'verify.myshopify.com',
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-triggered-at': '2026-11-30T01:00:00.000Z',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function sdkVerdict(rawBody: string, requestHeaders: Record<string, string>) {
  const result = await shopify.webhooks.validate({ rawBody, rawRequest: { headers: requestHeaders, method: 'POST', url: '/' }, rawResponse: undefined });
  return result.valid;
}

describe('Shopify webhook verification', () => {
  it('accepts a correctly signed delivery with the fields the SDK reads', async () => {
    const requestHeaders = headers(BODY);
    const check = await verifyShopifyWebhook(shopify, { rawBody: BODY, headers: requestHeaders });
    expect(await sdkVerdict(BODY, requestHeaders)).toBe(true);
    expect(check).toEqual({
      valid: true,
      topic: 'orders/create',
      shop: 'verify.myshopify.com',
      apiVersion: '2026-10',
      webhookId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      eventId: '98880550-7158-44d4-b7cd-2c97c8a091b5',
      triggeredAt: '2026-11-30T01:00:00.000Z',
    });
  });

  it('gives the same verdict as the SDK for refused and unusual deliveries', async () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['body changed after signing', BODY.replace('1001', '1002'), headers(BODY)],
      ['signed with another secret', BODY, headers(BODY, { 'x-shopify-hmac-sha256': createHmac('sha256', 'other').update(BODY).digest('base64') })],
      ['signature as hex, not base64', BODY, headers(BODY, { 'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(BODY).digest('hex') })],
      ['no signature header', BODY, headers(BODY, { 'x-shopify-hmac-sha256': undefined })],
      ['no topic header', BODY, headers(BODY, { 'x-shopify-topic': undefined })],
      ['no webhook id header', BODY, headers(BODY, { 'x-shopify-webhook-id': undefined })],
      ['no event id (older API versions)', BODY, headers(BODY, { 'x-shopify-event-id': undefined })],
      ['empty body', '', headers('')],
    ];
    for (const [name, rawBody, requestHeaders] of cases) {
      const check = await verifyShopifyWebhook(shopify, { rawBody, headers: requestHeaders });
      expect({ name, valid: check.valid }).toEqual({ name, valid: await sdkVerdict(rawBody, requestHeaders) });
      if (!check.valid) expect(check.reason).not.toBe('');
    }
  });
});
