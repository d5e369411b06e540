import { createServer, type IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { AccessTokenProvider } from '../domain/credentials.js';
import { startShopifyEmulator, type ShopifyEmulator, type ShopifyEmulatorOptions } from '../emulators/shopify/index.js';
import { createShopifyPlatform, type ShopifyPlatform, type ShopifyPlatformConfig } from '../platforms/shopify/index.js';

/** Test wiring for the Shopify emulator and the real SDK pointed at it. */
export const APP = { apiKey: 'test-client-id', apiSecret: 'test-client-secret' };

export interface EmulatedShopify {
  emulator: ShopifyEmulator;
  shop: string;
  platform: ShopifyPlatform;
}

/** An emulator with a shop name unique to this test (routes are per process) and the platform routed to it. */
export async function startEmulatedShopify(
  options: Partial<ShopifyEmulatorOptions> = {},
  platformConfig: Partial<ShopifyPlatformConfig> = {},
): Promise<EmulatedShopify> {
  const shop = `t${randomBytes(5).toString('hex')}.myshopify.com`;
  const emulator = await startShopifyEmulator({
    apiKey: APP.apiKey,
    apiSecret: APP.apiSecret,
    shops: [{ domain: shop, name: 'Test Shop', currencyCode: 'EUR' }],
    webhookRetryDelaysMs: [20, 40, 80, 160, 320, 640, 1280, 2560],
    ...options,
  });
  const platform = createShopifyPlatform({
    apiKey: APP.apiKey,
    apiSecretKey: APP.apiSecret,
    emulatorShops: { [shop]: emulator.origin },
    ...platformConfig,
  });
  return { emulator, shop, platform };
}

/** A token provider that hands out a fixed token and records refresh attempts. */
export function fixedTokens(accessToken: string, afterRejection: () => string | null = () => null) {
  const rejected: string[] = [];
  const provider: AccessTokenProvider = {
    getAccessToken: async () => accessToken,
    refreshAfterRejection: async (token) => {
      rejected.push(token);
      return afterRejection();
    },
  };
  return { provider, rejected };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
}

/** A local HTTP endpoint that records webhooks and answers with `statusFor(n)` (default 200). */
export async function startWebhookReceiver(statusFor: (index: number) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ headers: request.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = statusFor(index);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/shopify`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns a truthy value, failing after the deadline. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function header(webhook: ReceivedWebhook, name: string): string | undefined {
  const value = webhook.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Subscribes `callbackUrl` to topics the way an app does, with webhookSubscriptionCreate through the real SDK
 * (the emulator delivers only to subscriptions made so).
 */
export async function subscribeThroughAdminApi(env: EmulatedShopify, topics: string[], callbackUrl: string): Promise<void> {
  const { Session } = await import('@shopify/shopify-api');
  const token = env.emulator.control.issueToken({ scopes: ['read_orders', 'read_products', 'read_customers'] });
  const session = new Session({ id: 'offline', shop: env.shop, state: '', isOnline: false, accessToken: token.accessToken });
  const client = new env.platform.shopify.clients.Graphql({ session });
  for (const topic of topics) {
    const answer = await client.request<{ webhookSubscriptionCreate: { userErrors: Array<{ message: string }> } }>(
      `mutation Subscribe($topic: WebhookSubscriptionTopic!, $uri: String!) {
        webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) { userErrors { message } }
      }`,
      { variables: { topic: topic.toUpperCase().replace('/', '_'), uri: callbackUrl } },
    );
    if (answer.data!.webhookSubscriptionCreate.userErrors.length) throw new Error(JSON.stringify(answer.data!.webhookSubscriptionCreate.userErrors));
  }
}
