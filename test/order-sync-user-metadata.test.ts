import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { replayErrors } from './support/replay-check.js';

const EventType = temporal.api.enums.v1.EventType;

/**
 * Temporal UI's workflow list reads like the sync log: each order sync carries a static summary
 * ("Order #1001 → QuickBooks Online #1") and current details ("waiting for a SKU mapping: TEE-BLU-L"),
 * read back here as Temporal UI reads them (describe, and the __temporal_workflow_metadata query).
 */
describe('order sync: user metadata for Temporal UI', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('says which order goes to which ledger, and what it waits for, in words; the history has no extra command', async () => {
    const order = harness.shopify.control.createOrder({ name: '#4101', lineItems: [{ title: 'Tee blue L', sku: 'TEE-BLU-L', quantity: 1, unitPrice: '20.00' }] });
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);

    // The summary is the order's name as the trigger knew it, or its id ("Order 1234 → …") when it did not.
    const summary = await (await handle.describe()).staticSummary();
    expect(summary).toMatch(/^Order (#4101|\d+) → QuickBooks Online #1$/);

    await eventually(async () => (await handle.query(orderSyncStatusQuery)).state === 'waiting_for_fix', 'the order to wait for a SKU mapping');
    expect((await handle.query(workflowMetadataQuery)).currentDetails).toBe('waiting for a SKU mapping: TEE-BLU-L');

    const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/TEE-BLU-L`, { ledgerItemId: harness.ledgerId('Item', 'Product A') });
    expect(saved.status).toBe(200);
    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    expect((await handle.query(workflowMetadataQuery)).currentDetails).toBe('booked');

    // Current details live in the workflow's memory, not in its history: no event was added for them, and the run replays.
    const history = await handle.fetchHistory();
    const types = new Set((history.events ?? []).map((event) => event.eventType));
    expect(types.has(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED)).toBe(false);
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-user-metadata' }])).toEqual([]);
  });
});
