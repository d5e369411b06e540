import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, type Payload } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { eq } from 'drizzle-orm';
import { syncRoutes } from '../db/schema.js';
import { orderSyncStatusQuery, retrySignal } from '../workflows/order-sync.js';
import { eventually, OPERATOR_TOKEN, SyncHarness } from './support/sync-harness.js';

type Failure = temporal.api.failure.v1.IFailure;
type History = temporal.api.history.v1.IHistory;

/** Every failure of a history, causes included, as the server stores them. */
function failuresOf(history: History): Failure[] {
  const found: Failure[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'failure' || key === 'cause') && value && typeof value === 'object') found.push(value as Failure);
      walk(value);
    }
  };
  walk(history);
  return found;
}

/** The history as raw bytes and strings, as anyone reading Temporal's database without the key sees it. */
function rawText(history: History): string {
  return JSON.stringify(history, (_key, value) => (ArrayBuffer.isView(value) ? Buffer.from(value as Uint8Array).toString('latin1') : value));
}

const asJson = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});

describe('failure messages in Temporal history', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  /** What an operator sees through the codec endpoint (Temporal UI, `temporal workflow show --codec-endpoint`). */
  const decodedByCodecRoute = async (failure: Failure): Promise<{ message: string; stack_trace: string }> => {
    const answer = await harness.api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
      payload: asJson([failure.encodedAttributes as Payload]),
    });
    expect(answer.statusCode).toBe(200);
    return JSON.parse(Buffer.from(answer.json().payloads[0].data, 'base64').toString('utf8'));
  };

  it("an activity's failure (an order waiting on its SKU) is stored encrypted; the codec and a client with it read it", async () => {
    const order = harness.shopify.control.createOrder({ name: '#3201', lineItems: [{ title: 'Secret Mug', sku: 'MUG-SECRET', quantity: 1, unitPrice: '8.00' }] });
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    const row = await eventually(async () => {
      const found = await harness.orderRow(order.id);
      return found?.lastErrorCode === 'SkuNotFound' ? found : undefined;
    }, 'the order to wait on its SKU');
    const plaintext = 'SKU "MUG-SECRET" matches no item';
    expect(row.lastErrorMessage).toContain(plaintext);

    const history = await handle.fetchHistory();
    const failed = history.events!.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
    expect(failed.message).toBe('Encoded failure');
    expect(failed.stackTrace ?? '').toBe('');
    expect(Buffer.from(failed.encodedAttributes!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(rawText(history)).not.toContain('matches no item');

    // The operator reads it through the codec endpoint, and the workflow (a client of the codec) got it in plain words.
    const decoded = await decodedByCodecRoute(failed);
    expect(decoded.message).toContain(plaintext);
    expect(decoded.stack_trace).toContain('mapOrderLines');
    expect((await handle.query(orderSyncStatusQuery)).lastError?.message).toContain(plaintext);

    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/MUG-SECRET`, { ledgerItemId: harness.ledgerId('Item', 'Mug') })).status).toBe(200);
    expect((await handle.result()).outcome).toBe('created');
  });

  it("a workflow's failure is stored encrypted, causes included; a client with the codec sees the messages", async () => {
    const order = harness.shopify.control.createOrder({ name: '#3202', lineItems: [{ title: 'Mug', sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: '8.00' }] });
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    await eventually(async () => ((await harness.orderRow(order.id))?.status === 'waiting' ? true : undefined), 'the order to wait on its SKU');
    // The route goes away while the order waits: the next write is refused and the workflow fails.
    await harness.db.delete(syncRoutes).where(eq(syncRoutes.id, harness.routeId));
    await handle.signal(retrySignal);
    const error = await handle.result().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = ((error as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(cause.type).toBe('DatabaseRejected');
    const plaintext = "ledgerbridge's database refused to";
    expect(cause.message).toContain(plaintext);

    const history = await handle.fetchHistory();
    const closing = history.events!.at(-1)!.workflowExecutionFailedEventAttributes!.failure!;
    expect(closing.message).toBe('Encoded failure');
    expect(closing.cause!.message).toBe('Encoded failure');
    for (const failure of failuresOf(history)) expect(failure.message).toBe('Encoded failure');
    expect(rawText(history)).not.toContain('database refused');
    expect((await decodedByCodecRoute(closing.cause!)).message).toContain(plaintext);
  });
});
