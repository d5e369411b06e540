import { afterEach, describe, expect, it } from 'vitest';
import { MissingScopeError } from '../domain/platform-errors.js';
import { createShopifyPlatform } from '../platforms/shopify/shopify-platform.js';
import { SHOPIFY_PAYOUT_SCOPE } from '../platforms/shopify/shopify-commerce-source.js';
import { fixedTokens, startEmulatedShopify } from './shopify-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(scopes: string[]) {
  const env = await startEmulatedShopify();
  cleanups.push(() => env.emulator.close());
  const token = env.emulator.control.issueToken({ scopes });
  const source = env.platform.createSource({ integrationId: 'integration-1', account: { shop: env.shop }, tokens: fixedTokens(token.accessToken).provider });
  return { ...env, source };
}

/** Shopify Payments payouts read through the real schema's shopifyPaymentsAccount, as the payout sync reads them. */
describe('ShopifyCommerceSource payouts', () => {
  it('lists payouts issued since a moment, oldest first, and reads one with every balance transaction (more than a page)', async () => {
    const env = await setup(['read_orders', SHOPIFY_PAYOUT_SCOPE]);
    const order = env.emulator.control.createOrder({ lineItems: [{ title: 'Mug', sku: 'MUG', quantity: 1, unitPrice: '10.00' }] });
    const early = env.emulator.control.createPayout({ issuedAt: '2026-11-01T10:00:00Z', transactions: [{ type: 'CHARGE', amount: '10.00', fee: '0.59', orderId: order.id }] });
    const many = Array.from({ length: 120 }, () => ({ type: 'CHARGE', amount: '10.00', fee: '0.59', orderId: order.id }));
    const late = env.emulator.control.createPayout({
      issuedAt: '2026-11-03T10:00:00Z',
      status: 'IN_TRANSIT',
      transactions: [...many, { type: 'REFUND', amount: '-10.00', orderId: order.id }, { type: 'ADJUSTMENT', amount: '-1.50', adjustmentReason: 'Reserve' }, { type: 'DISPUTE_WITHDRAWAL', amount: '-10.00', fee: '15.00', orderId: order.id }],
    });

    const currency = env.emulator.control.shop().shop.currencyCode;
    expect(await env.source.listPayoutsIssuedSince!('2026-10-31T00:00:00Z')).toEqual([
      { id: early.id, issuedAt: '2026-11-01T10:00:00.000Z', status: 'PAID', direction: 'deposit', currency, net: '9.41' },
      { id: late.id, issuedAt: '2026-11-03T10:00:00.000Z', status: 'IN_TRANSIT', direction: 'deposit', currency, net: '1092.70' },
    ]);
    expect((await env.source.listPayoutsIssuedSince!('2026-11-02T00:00:00Z')).map((p) => p.id)).toEqual([late.id]);

    const payout = (await env.source.getPayout!(late.id))!;
    // In the shop's currency, the payouts' default.
    expect(payout).toMatchObject({ id: late.id, status: 'IN_TRANSIT', direction: 'deposit', currency: env.emulator.control.shop().shop.currencyCode });
    // 120 × 9.41 − 10.00 − 1.50 − 25.00 = 1092.70
    expect(payout.net).toBe('1092.70');
    expect(payout.transactions).toHaveLength(123);
    expect(payout.transactions.slice(-3)).toEqual([
      expect.objectContaining({ kind: 'refund', type: 'REFUND', amount: '-10.00', fee: '0.00', order: { id: order.id, name: '#1001' } }),
      expect.objectContaining({ kind: 'adjustment', type: 'ADJUSTMENT', amount: '-1.50', order: null, reason: 'Reserve' }),
      expect.objectContaining({ kind: 'chargeback', type: 'DISPUTE_WITHDRAWAL', amount: '-10.00', fee: '15.00' }),
    ]);
    expect(await env.source.getPayout!('999')).toBeNull();
  });

  it('without the payouts scope, reading payouts asks for a reconnect naming it', async () => {
    const env = await setup(['read_orders', 'read_products', 'read_customers']);
    env.emulator.control.createPayout({ transactions: [{ type: 'ADJUSTMENT', amount: '5.00' }] });
    const error = await env.source.listPayoutsIssuedSince!('2026-01-01T00:00:00Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingScopeError);
    expect((error as MissingScopeError).missingScopes).toContain(SHOPIFY_PAYOUT_SCOPE);
  });

  it('new connections ask for the payouts scope; it is not required of a healthy connection', () => {
    const platform = createShopifyPlatform({ apiKey: 'k', apiSecretKey: 's' });
    expect(platform.requiredScopes).not.toContain(SHOPIFY_PAYOUT_SCOPE);
    expect(platform.shopify.config.scopes?.toString()).toContain(SHOPIFY_PAYOUT_SCOPE);
  });
});
