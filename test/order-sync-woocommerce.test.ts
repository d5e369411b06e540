import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { integrations, webhookEvents } from '../db/schema.js';
import type { WooOrderInput } from '../emulators/woocommerce/index.js';
import { orderSyncStatusQuery, type OrderSyncResult } from '../workflows/order-sync.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { eventually, SyncHarness } from './support/sync-harness.js';
import { redeliverAtOnce } from './support/webhook-replay.js';

/** Orders of a WooCommerce store booked into QuickBooks Online, through the product: webhooks, Temporal, the official client, the emulators. */
describe('order sync: WooCommerce → QuickBooks Online', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await SyncHarness.start({ shop: 'woocommerce' });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  const receiptsNumbered = (number: string) => harness.salesReceipts().filter((r) => (r.record as { DocNumber?: string }).DocNumber === number);
  const deliveriesOf = (orderId: number) => harness.woo.control.webhooks.deliveries.filter((d) => (JSON.parse(d.body) as { id: number }).id === orderId);
  const place = (input: Partial<WooOrderInput> = {}) =>
    harness.woo.control.createOrder({
      currency: 'GBP',
      taxRate: { label: 'VAT', percent: 20 },
      lines: [{ name: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }],
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      ...input,
    });

  it('connecting "WooCommerce #1" through the key grant stores its key and subscribes the order, customer and product topics to its own address', async () => {
    const [row] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.wooIntegrationId));
    expect(row).toMatchObject({ displayName: 'WooCommerce #1', platform: 'woocommerce', account: { storeUrl: harness.woo.origin } });
    const { credentials } = await harness.credentials.load(harness.wooIntegrationId);
    expect(credentials).toMatchObject({ accessTokenExpiresAt: null, scopes: ['read_write'] });
    const address = `${harness.apiOrigin}/webhooks/woocommerce/${harness.wooIntegrationId}`;
    expect(harness.woo.control.webhookList().map((w) => [w.topic, w.status, w.deliveryUrl])).toEqual(
      ['order.created', 'order.updated', 'customer.created', 'customer.updated', 'product.created', 'product.updated'].map((topic) => [topic, 'active', address]),
    );
  });

  it("books a new order from its webhook as one sales receipt at the store's total, with coupon, shipping and VAT", async () => {
    const order = place({
      lines: [
        { name: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, price: '20.00' },
        { name: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' },
      ],
      coupon: { code: 'SAVE4', amount: '4.00' },
      shipping: { methodTitle: 'Flat rate', total: '4.50' },
    });
    const result = await harness.syncResultOf(String(order.id));
    expect(result.outcome).toBe('created');
    const [receipt] = receiptsNumbered(order.number as string);
    const record = receipt!.record as Record<string, any>;
    expect(record.TotalAmt).toBe(Number(order.total));
    const items = record.Line.filter((l: any) => l.DetailType === 'SalesItemLineDetail' && l.SalesItemLineDetail.ItemRef.value !== 'SHIPPING_ITEM_ID');
    // The coupon comes off the lines it was spread over, as WooCommerce spread it.
    expect(items.map((l: any) => l.Amount)).toEqual([Number(order.line_items && (order.line_items as any[])[0].total), Number((order.line_items as any[])[1].total)]);
    expect(record.Line.some((l: any) => l.SalesItemLineDetail?.ItemRef?.value === 'SHIPPING_ITEM_ID' && l.Amount === 4.5)).toBe(true);
    expect(await harness.orderRow(String(order.id))).toMatchObject({ status: 'synced', orderName: `#${order.number as string}` });
  });

  it('the same change delivered again (and again at once) is one event and one receipt; order.updated for it too', async () => {
    const order = place();
    await harness.syncResultOf(String(order.id));
    const [delivery] = deliveriesOf(order.id as number);
    expect(await redeliverAtOnce(delivery!, 3)).toEqual([
      [200, 'duplicate'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    // WooCommerce has no event id: order.updated reporting the same change of the same order is the same event.
    const updated = await fetch(delivery!.url, { method: 'POST', headers: { ...delivery!.headers, 'x-wc-webhook-topic': 'order.updated' }, body: delivery!.body });
    expect(((await updated.json()) as { status: string }).status).toBe('duplicate');
    expect(receiptsNumbered(order.number as string)).toHaveLength(1);
    const events = await harness.db.select().from(webhookEvents).where(eq(webhookEvents.orderId, String(order.id)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ integrationId: harness.wooIntegrationId, shop: null, topic: 'order.created' });
  });

  it('a delivery whose signature does not match is refused with 401 and nothing is recorded', async () => {
    const order = place();
    await harness.syncResultOf(String(order.id));
    const [delivery] = deliveriesOf(order.id as number);
    const forged = delivery!.body.replace(`"total":"${order.total as string}"`, '"total":"0.01"');
    const before = await harness.db.select().from(webhookEvents).where(like(webhookEvents.eventId, `woocommerce/${harness.wooIntegrationId}/%`));
    const answer = await fetch(delivery!.url, { method: 'POST', headers: delivery!.headers, body: forged });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    const unsigned = await fetch(delivery!.url, { method: 'POST', headers: { ...delivery!.headers, 'x-wc-webhook-signature': 'AAAA' }, body: delivery!.body });
    expect(unsigned.status).toBe(401);
    const after = await harness.db.select().from(webhookEvents).where(like(webhookEvents.eventId, `woocommerce/${harness.wooIntegrationId}/%`));
    expect(after).toHaveLength(before.length);
  });

  it('with the key revoked in WooCommerce the order waits for a reconnect of "WooCommerce #1"; after reconnecting it books one receipt', async () => {
    harness.woo.control.revokeKeys();
    const order = place();
    const orderId = String(order.id);
    const handle = harness.handle(orderSyncWorkflowId(harness.routeId, orderId));
    const status = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_reconnect' ? s : undefined;
    }, 'the order to wait for a reconnect');
    expect(status.lastError?.code).toBe('CredentialsInvalid');
    // Named as every integration is, never by its address.
    expect(status.lastError?.message).toMatch(/WooCommerce #1 no longer accepts ledgerbridge's API key.*Reconnect/);
    expect(status.lastError?.message).not.toContain(harness.woo.origin.replace(/^https?:\/\//, ''));
    await eventually(async () => (await harness.orderRow(orderId))?.waitingFor === 'reconnect', 'the row to wait for a reconnect');
    expect(await harness.orderRow(orderId)).toMatchObject({ waitingOn: harness.wooIntegrationId });
    const integration = await eventually(async () => {
      const [found] = await harness.db.select().from(integrations).where(eq(integrations.id, harness.wooIntegrationId));
      return found?.status === 'reconnect_required' ? found : undefined;
    }, 'WooCommerce #1 to need a reconnect');
    expect(integration.statusReason).toMatch(/Reconnect/);
    expect(integration.statusReason).not.toContain(harness.woo.origin.replace(/^https?:\/\//, ''));
    expect(receiptsNumbered(order.number as string)).toHaveLength(0);

    await harness.connectWooCommerce();
    expect((await harness.operator('POST', `/routes/${harness.routeId}/orders/${orderId}/reconnected`)).status).toBeLessThan(300);
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    expect(receiptsNumbered(order.number as string)).toHaveLength(1);

    // The webhooks now carry the new key's secret: the next order arrives and is booked.
    const next = place();
    expect((await harness.syncResultOf(String(next.id))).outcome).toBe('created');
  });

  it('an unknown SKU and a fee without one park the order with what to map; once mapped it books once', async () => {
    const order = place({
      lines: [{ name: 'Poster', sku: 'POSTER-A2', quantity: 1, price: '15.00' }],
      fees: [{ name: 'Gift wrap', total: '2.00', taxable: true }],
    });
    const orderId = String(order.id);
    const handle = harness.handle(orderSyncWorkflowId(harness.routeId, orderId));
    const waiting = await eventually(async () => {
      const s = await handle.query(orderSyncStatusQuery);
      return s.state === 'waiting_for_fix' && s.lastError?.code === 'SkuNotFound' ? s : undefined;
    }, 'the order to wait on its SKUs');
    expect(waiting.lastError?.message).toMatch(/POSTER-A2/);
    expect(receiptsNumbered(order.number as string)).toHaveLength(0);

    for (const key of ['POSTER-A2', 'title:Gift wrap']) {
      const saved = await harness.operator('PUT', `/routes/${harness.routeId}/sku-mappings/${encodeURIComponent(key)}`, { ledgerItemId: harness.ledgerId('Item', 'Mug') });
      expect(saved.status).toBe(200);
    }
    expect(((await handle.result()) as OrderSyncResult).outcome).toBe('created');
    const receipts = receiptsNumbered(order.number as string);
    expect(receipts).toHaveLength(1);
    expect((receipts[0]!.record as { TotalAmt: number }).TotalAmt).toBe(Number(order.total));
    const rows = await harness.db.select().from(webhookEvents).where(and(eq(webhookEvents.orderId, orderId), eq(webhookEvents.integrationId, harness.wooIntegrationId)));
    expect(rows).toHaveLength(1);
  });
});
