import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { replayErrors } from './support/replay-check.js';
import { eventually, SyncHarness } from './support/sync-harness.js';

/** Revokes the ledger's grant just as the customer of an order is looked up: the order parks at that step. */
class RevokeAtCustomerLookup {
  private readonly armedEmails = new Set<string>();
  harness!: SyncHarness;
  arm(email: string): void {
    this.armedEmails.add(email);
  }
  decorate = (target: AccountingTarget): AccountingTarget =>
    new Proxy(target, {
      get: (object, property, receiver) => {
        if (property !== 'findCustomer') return Reflect.get(object, property, receiver);
        return async (...args: Parameters<AccountingTarget['findCustomer']>) => {
          const email = args[0].email;
          if (email && this.armedEmails.delete(email)) this.harness.qbo.control.revokeGrant(this.harness.realmId);
          return object.findCustomer(...args);
        };
      },
    });
}

describe('order sync: parked at the customer step', () => {
  let harness: SyncHarness;
  const ledger = new RevokeAtCustomerLookup();
  beforeAll(async () => {
    harness = await SyncHarness.start({ decorateTarget: ledger.decorate });
    ledger.harness = harness;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('resumed after a reconnect, it maps its lines again: a mapping saved while it waited is what gets booked', async () => {
    const first = harness.qbo.control.addItem(harness.realmId, { name: 'Vase (old company list)', sku: 'VASE-9', type: 'NonInventory', unitPrice: 20 });
    const replacement = harness.qbo.control.addItem(harness.realmId, { name: 'Vase', sku: 'VASE-9-NEW', type: 'NonInventory', unitPrice: 20 });
    const email = 'vase.buyer@example.com';
    const order = harness.shopify.control.createOrder({
      name: '#4951',
      email,
      customer: { firstName: 'Vera', lastName: 'Vase', email },
      lineItems: [{ title: 'Vase', sku: 'VASE-9', quantity: 1, unitPrice: '20.00' }],
    });
    ledger.arm(email);
    const { workflowId } = await harness.startSync(order.id);
    const handle = harness.handle(workflowId);
    await eventually(async () => ((await handle.query(orderSyncStatusQuery)).state === 'waiting_for_reconnect' ? true : undefined), 'the order to wait for a reconnect');
    await eventually(async () => ((await harness.orderRow(order.id))?.waitingFor === 'reconnect' ? true : undefined), 'the row to say so');

    // While it waits (a reconnect, or a switch to another company), the bookkeeper maps the SKU to another item.
    expect((await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/VASE-9`, { ledgerItemId: String(replacement.Id) })).status).toBe(200);
    harness.qbo.control.authorizeAs(harness.realmId);
    await harness.connect(harness.qboIntegrationId, { realmId: harness.realmId });
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${order.id}/reconnected`)).status).toBeLessThan(300);

    const result: OrderSyncResult = await handle.result();
    expect(result.outcome).toBe('created');
    const receipts = harness.salesReceipts().filter((r) => r.docNumber === '4951');
    expect(receipts).toHaveLength(1);
    const line = (receipts[0]!.record as any).Line.find((l: any) => l.DetailType === 'SalesItemLineDetail');
    expect(line.SalesItemLineDetail.ItemRef.value).toBe(String(replacement.Id));
    expect(line.SalesItemLineDetail.ItemRef.value).not.toBe(String(first.Id));
    expect(await replayErrors(harness.client, [{ workflowId, fixtureName: 'order-sync-customer-step-parked-then-remapped' }])).toEqual([]);
  });
});
