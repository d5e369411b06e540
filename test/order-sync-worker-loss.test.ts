import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';

/** Holds the ledger write when armed, never finishing and ignoring cancellation: the worker then dies under it. */
class HangBeforeWrite {
  armed = false;
  reached = false;
  private release: () => void = () => {};
  decorate = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'bookSale') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<AccountingTarget['bookSale']>) => {
          if (this.armed) {
            this.armed = false;
            this.reached = true;
            await new Promise<void>((resolve) => (this.release = resolve));
          }
          return object.bookSale(...args);
        };
      },
    });
  /** Lets the orphaned attempt end once the test is over (its answer goes nowhere). */
  stop(): void {
    this.release();
  }
}

describe('order sync: throttles and a dying worker', () => {
  let harness: SyncHarness;
  const hang = new HangBeforeWrite();
  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget: hang.decorate });
  });
  afterAll(async () => {
    hang.stop();
    await harness?.close();
  });

  it('7 throttles and a worker killed during the ledger write: the order books once, never shown Failed, without waiting out the start-to-close timeout', async () => {
    await harness.startKillableWorker();
    harness.qbo.control.throttleNext(7);
    harness.shopify.control.setBucket({ currentlyAvailable: 0 });
    hang.armed = true;
    const order = harness.shopify.control.createOrder({ name: '#4301', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const { workflowId } = await harness.startSync(order.id);
    await eventually(async () => hang.reached, 'the ledger write to start');
    expect(harness.qbo.control.requestLog().filter((r) => r.outcome === 'throttled').length).toBe(7);

    // SIGKILL: the attempt is neither finished nor failed; only its missing heartbeats tell Temporal.
    await harness.killWorker();
    const killedAt = Date.now();
    await harness.startWorker();

    const handle = harness.handle(workflowId);
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    // Retried after the heartbeat timeout (10 s), far inside the 10-minute start-to-close.
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(harness.salesReceipts().filter((r) => r.docNumber === '4301')).toHaveLength(1);
    expect((await handle.query(orderSyncStatusQuery)).attempts).toBe(1);
    // One attempt, no error: it never parked as Failed.
    expect(await harness.orderRow(order.id)).toMatchObject({ status: 'synced', attempts: 1, lastErrorCode: null });
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-throttled-then-worker-killed' }])).toEqual([]);
  });
});
