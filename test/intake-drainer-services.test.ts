import './support/quiet-runtime.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appConfigFromEnv } from '../runtime/app-config.js';
import { openServices, startApi, startWorker, type LedgerbridgeServices } from '../runtime/ledgerbridge-services.js';
import { createConnectedRoute } from './support/connected-route.js';
import { emulatedProcessEnv } from './support/emulated-process-env.js';
import { startEmulatedPlatforms, type EmulatedPlatforms } from './support/emulated-platforms.js';
import { orderCreatedBody, signedDelivery } from './support/ledgerbridge-child.js';
import { eventually } from './support/sync-harness.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * INTAKE_DRAINER=worker through the production wiring (runtime/ledgerbridge-services.ts, as `npm start`, the compose
 * file and the entry points build it): the API records a signed Shopify delivery and answers; the worker's drainer
 * starts its sync, and the order is booked once.
 */
const SHOPIFY_APP = { apiKey: 'drain-shopify-key', apiSecret: 'drain-shopify-secret' };
const QBO_APP = { clientId: 'drain-qbo-client', clientSecret: 'drain-qbo-secret' };
const KEY = Buffer.alloc(32, 5);

describe('INTAKE_DRAINER=worker in the production wiring', () => {
  let emulated: EmulatedPlatforms;
  let dataDir: string;
  let database: TestDatabase | null = null;
  let services: LedgerbridgeServices;
  let api: FastifyInstance;
  let stopWorker: () => Promise<void>;

  beforeAll(async () => {
    emulated = await startEmulatedPlatforms({ shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, shopName: 'Drain Shop' });
    dataDir = await mkdtemp(join(tmpdir(), 'ledgerbridge-drain-'));
    // On PostgreSQL a database of its own; otherwise PGlite in the data directory.
    const url = process.env.DATABASE_URL ? (database = await createTestDatabase()).url! : undefined;
    const config = appConfigFromEnv({
      ...emulatedProcessEnv({ emulated, shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, key: KEY, dataDir }),
      ...(url ? { DATABASE_URL: url } : {}),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TASK_QUEUE: `drain-${randomUUID()}`,
      OPERATOR_TOKEN: 'drain-operator-token',
      PORT: '0',
      INTAKE_DRAINER: 'worker',
    });
    services = await openServices(config);
    await createConnectedRoute(services.database.db, emulated, KEY, 'drain');
    const worker = await startWorker(services, { workflowBundlePath: inject('workflowBundlePath') });
    stopWorker = async () => {
      worker.worker.shutdown();
      await worker.done;
    };
    api = await startApi(services, false);
  });

  afterAll(async () => {
    await api?.close();
    await stopWorker?.();
    await services?.close();
    await database?.close();
    await emulated?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('the API answers the delivery, the worker starts its sync, the order is booked once', async () => {
    const order = emulated.shopify.control.createOrder({ shop: emulated.shop, name: '#8801', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const { port } = api.server.address() as { port: number };
    const delivery = { body: orderCreatedBody(order, '8.00'), topic: 'orders/create', shop: emulated.shop, eventId: randomUUID() };
    const answered = await signedDelivery(`http://127.0.0.1:${port}`, SHOPIFY_APP.apiSecret, delivery);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ status: 'accepted', orderId: order.id });

    const receipts = await eventually(async () => {
      const found = emulated.qbo.control.documents(emulated.realmId, 'SalesReceipt');
      return found.length > 0 ? found : undefined;
    }, 'the order to be booked');
    expect(receipts).toHaveLength(1);
    // A redelivery of the same event is a duplicate: nothing more is booked.
    const again = await signedDelivery(`http://127.0.0.1:${port}`, SHOPIFY_APP.apiSecret, delivery);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(emulated.qbo.control.documents(emulated.realmId, 'SalesReceipt')).toHaveLength(1);
  });
});
