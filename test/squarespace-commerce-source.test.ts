import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveConsent } from '../emulators/common/oauth-consent.js';
import { startSquarespaceEmulator, type SquarespaceEmulator } from '../emulators/squarespace/index.js';
import { RateLimitedError } from '../domain/platform-errors.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import { createSquarespacePlatform, squarespaceEndpointsAt } from '../platforms/squarespace/index.js';

const APP = { clientId: 'source-test-client', clientSecret: 'source-test-secret' };
const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/** The Squarespace source against its emulator, under each list order Squarespace might use (undocumented). */
describe.each(['ascending', 'descending'] as const)('Squarespace source (lists %s)', (listOrder) => {
  let site: SquarespaceEmulator;
  let source: CommerceSource;
  beforeAll(async () => {
    site = await startSquarespaceEmulator({ ...APP, pageSize: 2, listOrder, rateLimit: { requests: 300, windowMs: 60_000, coolDownMs: 500 } });
    const platform = createSquarespacePlatform({ ...APP, endpoints: squarespaceEndpointsAt(site.origin), coolDownMs: 500 });
    const { query } = await approveConsent(platform.authorizeUrl({}, 'state-1', REDIRECT_URI));
    const { account, credentials } = await platform.completeAuthorization(query, REDIRECT_URI);
    expect(account).toEqual({ websiteId: site.control.site.websiteId });
    source = platform.createSource({ integrationId: 'squarespace-test', account, tokens: { getAccessToken: async () => credentials.accessToken, refreshAfterRejection: async () => null } });
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

  it('a 429 during the cool-down is RateLimitedError for the cool-down (no Retry-After), then the site answers again', async () => {
    site.control.throttle();
    const refused = await source.checkConnection().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBe(500);
    await new Promise((resolve) => setTimeout(resolve, (refused as RateLimitedError).retryAfterMs + 50));
    expect((await source.checkConnection()).accountName).toBe(site.control.site.siteTitle);
  });
});
