import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * Customer names QuickBooks refuses (emulators/qbo/FIDELITY.md): a name a vendor already uses (6240), a name with
 * a colon, names longer than the stricter documented limits. The order still books, under a name QBO accepts.
 */
describe('order sync: customer names QuickBooks Online refuses', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start();
  });
  afterAll(async () => {
    await harness?.close();
  });

  function customerNames(): string[] {
    return harness.qbo.control.documents(harness.realmId, 'Customer').map((c) => String((c.record as { DisplayName: unknown }).DisplayName));
  }

  it('a customer named like one of the company’s vendors is booked under the next name form', async () => {
    harness.qbo.control.addOtherName(harness.realmId, 'Vendor', 'Grace Hopper');
    const order = harness.shopify.control.createOrder({
      name: '#2001',
      currency: 'GBP',
      email: 'grace@example.com',
      customer: { firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    const result: OrderSyncResult = await harness.syncResultOf(order.id);
    expect(result.outcome).toBe('created');
    expect(customerNames()).toContain('Grace Hopper (grace@example.com)');
    expect(harness.salesReceipts().filter((r) => (r.record as { DocNumber: string }).DocNumber === '2001')).toHaveLength(1);
  });

  it('a name with a colon and names longer than QBO’s stricter limits still book', async () => {
    const order = harness.shopify.control.createOrder({
      name: '#2002',
      currency: 'GBP',
      email: 'works@example.com',
      customer: { firstName: 'Bartholomew-Maximilian', lastName: 'Featherstonehaugh-Smythe', email: 'works@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    const colon = harness.shopify.control.createOrder({
      name: '#2003',
      currency: 'GBP',
      email: 'acme@example.com',
      customer: { firstName: 'Acme:', lastName: 'East', email: 'acme@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    for (const id of [order.id, colon.id]) {
      // The orders/create webhook starts the sync.
      const result: OrderSyncResult = await harness.syncResultOf(id);
      expect(result.outcome, JSON.stringify(result)).toBe('created');
    }
    const created = harness.qbo.control.documents(harness.realmId, 'Customer').map((c) => c.record as Record<string, unknown>);
    const long = created.find((c) => String(c.DisplayName).startsWith('Bartholomew'))!;
    expect(String(long.GivenName).length).toBeLessThanOrEqual(15);
    expect(String(long.FamilyName).length).toBeLessThanOrEqual(15);
    expect(created.every((c) => !String(c.DisplayName).includes(':'))).toBe(true);
    expect(customerNames().some((name) => name.startsWith('Acme'))).toBe(true);
  });
});
