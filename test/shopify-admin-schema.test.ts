import { afterEach, describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { adminSchemaVersions, enumValues, loadAdminSchema, nextVersionAfter, oldestSupportedVersion } from '../emulators/shopify/admin-schema.js';
import { EMULATED_SHOP_HEADER, SHOPIFY_API_VERSION, SHOPIFY_GRAPHQL_DOCUMENTS, SHOPIFY_WEBHOOK_TOPICS } from '../platforms/shopify/index.js';
import { fixedTokens, startEmulatedShopify, type EmulatedShopify } from './shopify-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(): Promise<EmulatedShopify> {
  const env = await startEmulatedShopify();
  cleanups.push(() => env.emulator.close());
  return env;
}

/** A raw Admin GraphQL call, to see status, headers and errors exactly as the emulator answers them. */
async function adminCall(env: EmulatedShopify, version: string, query: string, variables: Record<string, unknown> = {}) {
  const token = env.emulator.control.issueToken({ scopes: ['read_orders', 'read_products', 'read_customers'] });
  const response = await fetch(`${env.emulator.origin}/admin/api/${version}/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token.accessToken, [EMULATED_SHOP_HEADER]: env.shop },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, version: response.headers.get('x-shopify-api-version'), body: (await response.json()) as any };
}

describe("Every query and mutation ledgerbridge sends validates against Shopify's published schema", () => {
  const pinned = SHOPIFY_API_VERSION as string;
  const next = nextVersionAfter(pinned);

  it(`pins ${pinned}, a version the package holds, and checks the next one (${next}) too`, () => {
    expect(adminSchemaVersions()).toContain(pinned);
    expect(pinned).toBe('2026-10');
    expect(Object.keys(SHOPIFY_GRAPHQL_DOCUMENTS).length).toBeGreaterThanOrEqual(6);
  });

  for (const version of [pinned, next]) {
    for (const [name, document] of Object.entries(SHOPIFY_GRAPHQL_DOCUMENTS)) {
      it(`${name} is valid in ${version}`, () => {
        const errors = validate(loadAdminSchema(version), parse(document));
        expect(errors.map((e) => e.message)).toEqual([]);
      });
    }
  }

  it('subscribes only to topics of the WebhookSubscriptionTopic enum (refunds/create and orders/cancelled among them)', () => {
    for (const version of [pinned, next]) {
      const topics = enumValues(version, 'WebhookSubscriptionTopic');
      expect(Object.keys(SHOPIFY_WEBHOOK_TOPICS).filter((topic) => !topics.has(topic))).toEqual([]);
    }
    expect(Object.values(SHOPIFY_WEBHOOK_TOPICS)).toEqual(expect.arrayContaining(['refunds/create', 'orders/cancelled']));
  });

  it('would catch a field Shopify does not have', () => {
    const errors = validate(loadAdminSchema(pinned), parse('query { order(id: "gid://shopify/Order/1") { id customerEmail } }'));
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('Cannot query field "customerEmail" on type "Order".')]);
  });
});

describe("The Shopify emulator serves Shopify's real Admin schema", () => {
  it('answers each version the package holds as itself and falls forward from any other, saying so in X-Shopify-API-Version', async () => {
    const env = await setup();
    const query = '{ shop { name currencyCode } }';
    for (const version of ['2026-10', '2026-07', 'unstable']) {
      const answer = await adminCall(env, version, query);
      expect(answer.version).toBe(version);
      expect(answer.body.data.shop).toEqual({ name: 'Test Shop', currencyCode: 'EUR' });
    }
    const retired = await adminCall(env, '2024-01', query);
    expect(retired.version).toBe(oldestSupportedVersion());
    expect(retired.version).toBe('2025-10');
    expect(retired.body.data.shop.name).toBe('Test Shop');
  });

  it('names a field of the real schema the emulator does not implement in a GraphQL error, never a silent null', async () => {
    const env = await setup();
    const answer = await adminCall(env, '2026-10', '{ shop { name billingAddress { city } } }');
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors[0].message).toContain('Shop.billingAddress');
    expect(answer.body.errors[0].extensions.code).toBe('NOT_IMPLEMENTED_BY_EMULATOR');
    const rootField = await adminCall(env, '2026-10', '{ locations(first: 1) { nodes { id } } }');
    expect(rootField.body.errors[0].message).toContain('QueryRoot.locations');
  });

  it('refuses a query that does not validate against the version asked for, as Shopify does', async () => {
    const env = await setup();
    const answer = await adminCall(env, '2026-10', '{ shop { nmae } }');
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toBe('Cannot query field "nmae" on type "Shop". Did you mean "name"?');
  });

  it('reads orders in any currency Shopify has (HKD, JPY, ...)', async () => {
    const env = await setup();
    const token = env.emulator.control.issueToken({ scopes: ['read_orders', 'read_products', 'read_customers'] });
    const source = env.platform.createSource({ integrationId: 'i', account: { shop: env.shop }, tokens: fixedTokens(token.accessToken).provider });
    for (const [currency, price] of [['HKD', '388.00'], ['JPY', '4500'], ['XOF', '15000']] as const) {
      const created = env.emulator.control.createOrder({ currency, lineItems: [{ title: 'Tea', quantity: 1, unitPrice: price }] });
      const order = await source.getOrder(created.id);
      expect(order).toMatchObject({ id: created.id, currency });
      expect(Number(order!.total)).toBe(Number(price));
    }
  });

  it("refuses, with a 400 at creation, an order the schema could not hold (unknown currency or financial status)", async () => {
    const env = await setup();
    const post = (body: unknown) =>
      fetch(`${env.emulator.origin}/_emulator/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const lineItems = [{ title: 'Tea', quantity: 1, unitPrice: '1.00' }];

    const currency = await post({ currency: 'XYZ', lineItems });
    expect(currency.status).toBe(400);
    expect(((await currency.json()) as { error: string }).error).toBe('currency "XYZ" is not a CurrencyCode in Shopify\'s 2026-10 Admin schema');

    const status = await post({ financialStatus: 'SETTLED', lineItems });
    expect(status.status).toBe(400);
    expect(((await status.json()) as { error: string }).error).toContain('OrderDisplayFinancialStatus');

    const shop = await fetch(`${env.emulator.origin}/_emulator/shops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'other.myshopify.com', currencyCode: 'ABC' }),
    });
    expect(shop.status).toBe(400);

    expect((await post({ currency: 'HKD', financialStatus: 'PARTIALLY_PAID', lineItems })).status).toBe(201);
    expect(env.emulator.control.orders()).toHaveLength(1);
  });
});
