import { afterEach, describe, expect, it } from 'vitest';
import { PayoutsUnavailableError } from '../domain/payouts-unavailable.js';
import { startWooCommerceEmulator, type WooCommerceEmulator, type WooCommerceEmulatorOptions } from '../emulators/woocommerce/index.js';
import { createWooCommercePlatform } from '../platforms/woocommerce/index.js';
import { WooCommerceRestApi } from '../platforms/woocommerce/rest-client-class.js';
import { PlatformUnavailableError } from '../domain/platform-errors.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const platform = createWooCommercePlatform({ appName: 'ledgerbridge', requestTimeoutMs: 5_000 });

async function store(options: WooCommerceEmulatorOptions = {}) {
  const emulator = await startWooCommerceEmulator(options);
  cleanups.push(() => emulator.close());
  const key = emulator.control.createKey();
  const source = platform.createSource({
    integrationId: 'woo-1',
    displayName: 'WooCommerce #1',
    account: { storeUrl: emulator.origin },
    tokens: { getAccessToken: async () => `${key.consumerKey}:${key.consumerSecret}`, refreshAfterRejection: async () => null },
  });
  const client = new WooCommerceRestApi({ url: emulator.origin, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, version: 'wc/v3' });
  return { emulator, source, client };
}

/** What the client threw: the status and body the site answered. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: unknown } }).response;
    if (response) return { status: response.status, body: response.data };
    throw error;
  }
  throw new Error('the call succeeded');
}

/** Two orders charged with their fees, one partly refunded, and an adjustment, in one EUR deposit. */
function twoOrderDeposit(emulator: WooCommerceEmulator, date?: Date) {
  return emulator.control.createDeposit({
    currency: 'EUR',
    ...(date ? { date } : {}),
    transactions: [
      { type: 'charge', amount: '48.00', fee: '1.69', orderId: 201, orderNumber: '201' },
      { type: 'charge', amount: '30.00', fee: '1.17', orderId: 202, orderNumber: '202' },
      { type: 'refund', amount: '-10.00', orderId: 202, orderNumber: '202' },
      { type: 'adjustment', amount: '-0.50' },
    ],
  });
}

describe('WooPayments deposits: the emulator and the WooCommerce source', () => {
  it('a site with WooPayments serves a deposit and its transactions with WooPayments fields, amounts in minor units', async () => {
    const { emulator, client } = await store({ wooPayments: true });
    const deposit = twoOrderDeposit(emulator);
    const { data: listed } = await client.get('payments/deposits', { sort: 'date' });
    expect(listed.total_count).toBe(1);
    // 48.00 + 30.00 − 10.00 − 0.50 − 1.69 − 1.17 = 64.64
    expect(listed.data[0]).toMatchObject({ id: deposit.id, type: 'deposit', amount: 6464, status: 'paid', currency: 'eur', fee: 0 });
    expect(String(deposit.id)).toMatch(/^po_/);
    const { data: transactions } = await client.get('payments/transactions', { deposit_id: String(deposit.id) });
    expect(transactions.data.map((t: any) => [t.type, t.amount, t.fees, t.net, t.order_id, t.order?.number ?? null])).toEqual([
      ['charge', 4800, 169, 4631, 201, '201'],
      ['charge', 3000, 117, 2883, 202, '202'],
      ['refund', -1000, 0, -1000, 202, '202'],
      ['adjustment', -50, 0, -50, null, null],
    ]);
  });

  it('refuses what WooPayments refuses: an unknown deposit is its server error (500, data null), a wrong sort direction its bad request; without a key, rest_forbidden', async () => {
    const { emulator, client } = await store({ wooPayments: true });
    const unknown = await refusal(client.get('payments/deposits/po_doesnotexist'));
    expect(unknown.status).toBe(500);
    expect(unknown.body).toEqual({ code: 'wcpay_resource_missing', message: "Error: No such payout: 'po_doesnotexist'", data: null });
    const sorted = await refusal(client.get('payments/transactions', { direction: 'sideways' }));
    expect(sorted.body).toEqual({ code: 'wcpay_bad_request', message: 'Error: Invalid sorting direction: sideways', data: null });
    const anonymous = await fetch(`${emulator.origin}/wp-json/wc/v3/payments/deposits`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'rest_forbidden' });
  });

  it('a site without WooPayments answers its routes 404 rest_no_route, as WordPress answers a route no plugin registered', async () => {
    const { client } = await store();
    const missing = await refusal(client.get('payments/deposits', { sort: 'date' }));
    expect(missing).toEqual({ status: 404, body: { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } } });
  });

  it('the source lists deposits issued after a time, oldest first, and reads one as a payout: per-order charges with fees, refunds, adjustments, net', async () => {
    const { emulator, source } = await store({ wooPayments: true });
    const old = twoOrderDeposit(emulator, new Date('2026-11-01T00:00:00Z'));
    const first = twoOrderDeposit(emulator, new Date('2026-11-20T00:00:00Z'));
    const second = emulator.control.createDeposit({ currency: 'JPY', date: new Date('2026-11-21T00:00:00Z'), transactions: [{ type: 'charge', amount: '1200', fee: '45', orderId: 203 }] });
    const listed = await source.listPayoutsIssuedSince!('2026-11-10T00:00:00.000Z');
    expect(listed.map((p) => p.id)).toEqual([first.id, second.id]);
    expect(listed).toContainEqual({ id: second.id, issuedAt: '2026-11-21T00:00:00.000Z', status: 'PAID', direction: 'deposit', currency: 'JPY', net: '1155' });
    expect(listed.map((p) => p.id)).not.toContain(old.id);

    const payout = await source.getPayout!(String(first.id));
    expect(payout).toMatchObject({ id: first.id, status: 'PAID', direction: 'deposit', currency: 'EUR', net: '64.64' });
    expect(payout!.transactions.map((t) => [t.kind, t.type, t.amount, t.fee, t.order?.id ?? null, t.order?.name ?? null])).toEqual([
      ['charge', 'CHARGE', '48.00', '1.69', '201', '#201'],
      ['charge', 'CHARGE', '30.00', '1.17', '202', '#202'],
      ['refund', 'REFUND', '-10.00', '0.00', '202', '#202'],
      ['adjustment', 'ADJUSTMENT', '-0.50', '0.00', null, null],
    ]);
    // An id WooPayments never gives is no payout; an unknown po_ id is WooPayments' server error (retried, not "none").
    expect(await source.getPayout!('12345')).toBeNull();
    await expect(source.getPayout!('po_doesnotexist')).rejects.toBeInstanceOf(PlatformUnavailableError);
  });

  it('a store without WooPayments reports payouts as not available, with the reason a person reads', async () => {
    const { source } = await store();
    const listing = source.listPayoutsIssuedSince!('2026-11-10T00:00:00.000Z');
    await expect(listing).rejects.toBeInstanceOf(PayoutsUnavailableError);
    await expect(source.getPayout!('po_123')).rejects.toMatchObject({ reason: 'this store has no WooPayments deposits; book payouts by hand or from your processor' });
  });
});
