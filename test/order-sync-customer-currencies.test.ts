import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * In a multicurrency QuickBooks company a customer has one currency and every sale to it must be in that currency
 * (emulators/qbo/currency-rules.ts refuses the rest with 6000). A person who buys in pounds and then in euros is
 * booked under one customer per currency ("Chloé Dubois", "Chloé Dubois (EUR)"); guests and the route's fallback
 * customer likewise; a repeat customer in a currency seen before still costs no customer lookup.
 */
describe('order sync: customers per currency in a multicurrency company (UK company, GBP home)', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ qboCompany: 'GB' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const vat = (amount: string) => [{ title: 'VAT', rate: 0.2, amount }];
  const mug = [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '10.00', taxLines: vat('2.00') }];

  const customers = () => harness.qbo.control.list(harness.realmId, 'Customer') as Array<Record<string, any>>;
  const customerNamed = (name: string) => customers().filter((c) => c.DisplayName === name);
  const receiptOf = (orderId: string) => {
    const mine = harness.salesReceipts().filter((r) => (r.record as { PrivateNote: string }).PrivateNote.includes(orderId));
    expect(mine).toHaveLength(1);
    return mine[0]!.record as Record<string, any>;
  };
  /** The receipt's customer: the one QuickBooks would hold it to, in the receipt's currency. */
  const customerOf = (orderId: string) => customers().find((c) => c.Id === receiptOf(orderId).CustomerRef.value)!;

  /** Shopify withholds (or shares again) the shop's customers' names and emails. */
  const withhold = (withheld: boolean) =>
    fetch(`${harness.shopify.origin}/_emulator/customer-data`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ withheld, shop: harness.shop }) });

  const sync = async (orderId: string) => {
    harness.qbo.control.clearRequestLog();
    const result: OrderSyncResult = await harness.handle((await harness.startSync(orderId)).workflowId).result();
    expect(result.outcome, JSON.stringify(result)).toBe('created');
    return harness.qbo.control.requestLog().map((r) => `${r.method} ${r.url.split('?')[0]!.split('/').at(-1)}`);
  };

  it('a repeat customer ordering in a second currency is booked under a customer in that currency; known currencies cost no lookup', async () => {
    const chloe = harness.shopify.control.createCustomer({ firstName: 'Chloé', lastName: 'Dubois', email: 'chloe@example.fr' });
    const pounds = harness.shopify.control.createOrder({ name: '#8001', currency: 'GBP', customerId: chloe.id, lineItems: mug });
    await sync(pounds.id);
    const euros = harness.shopify.control.createOrder({ name: '#8002', currency: 'EUR', customerId: chloe.id, lineItems: mug });
    await sync(euros.id);

    expect(customerOf(pounds.id)).toMatchObject({ DisplayName: 'Chloé Dubois', CurrencyRef: { value: 'GBP' } });
    expect(customerOf(euros.id)).toMatchObject({ DisplayName: 'Chloé Dubois (EUR)', CurrencyRef: { value: 'EUR' } });
    expect(receiptOf(euros.id)).toMatchObject({ CurrencyRef: { value: 'EUR' }, TotalAmt: 12 });

    // Again in each currency: only the number's lookup and the booking, under the same two customers.
    const eurosAgain = harness.shopify.control.createOrder({ name: '#8003', currency: 'EUR', customerId: chloe.id, lineItems: mug });
    expect(await sync(eurosAgain.id)).toEqual(['POST query', 'POST salesreceipt']);
    const poundsAgain = harness.shopify.control.createOrder({ name: '#8004', currency: 'GBP', customerId: chloe.id, lineItems: mug });
    expect(await sync(poundsAgain.id)).toEqual(['POST query', 'POST salesreceipt']);
    expect(customerOf(eurosAgain.id).Id).toBe(customerOf(euros.id).Id);
    expect(customerOf(poundsAgain.id).Id).toBe(customerOf(pounds.id).Id);
    expect(customers().filter((c) => c.PrimaryEmailAddr?.Address === 'chloe@example.fr')).toHaveLength(2);
  });

  it('guest orders get one guest customer per currency', async () => {
    const guestOrder = async (name: string, currency: string) => {
      const order = harness.shopify.control.createOrder({ name, currency, email: null, lineItems: mug });
      await sync(order.id);
      return order;
    };
    const pounds = await guestOrder('#8005', 'GBP');
    const dollars = await guestOrder('#8006', 'USD');
    const dollarsAgain = await guestOrder('#8007', 'USD');
    expect(customerOf(pounds.id)).toMatchObject({ DisplayName: 'Online customer', CurrencyRef: { value: 'GBP' } });
    expect(customerOf(dollars.id)).toMatchObject({ DisplayName: 'Online customer (USD)', CurrencyRef: { value: 'USD' } });
    expect(customerOf(dollarsAgain.id).Id).toBe(customerOf(dollars.id).Id);
    expect(customerNamed('Online customer (USD)')).toHaveLength(1);
  });

  it("the route's fallback customer takes guest orders and withheld customers, one per currency, and the order says which", async () => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/fallback-customer`, { fallbackCustomerName: 'Web shop customer' });
    expect(set.status).toBe(200);
    const guestInEuros = harness.shopify.control.createOrder({ name: '#8008', currency: 'EUR', email: null, lineItems: mug });
    await sync(guestInEuros.id);
    const guestInPounds = harness.shopify.control.createOrder({ name: '#8009', currency: 'GBP', email: null, lineItems: mug });
    await sync(guestInPounds.id);
    expect(customerOf(guestInEuros.id)).toMatchObject({ DisplayName: 'Web shop customer (EUR)', CurrencyRef: { value: 'EUR' } });
    expect(customerOf(guestInPounds.id)).toMatchObject({ DisplayName: 'Web shop customer', CurrencyRef: { value: 'GBP' } });

    // Shopify withholds the customer's name and email: the same per-currency fallback, named on the order.
    expect((await withhold(true)).status).toBeLessThan(300);
    try {
      const hidden = harness.shopify.control.createOrder({ name: '#8010', currency: 'EUR', customer: { firstName: 'Bo', email: 'bo@example.com' }, lineItems: mug });
      await sync(hidden.id);
      expect(customerOf(hidden.id).Id).toBe(customerOf(guestInEuros.id).Id);
      const row = await harness.operator('GET', `/routes/${harness.routeId}/orders/${hidden.id}`);
      expect(row.body.order.customerNotice).toContain('Booked under "Web shop customer (EUR)"');
    } finally {
      await withhold(false);
    }
    expect(customerNamed('Web shop customer (EUR)')).toHaveLength(1);
  });

  it('customers created before foreign ones were named with their currency keep taking orders in their currency: no new "(USD)" customer', async () => {
    // An older ledgerbridge named every customer plainly: the route's fallback customer and a person, both in dollars.
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/fallback-customer`, { fallbackCustomerName: 'Old web customer' });
    expect(set.status).toBe(200);
    const oldFallback = harness.qbo.control.addCustomer(harness.realmId, { displayName: 'Old web customer', currency: 'USD' });
    const oldPerson = harness.qbo.control.addCustomer(harness.realmId, { displayName: 'Marie Curie', email: 'marie@example.fr', currency: 'USD' });
    const before = customers().length;

    const guest = harness.shopify.control.createOrder({ name: '#8011', currency: 'USD', email: null, lineItems: mug });
    await sync(guest.id);
    const marie = harness.shopify.control.createCustomer({ firstName: 'Marie', lastName: 'Curie', email: 'marie@example.fr' });
    const personal = harness.shopify.control.createOrder({ name: '#8012', currency: 'USD', customerId: marie.id, lineItems: mug });
    await sync(personal.id);
    expect((await withhold(true)).status).toBeLessThan(300);
    try {
      const hidden = harness.shopify.control.createOrder({ name: '#8013', currency: 'USD', customer: { firstName: 'Bo', email: 'bo@example.com' }, lineItems: mug });
      await sync(hidden.id);
      expect(customerOf(hidden.id).Id).toBe(oldFallback.Id);
    } finally {
      await withhold(false);
    }

    expect(customerOf(guest.id)).toMatchObject({ Id: oldFallback.Id, DisplayName: 'Old web customer' });
    expect(receiptOf(guest.id)).toMatchObject({ CurrencyRef: { value: 'USD' } });
    expect(customerOf(personal.id)).toMatchObject({ Id: oldPerson.Id, DisplayName: 'Marie Curie' });
    expect(customers()).toHaveLength(before);
    expect(customerNamed('Old web customer (USD)')).toEqual([]);
    expect(customerNamed('Marie Curie (USD)')).toEqual([]);
  });
});
