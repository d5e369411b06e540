import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { startEmulatedPlatforms, type EmulatedPlatforms } from './support/emulated-platforms.js';
import { orderCreatedBody, signedDelivery, startLedgerbridgeChild, type LedgerbridgeChild } from './support/ledgerbridge-child.js';
import type { ChildConfig } from './support/ledgerbridge-process.js';
import { eventually, QBO_APP, SHOPIFY_APP } from './support/sync-harness.js';
import { startHoldProxy, type HoldProxy } from './support/tcp-hold-proxy.js';
import { testDataConverter } from './support/test-data-converter.js';

/**
 * The API as a real child process, killed (SIGKILL) after it recorded an order webhook and while it starts
 * the order's sync, then started again on the same database; Shopify redelivers the event.
 */
describe('order webhooks survive the API process dying between recording an event and starting its sync', () => {
  let platforms: EmulatedPlatforms;
  let proxy: HoldProxy;
  let client: Client;
  let dir: string;
  const children: LedgerbridgeChild[] = [];

  beforeAll(async () => {
    const temporalAddress = inject('temporalAddress');
    [platforms, proxy, dir] = await Promise.all([
      startEmulatedPlatforms({ shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, shopName: 'Crash Shop' }),
      startHoldProxy(temporalAddress),
      mkdtemp(join(tmpdir(), 'ledgerbridge-crash-')),
    ]);
    platforms.qbo.control.authorizeAs(platforms.realmId);
    client = new Client({ connection: await Connection.connect({ address: temporalAddress }), dataConverter: testDataConverter });
  });

  afterAll(async () => {
    for (const child of children) await child.kill();
    await client?.connection.close();
    await proxy?.close();
    await platforms?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await dropDatabases();
  });

  it('the redelivery after a restart books the order exactly once', async () => {
    const temporalAddress = inject('temporalAddress');
    const routeId = `route-${randomUUID().slice(0, 8)}`;
    const config: ChildConfig = {
      ...(process.env.DATABASE_URL ? { databaseUrl: await freshDatabaseUrl(process.env.DATABASE_URL) } : { pgliteDir: join(dir, 'pglite') }),
      clientTemporalAddress: proxy.address,
      workerTemporalAddress: temporalAddress,
      workflowBundlePath: inject('workflowBundlePath'),
      taskQueue: `crash-${randomUUID()}`,
      operatorToken: 'crash-operator-token',
      runWorker: true,
      // A claim older than this belongs to a dead process: short, so the test need not wait for the default minute.
      claimLeaseMs: 1_000,
      shopifyApp: SHOPIFY_APP,
      qboApp: QBO_APP,
      shop: platforms.shop,
      shopifyOrigin: platforms.shopify.origin,
      realmId: platforms.realmId,
      qboUrls: platforms.qbo.urls,
      routeId,
    };
    const order = platforms.shopify.control.createOrder({ name: '#4001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const delivery = { body: orderCreatedBody(order, '8.00'), topic: 'orders/create', shop: platforms.shop, eventId: randomUUID() };

    // 1. Temporal stops answering the API; the event is delivered; the process dies as it starts the sync.
    const first = await startLedgerbridgeChild(config);
    children.push(first);
    proxy.hold();
    const answer = signedDelivery(first.origin, SHOPIFY_APP.apiSecret, delivery).catch((error: unknown) => error);
    await proxy.sentWhileHeld();
    await first.kill();
    await answer;

    // 2. Started again on the same database, with Temporal reachable; Shopify redelivers the event.
    const second = await startLedgerbridgeChild({ ...config, clientTemporalAddress: temporalAddress });
    children.push(second);
    const redelivered = await signedDelivery(second.origin, SHOPIFY_APP.apiSecret, delivery);
    expect(redelivered.status).toBe(200);

    const handle = client.workflow.getHandle(orderSyncWorkflowId(routeId, order.id));
    await eventually(async () => (await handle.describe()).workflowId, 'the order sync to start');
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');

    // Once more after the booking: a duplicate, and still one receipt.
    const again = await signedDelivery(second.origin, SHOPIFY_APP.apiSecret, delivery);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    const intake = await fetch(`${second.origin}/intake`, { headers: { authorization: 'Bearer crash-operator-token' } });
    expect(await intake.json()).toMatchObject({ queued: 0, processing: 0 });
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(platforms.qbo.control.documents(platforms.realmId, 'SalesReceipt').filter((r) => r.docNumber === '4001')).toHaveLength(1);
  }, 300_000); // two cold starts of a whole process (database, OAuth, worker) on a shared machine
});

const createdDatabases: string[] = [];

/** A fresh database on the test server (CI's PostgreSQL), so the child and its restart share it. */
async function freshDatabaseUrl(serverUrl: string): Promise<string> {
  const { default: postgres } = await import('postgres');
  const name = `ledgerbridge_crash_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end({ timeout: 5 });
  createdDatabases.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabases(): Promise<void> {
  if (!process.env.DATABASE_URL || createdDatabases.length === 0) return;
  const { default: postgres } = await import('postgres');
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  for (const name of createdDatabases) await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
}
