import Fastify, { type FastifyInstance } from 'fastify';
import { listenOnLoopback, type RunningServer } from '../common/listen.js';
import { registerAdminGraphqlRoute } from './admin-graphql-route.js';
import { newestStableVersion } from './admin-schema.js';
import { registerControlRoutes } from './control-routes.js';
import { STANDARD_BUCKET, type BucketSettings } from './cost-bucket.js';
import { ShopifyEmulatorControl } from './emulator-control.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { ShopifyStore, type ShopInput } from './store.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

export interface ShopifyEmulatorOptions {
  /** The app's client id and client secret (the secret signs OAuth callbacks and webhooks). */
  apiKey: string;
  apiSecret: string;
  /** Shops hosted; the first is the default for requests that name none. Default: demo.myshopify.com. */
  shops?: ShopInput[];
  /** 0 or omitted = a free port. */
  port?: number;
  /** API version written in webhook headers. */
  webhookApiVersion?: string;
  /** Waits between webhook retries (8 entries = Shopify's 8 retries); see DEFAULT_RETRY_DELAYS_MS. */
  webhookRetryDelaysMs?: number[];
  webhookTimeoutMs?: number;
  /** GraphQL cost bucket per shop; default Shopify Standard (2000 points, 100/s). */
  bucket?: BucketSettings;
  /** Hide orders older than this many days from tokens without read_all_orders (Shopify: 60). Default: off. */
  orderWindowDays?: number | null;
  /** Puts demo or test data in place before the server listens. */
  seed?: (control: ShopifyEmulatorControl) => void | Promise<void>;
  logger?: boolean;
}

export interface ShopifyEmulator extends RunningServer {
  /** In-process control: create orders, revoke tokens, inject faults, inspect webhook deliveries. */
  control: ShopifyEmulatorControl;
  /** Domains of the hosted shops, default first. */
  shops: string[];
  app: FastifyInstance;
}

export const DEFAULT_SHOP_DOMAIN = 'demo.myshopify.com';

/** Starts a Shopify Admin API emulator on 127.0.0.1. */
export async function startShopifyEmulator(options: ShopifyEmulatorOptions): Promise<ShopifyEmulator> {
  const shops = options.shops?.length ? options.shops : [{ domain: DEFAULT_SHOP_DOMAIN }];
  const store = new ShopifyStore(shops[0]!.domain.toLowerCase());
  for (const shop of shops) store.addShop(shop);
  const webhooks = new WebhookDispatcher({
    apiSecret: options.apiSecret,
    apiVersion: options.webhookApiVersion ?? newestStableVersion(),
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
    ...(options.webhookTimeoutMs ? { timeoutMs: options.webhookTimeoutMs } : {}),
  });
  const control = new ShopifyEmulatorControl(store, webhooks, options.bucket ?? STANDARD_BUCKET);
  await options.seed?.(control);

  const app = Fastify({ logger: options.logger ?? false });
  registerOAuthRoutes(app, control, { apiKey: options.apiKey, apiSecret: options.apiSecret });
  registerAdminGraphqlRoute(app, control, { orderWindowDays: options.orderWindowDays ?? null });
  registerControlRoutes(app, control);

  const server = await listenOnLoopback(app, options.port ?? 0);
  return {
    ...server,
    control,
    shops: [...store.shops.keys()],
    app,
    close: async () => {
      webhooks.close();
      await server.close();
    },
  };
}
