import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db/database.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import type { BookedOrderChangeSink } from '../domain/booked-order-change.js';
import type { VerifyShopifyWebhook } from './shopify-webhook-check.js';
import type { VerifySquarespaceWebhook } from './squarespace-webhook-check.js';
import type { VerifyWooCommerceWebhook } from './woocommerce-webhook-check.js';
import type { OrderIntakeOptions } from '../runtime/order-intake-drainer.js';

export interface ApiDeps {
  db: Database;
  temporal: Client;
  /** Where order sync workflows are started. */
  taskQueue: string;
  /** Bearer token of the operator routes. */
  operatorToken: string;
  verifyShopifyWebhook: VerifyShopifyWebhook;
  /** Checks WooCommerce deliveries (runtime/woocommerce-webhook-check.ts); without it, /webhooks/woocommerce is not served. */
  verifyWooCommerceWebhook?: VerifyWooCommerceWebhook;
  /** Checks Squarespace notifications (the platform's verifyWebhook); without it, /webhooks/squarespace is not served. */
  verifySquarespaceWebhook?: VerifySquarespaceWebhook;
  /** The platforms this deployment knows: when given, a sync route must read from a shop and book into a ledger. */
  platforms?: PlatformRegistry;
  /** Syncs a full re-sync starts a second, unless the request says. Default DEFAULT_RESYNC_PER_SECOND. */
  resyncPerSecond?: number;
  /** Signals a second when parked orders are resumed in bulk (replay, mapping saved). Default 5. */
  resumeRatePerSecond?: number;
  /** Told of every change the shop makes to a booked order (emails); the change is on the order's row regardless. */
  bookedOrderChanges?: BookedOrderChangeSink;
  /** How order webhooks are started after they were acknowledged (batch size, starts in flight, claim lease). */
  orderIntake?: OrderIntakeOptions;
  /**
   * false: this process records order events but does not start their syncs; a drainer in another process (the
   * worker, INTAKE_DRAINER=worker) does, woken by the database. Default true.
   */
  drainIntake?: boolean;
  /** Called once a shop's app/uninstalled (Squarespace: extension.uninstall) webhook is recorded (integration health plugs in here). */
  onAppUninstalled?: (integrationId: string) => Promise<void>;
  /**
   * More public routes (OAuth connect and callback). Registered after the error handler and OpenAPI, so
   * they share both.
   */
  plugins?: FastifyPluginAsync[];
  /** More operator routes (integrations and health), registered behind the bearer token. */
  operatorPlugins?: FastifyPluginAsync[];
  /**
   * A browser opening an operator GET route without the token (a link in an email) is sent to the console page
   * of the same path (/console + path). Set when the console (api/console) is registered among `plugins`.
   */
  consoleForBrowsers?: boolean;
  /** Serves Temporal's codec server protocol at /codec (Temporal UI shows decrypted payloads to operators). */
  payloadCodec?: { codec: PayloadCodec; uiOrigins: readonly string[] };
  /** Fastify's logger option. */
  logger?: boolean | object;
}
