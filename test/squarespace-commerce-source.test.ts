import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveConsent } from '../emulators/common/oauth-consent.js';
import { startSquarespaceEmulator, type SquarespaceEmulator } from '../emulators/squarespace/index.js';
import { RateLimitedError } from '../domain/platform-errors.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import { createSquarespacePlatform, squarespaceEndpointsAt } from '../platforms/squarespace/index.js';

const APP = { clientId: 'source-test-client', clientSecret: 'source-test-secret' };
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/** A site on its emulator and the source the product reads it with, connected by OAuth. */
async function connectedSource(options: Parameters<typeof startSquarespaceEmulator>[0]): Promise<{ site: SquarespaceEmulator; source: CommerceSource }> {
  const site = await startSquarespaceEmulator({ ...APP, rateLimit: { requests: 300, windowMs: 60_000, coolDownMs: 500 }, ...options });
  const platform = createSquarespacePlatform({ ...APP, endpoints: squarespaceEndpointsAt(site.origin), coolDownMs: 500 });
  const { query } = await approveConsent(platform.authorizeUrl({}, 'state-1', REDIRECT_URI));
  const { account, credentials } = await platform.completeAuthorization(query, REDIRECT_URI);
  expect(account).toEqual({ websiteId: site.control.site.websiteId });
  const source = platform.createSource({ integrationId: 'squarespace-test', account, tokens: { getAccessToken: async () => credentials.accessToken, refreshAfterRejection: async () => null } });
  return { site, source };
}

/** Every id of a listing, page by page. */
async function allIds(list: (cursor?: string) => Promise<{ ids: string[]; nextPageCursor?: string }>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    ids.push(...page.ids);
    cursor = page.nextPageCursor;
  } while (cursor);
  return ids;
}

/** The Squarespace source against its emulator, under each list order Squarespace might use (undocumented). */
describe.each(['ascending', 'descending'] as const)('Squarespace source (lists %s)', (listOrder) => {
  let site: SquarespaceEmulator;
  let source: CommerceSource;
  beforeAll(async () => {
    ({ site, source } = await connectedSource({ pageSize: 2, listOrder }));
  });
  afterAll(async () => {
    await site?.close();
  });

  it('lists every order changed since a time, oldest change first, across pages, with PENDING ones too', async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const orders = [1, 2, 3, 4, 5].map((n) => site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: n, price: '8.00' }], paymentState: n === 3 ? 'PENDING' : 'PAID' }));
    // The second order changes last.
    const last = site.control.updateOrder(orders[1]!.id as string, { fulfillmentStatus: 'FULFILLED' })!;
    // The site stamps changes a millisecond apart, so they may run ahead of the clock; the listing ends at our "now".
    while (Date.now() <= Date.parse(last.modifiedOn as string)) await new Promise((resolve) => setTimeout(resolve, 1));
    const page = await source.listOrdersUpdatedSince!(since);
    expect(page.nextPageCursor).toBeUndefined();
    expect(page.orders.map((o) => o.id)).toEqual([0, 2, 3, 4, 1].map((i) => orders[i]!.id));
    expect(page.orders.map((o) => o.updatedAt)).toEqual([...page.orders.map((o) => o.updatedAt)].sort());
  });

  it('reads an order with its document; an unknown or malformed id is no order', async () => {
    const order = site.control.createOrder({ currency: 'GBP', lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 2, price: '8.00' }], taxRate: { name: 'VAT', rate: '0.2' } });
    const read = await source.getOrder(order.id as string);
    expect(read).toMatchObject({ name: `#${order.orderNumber as string}`, total: '19.20', totalTax: '3.20', lines: [{ sku: 'MUG-1', taxLines: [{ title: 'VAT', rate: 0.2, amount: '3.20' }] }] });
    expect(await source.getOrder('0123456789abcdef01234567')).toBeNull();
    expect(await source.getOrder('not-an-id')).toBeNull();
  });

  it("reads an order's refunds from its transactions as amount-only refunds, oldest first; a gateway refund is none; the listing says which orders were refunded", async () => {
    const since = new Date(Date.now() - 1).toISOString();
    const order = site.control.createOrder({ currency: 'GBP', lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 3, price: '8.00' }], taxRate: { name: 'VAT', rate: '0.2' } });
    const untouched = site.control.createOrder({ currency: 'GBP', lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }] });
    const id = order.id as string;
    expect(await source.getRefunds!(id)).toEqual([]);
    const first = site.control.refundOrder(id, '9.60')!.refund!;
    site.control.refundOrder(id, '0.50', 'shown');
    const second = site.control.refundOrder(id, '9.60')!.refund!;
    expect(await source.getRefunds!(id)).toEqual([
      { id: first.id, orderId: id, createdAt: first.refundedOn, note: null, lines: [], shipping: null, total: '9.60' },
      { id: second.id, orderId: id, createdAt: second.refundedOn, note: null, lines: [], shipping: null, total: '9.60' },
    ]);
    // What the order shows: its sale's total, and a current total that the gateway's refund lowered too.
    expect(await source.getOrder(id)).toMatchObject({ total: '28.80', currentTotal: '9.10', financialStatus: 'partially_refunded' });
    expect(await source.getRefunds!('0123456789abcdef01234567')).toBeNull();
    expect(await source.getRefunds!('not-an-id')).toBeNull();
    const last = site.control.site.orders.get(id)!;
    while (Date.now() <= Date.parse(last.modifiedOn as string)) await new Promise((resolve) => setTimeout(resolve, 1));
    const listed = (await source.listOrdersUpdatedSince!(since)).orders;
    expect(listed.find((o) => o.id === id)).toMatchObject({ refunded: true });
    expect(listed.find((o) => o.id === untouched.id)).not.toHaveProperty('refunded');
  });

  it('a 429 during the cool-down is RateLimitedError for the cool-down (no Retry-After), then the site answers again', async () => {
    site.control.throttle();
    const refused = await source.checkConnection().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, (refused as RateLimitedError).retryAfterMs + 50));
    expect((await source.checkConnection()).accountName).toBe(site.control.site.siteTitle);
  });
});

/** Customers (Profiles) and products (Products v2) for the entity syncs; Squarespace notifies neither, so a re-sync lists them. */
describe.each(['served', 'refused'] as const)('Squarespace customers and products (Profiles %s to OAuth)', (profilesForOAuth) => {
  let site: SquarespaceEmulator;
  let source: CommerceSource;
  beforeAll(async () => {
    ({ site, source } = await connectedSource({ pageSize: 2, currency: 'GBP', profilesForOAuth }));
  });
  afterAll(async () => {
    await site?.close();
  });

  it('reads a customer in the site currency and a product with each variant named by its attributes; unknown ids are none', async () => {
    const order = site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }], customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } });
    const shirt = site.control.createProduct({
      name: 'Linen shirt',
      variants: [
        { sku: 'SHIRT-S', price: '40.00', attributes: { Size: 'S', Colour: 'Sand' } },
        { sku: null, price: '42.5', attributes: { Size: 'M', Colour: 'Sand' } },
      ],
    });
    const [s, m] = shirt.variants as Array<{ id: string }>;
    expect(await source.getCustomer!(order.customerId as string)).toEqual({ id: order.customerId, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', currency: 'GBP' });
    expect(await source.getProduct!(shirt.id as string)).toEqual({
      id: shirt.id,
      title: 'Linen shirt',
      variants: [
        { id: s!.id, title: 'S / Sand', sku: 'SHIRT-S', price: '40.00' },
        { id: m!.id, title: 'M / Sand', sku: null, price: '42.50' },
      ],
    });
    expect(await source.getCustomer!('0123456789abcdef01234567')).toBeNull();
    expect(await source.getProduct!('0123456789abcdef01234567')).toBeNull();
    expect(await source.getProduct!('not-an-id')).toBeNull();
    // Refused, the site said 403 to Profiles and the customer came from the orders.
    const profileAnswers = site.control.requests.filter((r) => r.url.startsWith('/1.0/profiles')).map((r) => r.status);
    expect(new Set(profileAnswers)).toEqual(new Set(profilesForOAuth === 'refused' ? [403] : [200, 404]));
  });

  it('lists every customer (not a newsletter subscriber) and every product, across pages', async () => {
    const buyers = ['grace', 'alan', 'edsger'].map((name) => site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 1, price: '8.00' }], customer: { email: `${name}@example.com`, firstName: name } }));
    // Grace comes back: still one customer.
    site.control.createOrder({ lines: [{ productName: 'Mug', sku: 'MUG-1', quantity: 2, price: '8.00' }], customer: { email: 'grace@example.com', firstName: 'grace' } });
    const subscriber = site.control.createProfile({ email: 'news@example.com' });
    site.control.createProduct({ name: 'Tote bag', variants: [{ sku: 'TOTE-1', price: '15.00' }] });
    const customers = await allIds((cursor) => source.listCustomers!(cursor));
    expect(customers).toEqual(expect.arrayContaining(buyers.map((o) => o.customerId)));
    expect(customers).not.toContain(subscriber.id);
    expect(new Set(customers).size).toBe(customers.length);
    const products = await allIds((cursor) => source.listProducts!(cursor));
    expect(new Set(products)).toEqual(new Set(site.control.site.products.map((p) => p.id)));
    expect(products.length).toBeGreaterThan(2);
  });
});
