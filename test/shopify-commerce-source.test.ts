import { afterEach, describe, expect, it } from 'vitest';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { toMinor } from '../domain/money.js';
import {
  CredentialsInvalidError,
  MissingScopeError,
  PlatformUnavailableError,
  RateLimitedError,
} from '../domain/platform-errors.js';
import { fixedTokens, startEmulatedShopify, type EmulatedShopify } from './shopify-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const ALL_SCOPES = ['read_orders', 'read_products', 'read_customers'];

async function setup(...args: Parameters<typeof startEmulatedShopify>) {
  const env = await startEmulatedShopify(...args);
  cleanups.push(() => env.emulator.close());
  const token = env.emulator.control.issueToken({ scopes: ALL_SCOPES });
  const tokens = fixedTokens(token.accessToken);
  const source = env.platform.createSource({ integrationId: 'integration-1', account: { shop: env.shop }, tokens: tokens.provider });
  return { ...env, token, tokens, source };
}

function simpleOrder(env: EmulatedShopify) {
  return env.emulator.control.createOrder({ lineItems: [{ title: 'Mug', sku: 'MUG', quantity: 1, unitPrice: '10.00' }] });
}

describe('ShopifyCommerceSource.getOrder', () => {
  it('maps discounts, shipping, taxes, customer and currency from shop money', async () => {
    const env = await setup();
    const product = env.emulator.control.createProduct({ title: 'Tee', variants: [{ sku: 'TEE-RED-M', price: '50.00' }] });
    const vat = (amount: string) => [{ title: 'VAT', rate: 0.2, amount }];
    const created = env.emulator.control.createOrder({
      currency: 'EUR',
      presentmentCurrency: 'USD',
      presentmentRate: 1.08,
      taxesIncluded: true,
      financialStatus: 'PARTIALLY_REFUNDED',
      note: 'leave at the door',
      customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      lineItems: [
        { title: 'Tee - Red / M', sku: null, variantId: product.variants[0]!.id, quantity: 2, currentQuantity: 1, unitPrice: '50.00', discount: '10.00', taxLines: vat('15.00') },
        { title: 'Gift card', sku: 'GIFT', quantity: 1, unitPrice: '20.00', taxable: false },
      ],
      shippingLines: [{ title: 'Express', price: '12.00', discountedPrice: '6.00', taxLines: vat('1.00') }],
    });

    const order = await env.source.getOrder(created.id);

    expect(order).toEqual<CommerceOrder>({
      id: created.id,
      name: '#1001',
      createdAt: created.createdAt,
      updatedAt: created.updatedAt,
      currency: 'EUR',
      taxesIncluded: true,
      financialStatus: 'partially_refunded',
      cancelledAt: null,
      note: 'leave at the door',
      email: 'ada@example.com',
      customer: { id: created.customerId, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      lines: [
        {
          id: created.lineItems[0]!.id,
          sku: 'TEE-RED-M', // from the variant when the line has none
          title: 'Tee - Red / M',
          quantity: 2,
          unitPrice: '50.00',
          discount: '10.00',
          taxable: true,
          taxLines: [{ title: 'VAT', rate: 0.2, amount: '15.00' }],
        },
        { id: created.lineItems[1]!.id, sku: 'GIFT', title: 'Gift card', quantity: 1, unitPrice: '20.00', discount: '0.00', taxable: false, taxLines: [] },
      ],
      shippingLines: [{ title: 'Express', price: '6.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.00' }] }],
      taxLines: [{ title: 'VAT', rate: 0.2, amount: '16.00' }],
      totalDiscount: '10.00',
      totalTax: '16.00',
      totalShipping: '6.00',
      total: '116.00',
      currentTotal: '116.00',
      // The buyer paid in dollars: the same order from presentmentMoney, for a route that books what the buyer paid.
      presentment: expect.objectContaining({
        currency: 'USD',
        lines: [expect.objectContaining({ unitPrice: '54.00', discount: '10.80' }), expect.objectContaining({ unitPrice: '21.60' })],
        shippingLines: [{ title: 'Express', price: '6.48', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.08' }] }],
        total: '125.28',
      }),
    });
    // The amounts reconcile, in each currency: lines − discounts + shipping (+ tax when not included) = total.
    for (const o of [order!, order!.presentment!]) {
      const lines = o.lines.reduce((sum, l) => sum + toMinor(l.unitPrice, o.currency) * l.quantity, 0);
      expect(lines - toMinor(o.totalDiscount, o.currency) + toMinor(o.totalShipping, o.currency) + (o.taxesIncluded ? 0 : toMinor(o.totalTax, o.currency))).toBe(toMinor(o.total, o.currency));
    }
  });

  it('adds tax on top when prices exclude it, and keeps orders without a customer', async () => {
    const env = await setup();
    const created = env.emulator.control.createOrder({
      currency: 'EUR',
      lineItems: [{ title: 'Mug', sku: 'MUG', quantity: 3, unitPrice: '14.50', taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '3.15' }] }],
    });
    const order = await env.source.getOrder(created.id);
    expect(order).toMatchObject({ customer: null, email: null, totalTax: '3.15', total: '46.65', totalShipping: '0.00', shippingLines: [] });
  });

  it('pages through line items beyond one page', async () => {
    const env = await setup({}, { lineItemPageSize: 2 });
    const created = env.emulator.control.createOrder({
      lineItems: [1, 2, 3, 4, 5].map((n) => ({ title: `Item ${n}`, sku: `SKU-${n}`, quantity: n, unitPrice: '1.00' })),
    });
    const order = await env.source.getOrder(created.id);
    expect(order!.lines.map((l) => l.sku)).toEqual(['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-5']);
    expect(order!.total).toBe('15.00');
  });

  it('returns null for an order the shop does not have', async () => {
    const env = await setup();
    expect(await env.source.getOrder('123456789')).toBeNull();
  });
});

describe('ShopifyCommerceSource errors', () => {
  it('turns THROTTLED into RateLimitedError with the time the bucket needs to refill', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    env.emulator.control.setBucket({ currentlyAvailable: 0, restoreRate: 100 });
    const error = await env.source.getOrder(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.detail).toContain('THROTTLED');
    const requested = Number(/"requestedQueryCost":(\d+)/.exec(limited.detail)![1]);
    const available = Number(/"currentlyAvailable":(\d+)/.exec(limited.detail)![1]);
    expect(requested).toBeGreaterThan(100);
    expect(limited.retryAfterMs).toBe(Math.max(1000, Math.ceil(((requested - available) / 100) * 1000)));
    expect(limited.retryAfterMs).toBeLessThan(15_000);
  });

  it('turns a forced throttle (control API) into RateLimitedError with at least a second of delay', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    env.emulator.control.faults.update({ throttleNext: 1 });
    const error = await env.source.getOrder(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    // Only the next call was throttled.
    expect(await env.source.getOrder(created.id)).toMatchObject({ id: created.id });
  });

  it('turns a revoked token into CredentialsInvalidError after asking the token provider once', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    env.emulator.control.revokeToken(env.token.accessToken);
    const error = await env.source.getOrder(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsInvalidError);
    expect(error).toMatchObject({ problem: 'revoked' });
    expect((error as CredentialsInvalidError).message).toBe(
      `Shopify no longer accepts ledgerbridge's access for ${env.shop}. Reconnect the store in ledgerbridge to resume syncing.`,
    );
    expect((error as CredentialsInvalidError).detail).toContain('401');
    expect(env.tokens.rejected).toEqual([env.token.accessToken]);
  });

  it('retries once with the token the provider refreshed after a 401', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    const expiring = env.emulator.control.issueToken({ expiring: true });
    env.emulator.control.expireToken(expiring.accessToken);
    const fresh = env.emulator.control.issueToken({ expiring: false });
    const tokens = fixedTokens(expiring.accessToken, () => fresh.accessToken);
    const source = env.platform.createSource({ integrationId: 'i', account: { shop: env.shop }, tokens: tokens.provider });
    expect(await source.getOrder(created.id)).toMatchObject({ id: created.id });
    expect(tokens.rejected).toEqual([expiring.accessToken]);
  });

  it('turns ACCESS_DENIED into MissingScopeError naming the scope', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    env.emulator.control.setScopes(['read_products']);
    const error = await env.source.getOrder(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingScopeError);
    expect((error as MissingScopeError).missingScopes).toEqual(['read_orders']);
    expect((error as MissingScopeError).message).toContain('read orders');
    expect(await env.source.checkConnection()).toEqual({ accountName: 'Test Shop', grantedScopes: ['read_products'] });
  });

  it('turns a 503 into PlatformUnavailableError', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    env.emulator.control.faults.update({ failNext: 1, failStatus: 503 });
    const error = await env.source.getOrder(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect((error as PlatformUnavailableError).status).toBe(503);
  });

  it('turns a dropped connection into PlatformUnavailableError', async () => {
    const env = await setup();
    const created = simpleOrder(env);
    const response = await fetch(`${env.emulator.origin}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dropNext: 1 }),
    });
    expect(response.status).toBe(200);
    const error = await env.source.getOrder(created.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect((error as PlatformUnavailableError).status).toBeNull();
    expect(env.emulator.control.faults.current.dropNext).toBe(0);
  });

  it('turns an unreachable emulator into PlatformUnavailableError', async () => {
    const env = await setup();
    await env.emulator.close();
    const error = await env.source.checkConnection().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
  });
});

describe('Several emulators in one process', () => {
  it('routes each shop to its own emulator', async () => {
    const a = await setup();
    const b = await setup();
    const orderA = simpleOrder(a);
    expect(await a.source.getOrder(orderA.id)).toMatchObject({ id: orderA.id });
    // Same ids start in both emulators, so check the shop actually answering via its name and scopes.
    b.emulator.control.shop().shop.name = 'Shop B';
    expect((await b.source.checkConnection()).accountName).toBe('Shop B');
    expect((await a.source.checkConnection()).accountName).toBe('Test Shop');
  });
});

describe('ShopifyCommerceSource.listOrdersUpdatedSince (reconciliation polling)', () => {
  /** Orders created at set moments within the last hour (inside the 60-day window without read_all_orders). */
  function ordersAt(env: Awaited<ReturnType<typeof setup>>, secondsAgo: number[]) {
    return secondsAgo.map((ago) =>
      env.emulator.control.createOrder({ createdAt: new Date(Date.now() - ago * 1000).toISOString(), lineItems: [{ title: 'Mug', sku: 'MUG', quantity: 1, unitPrice: '10.00' }] }),
    );
  }

  it('lists only orders changed after the moment, oldest change first, a page at a time until the last', async () => {
    const env = await setup({}, { updatedOrdersPageSize: 2 });
    const [old, a, b, c] = ordersAt(env, [3000, 300, 200, 100]);
    const since = new Date(Date.parse(old!.updatedAt) + 1000).toISOString();

    const first = await env.source.listOrdersUpdatedSince!(since);
    // With when each was placed: a route's start date is checked against it.
    expect(first.orders).toEqual([
      { id: a!.id, updatedAt: a!.updatedAt, createdAt: a!.createdAt },
      { id: b!.id, updatedAt: b!.updatedAt, createdAt: b!.createdAt },
    ]);
    expect(first.nextPageCursor).toEqual(expect.any(String));
    const second = await env.source.listOrdersUpdatedSince!(since, first.nextPageCursor);
    expect(second).toEqual({ orders: [{ id: c!.id, updatedAt: c!.updatedAt, createdAt: c!.createdAt }] });

    // Strictly after: an order changed exactly at the moment is not listed again.
    expect((await env.source.listOrdersUpdatedSince!(c!.updatedAt)).orders).toEqual([]);
  });

  it('lists an order again when it changes, at its new place, and a page cursor goes on from where it was', async () => {
    const env = await setup({}, { updatedOrdersPageSize: 2 });
    const [a, b, c] = ordersAt(env, [300, 200, 100]);
    const since = new Date(Date.parse(a!.updatedAt) - 1000).toISOString();
    const first = await env.source.listOrdersUpdatedSince!(since);
    expect(first.orders.map((o) => o.id)).toEqual([a!.id, b!.id]);

    // b changes between the pages: the next page still starts after b's old place (c), then b at its new time.
    const changed = env.emulator.control.updateOrder(b!.id, { note: 'gift wrap' });
    const second = await env.source.listOrdersUpdatedSince!(since, first.nextPageCursor);
    expect(second.orders).toEqual([
      { id: c!.id, updatedAt: c!.updatedAt, createdAt: c!.createdAt },
      { id: b!.id, updatedAt: changed.updatedAt, createdAt: b!.createdAt },
    ]);
  });

  it('turns a 503 on a page into PlatformUnavailableError', async () => {
    const env = await setup();
    ordersAt(env, [100]);
    env.emulator.control.faults.update({ failNext: 1, failStatus: 503 });
    const error = await env.source.listOrdersUpdatedSince!(new Date(Date.now() - 3_600_000).toISOString()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
  });
});

describe('ShopifyCommerceSource customers and products (entity syncs)', () => {
  it('reads a customer with the shop currency and a product with every variant over pages; null for unknown ids', async () => {
    const env = await setup();
    const grace = env.emulator.control.createCustomer({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });
    const variants = Array.from({ length: 130 }, (_, i) => ({ title: `Size ${i}`, sku: i === 0 ? null : `HAT-${i}`, price: '15.00' }));
    const hat = env.emulator.control.createProduct({ title: 'Hat', variants });
    const currency = env.emulator.control.snapshot().shops.find((s: { domain: string }) => s.domain === env.shop)?.currencyCode;
    expect(await env.source.getCustomer!(grace.id)).toEqual({ id: grace.id, email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', currency });
    const product = await env.source.getProduct!(hat.id);
    expect(product!.title).toBe('Hat');
    expect(product!.variants).toHaveLength(130);
    expect(product!.variants[0]).toEqual({ id: hat.variants[0]!.id, title: 'Size 0', sku: null, price: '15.00' });
    expect(product!.variants[129]!.sku).toBe('HAT-129');
    expect(await env.source.getCustomer!('99999999')).toBeNull();
    expect(await env.source.getProduct!('99999999')).toBeNull();
    expect((await env.source.listProducts!()).ids).toContain(hat.id);
    expect((await env.source.listCustomers!()).ids).toContain(grace.id);
  });

  it('a token without read_customers is told to reconnect with that access', async () => {
    const env = await setup();
    const narrow = env.emulator.control.issueToken({ scopes: ['read_orders'] });
    const source = env.platform.createSource({ integrationId: 'integration-1', account: { shop: env.shop }, tokens: fixedTokens(narrow.accessToken).provider });
    const customer = env.emulator.control.createCustomer({ email: 'x@example.com' });
    await expect(source.getCustomer!(customer.id)).rejects.toBeInstanceOf(MissingScopeError);
  });
});
