import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeRepair } from '../activities/commerce-webhook-keeper.js';
import { CredentialsInvalidError, PlatformUnavailableError } from '../domain/platform-errors.js';
import { startWooCommerceEmulator, type WooCommerceEmulator, type WooOrderInput } from '../emulators/woocommerce/index.js';
import { createWooCommercePlatform, wooWebhookAddress } from '../platforms/woocommerce/index.js';
import type { PlatformConnection } from '../platforms/platform.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const platform = createWooCommercePlatform({ appName: 'ledgerbridge', requestTimeoutMs: 5_000 });

async function store(): Promise<{ emulator: WooCommerceEmulator; connection: PlatformConnection; keys: { token: string } }> {
  const emulator = await startWooCommerceEmulator();
  cleanups.push(() => emulator.close());
  const key = emulator.control.createKey();
  const keys = { token: `${key.consumerKey}:${key.consumerSecret}` };
  const connection: PlatformConnection = {
    integrationId: 'woo-1',
    account: { storeUrl: emulator.origin },
    tokens: { getAccessToken: async () => keys.token, refreshAfterRejection: async () => null },
  };
  return { emulator, connection, keys };
}

const sum = (amounts: string[]) => amounts.reduce((total, amount) => total + Math.round(Number(amount) * 100), 0) / 100;

/** The reconciliation every CommerceOrder keeps: Σ(unit × qty) − discount + shipping (+ tax when prices exclude it) = total. */
function reconciles(order: Awaited<ReturnType<ReturnType<typeof platform.createSource>['getOrder']>>): number {
  const lines = order!.lines.reduce((total, line) => total + Math.round(Number(line.unitPrice) * 100) * line.quantity, 0) / 100;
  return Math.round((lines - Number(order!.totalDiscount) + Number(order!.totalShipping) + (order!.taxesIncluded ? 0 : Number(order!.totalTax))) * 100) / 100;
}

const BASE: WooOrderInput = {
  currency: 'EUR',
  taxRate: { label: 'VAT', percent: 20 },
  lines: [
    { name: 'T-shirt - Red, M', sku: 'TS-RED-M', quantity: 2, price: '24.00' },
    { name: 'Mug', sku: 'MUG-1', quantity: 1, price: '12.00' },
  ],
  coupon: { code: 'SAVE6', amount: '6.00' },
  shipping: { methodTitle: 'Flat rate', total: '6.00' },
  fees: [{ name: 'Gift wrap', total: '3.00', taxable: true }],
  customer: { id: 26, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
};

describe('WooCommerce commerce source (the official client against the emulator)', () => {
  it('maps an order with prices excluding tax: lines at their prices, coupon as line discounts, the fee as a line, shipping, tax lines', async () => {
    const { emulator, connection } = await store();
    const placed = emulator.control.createOrder(BASE);
    const order = await platform.createSource(connection).getOrder(String(placed.id));
    expect(order).toMatchObject({
      id: String(placed.id),
      name: `#${placed.number as string}`,
      currency: 'EUR',
      taxesIncluded: false,
      financialStatus: 'paid',
      cancelledAt: null,
      email: 'ada@example.com',
      customer: { id: '26', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      total: placed.total,
      totalTax: placed.total_tax,
      totalShipping: '6.00',
      totalDiscount: '6.00',
    });
    expect(order!.createdAt).toBe(`${placed.date_created_gmt as string}Z`);
    expect(order!.lines.map((l) => [l.sku, l.title, l.quantity, l.unitPrice])).toEqual([
      ['TS-RED-M', 'T-shirt - Red, M', 2, '24.00'],
      ['MUG-1', 'Mug', 1, '12.00'],
      [null, 'Gift wrap', 1, '3.00'],
    ]);
    expect(order!.lines[0]!.taxLines[0]).toMatchObject({ title: 'VAT', rate: 0.2 });
    expect(order!.shippingLines).toEqual([{ title: 'Flat rate', price: '6.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.20' }] }]);
    expect(sum(order!.taxLines.map((t) => t.amount))).toBe(Number(placed.total_tax));
    expect(reconciles(order)).toBe(Number(placed.total));
  });

  it('maps an order with prices including tax at the prices the customer saw, and refunds into the current total', async () => {
    const { emulator, connection } = await store();
    const placed = emulator.control.createOrder({ ...BASE, pricesIncludeTax: true });
    emulator.control.refundOrder(placed.id as number, '10.00', 'damaged');
    const order = await platform.createSource(connection).getOrder(String(placed.id));
    expect(order!.taxesIncluded).toBe(true);
    expect(order!.lines.map((l) => l.unitPrice)).toEqual(['24.00', '12.00', '3.00']);
    expect(order!.totalShipping).toBe('6.00');
    expect(order!.total).toBe(placed.total);
    expect(reconciles(order)).toBe(Number(placed.total));
    expect(order!.currentTotal).toBe((Number(placed.total) - 10).toFixed(2));
  });

  it('reads an order\'s refunds in the order\'s amounts: refunded lines (tax-inclusive with the order), the amount, the reason; null for no such order', async () => {
    const { emulator, connection } = await store();
    const placed = emulator.control.createOrder({ ...BASE, pricesIncludeTax: true });
    const tee = (placed.line_items as Array<{ id: number; name: string }>).find((line) => line.name === 'T-shirt - Red, M')!;
    const made = emulator.control.refundOrder(placed.id as number, '24.00', 'Wrong size', [{ id: tee.id, quantity: 1, refund_total: '20.00', refund_tax: '4.00' }])!;
    emulator.control.refundOrder(placed.id as number, '5.00', '');
    const source = platform.createSource(connection);
    const refunds = await source.getRefunds!(String(placed.id));
    expect(refunds).toEqual([
      {
        id: String(made.id),
        orderId: String(placed.id),
        createdAt: `${made.date_created_gmt as string}Z`,
        note: 'Wrong size',
        lines: [{ lineId: String(tee.id), quantity: 1, subtotal: '24.00', tax: '4.00', restock: true }],
        shipping: null,
        total: '24.00',
      },
      expect.objectContaining({ note: null, lines: [], shipping: null, total: '5.00' }),
    ]);
    expect(await source.getRefunds!('999999')).toBeNull();
  });

  it('says null for an order WooCommerce does not have; a revoked key is a reconnect; an unreachable site is an outage', async () => {
    const { emulator, connection } = await store();
    const source = platform.createSource(connection);
    expect(await source.getOrder('999999')).toBeNull();
    expect(await source.checkConnection()).toEqual({ accountName: emulator.origin, grantedScopes: null });

    emulator.control.unreachable = 'reset';
    await expect(source.getOrder('1')).rejects.toBeInstanceOf(PlatformUnavailableError);
    emulator.control.unreachable = 'html-503';
    await expect(source.getOrder('1')).rejects.toMatchObject({ name: 'PlatformUnavailableError', status: 503 });
    emulator.control.unreachable = false;

    emulator.control.revokeKeys();
    const revoked = await source.getOrder('1').catch((error: unknown) => error);
    expect(revoked).toBeInstanceOf(CredentialsInvalidError);
    expect((revoked as CredentialsInvalidError).message).toMatch(/no longer accepts ledgerbridge's API key.*Reconnect/);
    expect((revoked as CredentialsInvalidError).detail).toContain('Consumer key is invalid.');
    expect((revoked as CredentialsInvalidError).detail).not.toContain('cs_');
  });

  it('lists orders changed since a time, oldest change first, a page at a time', async () => {
    const { emulator, connection } = await store();
    const source = platform.createSource(connection);
    const since = new Date(Date.now() - 1_000).toISOString();
    const ids = Array.from({ length: 102 }, () => emulator.control.site.createOrder(BASE).id as number);
    // The first order changes last.
    emulator.control.site.updateOrder(ids[0]!, { status: 'completed' }, new Date(Date.now() + 60_000));
    const first = await source.listOrdersUpdatedSince!(since);
    expect(first.orders).toHaveLength(100);
    expect(first.nextPageCursor).toBe('2');
    const second = await source.listOrdersUpdatedSince!(since, first.nextPageCursor);
    expect(second.nextPageCursor).toBeUndefined();
    const all = [...first.orders, ...second.orders];
    expect(all.map((o) => o.id).sort()).toEqual(ids.map(String).sort());
    expect(all.at(-1)!.id).toBe(String(ids[0]));
    expect(all.every((o, i) => i === 0 || o.updatedAt >= all[i - 1]!.updatedAt)).toBe(true);
    expect(all[0]!.updatedAt).toMatch(/Z$/);
    expect((await source.listOrdersUpdatedSince!(new Date(Date.now() + 30_000).toISOString())).orders.map((o) => o.id)).toEqual([String(ids[0])]);
  });
});

describe('WooCommerce webhooks kept by the platform', () => {
  it('creates the order, customer and product topics, finds them right the next time, turns a disabled one back on, and takes a new secret after a reconnect', async () => {
    const { emulator, connection, keys } = await store();
    const webhooks = platform.createWebhooks(connection);
    const address = wooWebhookAddress('https://ledgerbridge.example.com', 'woo-1');

    const topics = ['order.created', 'order.updated', 'customer.created', 'customer.updated', 'product.created', 'product.updated'];
    const created = await webhooks.ensure('https://ledgerbridge.example.com/');
    expect(created).toEqual({ address, topics: topics.map((topic) => ({ topic, state: 'created', message: null })) });
    expect(emulator.control.webhookList().map((w) => [w.topic, w.status, w.deliveryUrl])).toEqual(topics.map((topic) => [topic, 'active', address]));
    expect((await webhooks.ensure('https://ledgerbridge.example.com')).topics.map((t) => t.state)).toEqual(topics.map(() => 'ok'));

    // WooCommerce disabled it after failed deliveries.
    emulator.control.webhookList()[0]!.status = 'disabled';
    const repaired = await webhooks.ensure('https://ledgerbridge.example.com');
    expect(repaired.topics[0]).toMatchObject({ topic: 'order.created', state: 'replaced' });
    expect(repaired.topics[0]!.message).toMatch(/had disabled order\.created after repeated failed deliveries; ledgerbridge turned it back on/);
    expect(emulator.control.webhookList().map((w) => w.status)).toEqual(topics.map(() => 'active'));

    // A reconnect brings a new key: the webhooks are signed with the new secret from then on.
    const before = emulator.control.webhookList().map((w) => w.secret);
    const key = emulator.control.createKey();
    keys.token = `${key.consumerKey}:${key.consumerSecret}`;
    expect((await webhooks.ensure('https://ledgerbridge.example.com')).topics.map((t) => t.state)).toEqual(topics.map(() => 'replaced'));
    const after = emulator.control.webhookList();
    expect(after).toHaveLength(topics.length);
    expect(after.map((w) => w.secret)).not.toEqual(before);
    const order = emulator.control.site.createOrder(BASE);
    const body = JSON.stringify(order);
    const signature = (secret: string) => createHmac('sha256', secret).update(body).digest('base64');
    const check = platform.verifyWebhook('woo-1', keys.token, body, { 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': signature(after[0]!.secret) });
    expect(check.valid).toBe(true);

    expect(await webhooks.remove()).toBe(topics.length);
    expect(emulator.control.webhookList()).toHaveLength(0);
  });

  it('a health check names what a refused subscription costs: orders, or customer and product changes', () => {
    const address = wooWebhookAddress('https://ledgerbridge.example.com', 'woo-1');
    const refused = (topic: string) => ({ topic, state: 'failed' as const, message: `WooCommerce #1 refused to send ${topic}.` });
    expect(describeRepair({ address, topics: [refused('product.created')] }, 'WooCommerce')).toEqual({
      ok: false,
      message: 'WooCommerce is not sending product.created to ledgerbridge, so changes to customers and products would not arrive. WooCommerce #1 refused to send product.created.',
    });
    expect(describeRepair({ address, topics: [refused('order.created'), refused('customer.updated')] }, 'WooCommerce').message).toMatch(
      /^WooCommerce is not sending order\.created, customer\.updated to ledgerbridge, so new orders would not arrive\./,
    );
  });
});

describe('WooCommerce customers and products (entity syncs)', () => {
  it('reads a customer and a product, and answers null for ids the store does not have', async () => {
    const { emulator, connection } = await store();
    const source = platform.createSource(connection);
    const ada = emulator.control.site.addCustomer({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
    const mug = emulator.control.site.addProduct({ name: 'Mug', sku: 'MUG-1', price: '12.00' });
    expect(await source.getCustomer!(String(ada.id))).toEqual({ id: String(ada.id), email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', currency: 'GBP' });
    expect(await source.getProduct!(String(mug.id))).toEqual({ id: String(mug.id), title: 'Mug', variants: [{ id: String(mug.id), title: 'Default Title', sku: 'MUG-1', price: '12.00' }] });
    expect(await source.getCustomer!('999999')).toBeNull();
    expect(await source.getProduct!('999999')).toBeNull();
    expect((await source.listProducts!()).ids).toEqual([String(mug.id)]);
    expect((await source.listCustomers!()).ids).toEqual([String(ada.id)]);
  });
});
