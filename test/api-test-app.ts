import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApi, type ApiDeps, type ShopifyWebhookCheck } from '../api/app.js';
import { integrations, syncRoutes } from '../db/schema.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { testDataConverter } from './support/test-data-converter.js';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const OPERATOR_TOKEN = 'operator-token-for-tests';

/**
 * Stand-in for the real Shopify check: HMAC-SHA256, base64, over the raw body, with the test secret.
 * Shopify signs bytes, so any re-serialisation of the body on our side makes this fail.
 */
export async function verifyWithTestSecret(rawBody: string, headers: Record<string, string | string[] | undefined>): Promise<ShopifyWebhookCheck> {
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : null;
  };
  const signature = header('x-shopify-hmac-sha256');
  if (!signature) return { valid: false, reason: 'missing X-Shopify-Hmac-Sha256 header' };
  const expected = Buffer.from(signWithTestSecret(rawBody), 'base64');
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'HMAC does not match the body' };
  const topic = header('x-shopify-topic');
  const shop = header('x-shopify-shop-domain');
  const webhookId = header('x-shopify-webhook-id');
  if (!topic || !shop || !webhookId) return { valid: false, reason: 'missing topic, shop or webhook id header' };
  return { valid: true, topic, shop, webhookId, eventId: header('x-shopify-event-id'), triggeredAt: header('x-shopify-triggered-at') };
}

export function signWithTestSecret(rawBody: string): string {
  return createHmac('sha256', WEBHOOK_SECRET).update(rawBody, 'utf8').digest('base64');
}

export interface ApiTestContext {
  app: FastifyInstance;
  client: Client;
  database: TestDatabase;
  taskQueue: string;
  shop: string;
  shopifyIntegrationId: string;
  routeId: string;
  /** Log lines the app wrote (pino JSON). */
  logs: Record<string, unknown>[];
  uninstalled: string[];
  /** Workflow ids to terminate at the end (a test may add ids it started). */
  startedWorkflowIds: Set<string>;
  close(): Promise<void>;
}

/**
 * An API on a fresh database with one Shopify shop routed into one ledger, connected to the shared
 * Temporal dev server. No worker polls the task queue: started workflows stay queued, which is all
 * an intake test needs to count them. Route and shop names are unique so test files never collide.
 */
export async function startApiTestContext(
  temporalAddress: string,
  /** More of the production wiring (e.g. the console) for this test's app, given the test's database and client. */
  extra: (setup: { db: TestDatabase['db']; client: Client; taskQueue: string }) => Partial<ApiDeps> = () => ({}),
): Promise<ApiTestContext> {
  const suffix = randomUUID().slice(0, 8);
  const database = await createTestDatabase();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new Client({ connection, dataConverter: testDataConverter });
  const shop = `shop-${suffix}.myshopify.com`;
  const shopifyIntegrationId = `shopify-${suffix}`;
  const routeId = `route-${suffix}`;
  await database.db.insert(integrations).values([
    { id: shopifyIntegrationId, platform: 'shopify', number: 1, displayName: 'Shopify #1', account: { shop }, status: 'connected' },
    { id: `qbo-${suffix}`, platform: 'qbo', number: 1, displayName: 'QuickBooks Online #1', account: { realmId: '123' }, status: 'connected' },
  ]);
  await database.db.insert(syncRoutes).values({ id: routeId, sourceIntegrationId: shopifyIntegrationId, targetIntegrationId: `qbo-${suffix}` });

  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const uninstalled: string[] = [];
  const taskQueue = `api-test-${suffix}`;
  const deps: ApiDeps = {
    db: database.db,
    temporal: client,
    taskQueue,
    operatorToken: OPERATOR_TOKEN,
    verifyShopifyWebhook: verifyWithTestSecret,
    resumeRatePerSecond: 50,
    onAppUninstalled: async (integrationId) => {
      uninstalled.push(integrationId);
    },
    logger: { level: 'info', stream },
    ...extra({ db: database.db, client, taskQueue }),
  };
  const app = await buildApi(deps);
  const startedWorkflowIds = new Set<string>();

  return {
    app,
    client,
    database,
    taskQueue,
    shop,
    shopifyIntegrationId,
    routeId,
    logs,
    uninstalled,
    startedWorkflowIds,
    async close() {
      await app.close();
      for (const workflowId of startedWorkflowIds) {
        await client.workflow
          .getHandle(workflowId)
          .terminate('api test finished')
          .catch((error: unknown) => {
            // Already ended (a test terminated it) or never started: nothing to clean up.
            if (!(error instanceof WorkflowNotFoundError)) throw error;
          });
      }
      await connection.close();
      await database.close();
    },
  };
}

/** Whether a workflow with this id was ever started (in any state). */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/** A fresh 18-digit order id; odd, so no double holds it and a JSON number would change its digits. */
export function bigOrderId(): string {
  return `9${String(Date.now()).slice(-9)}${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}1`;
}
