import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restorePersistedParts, savePersistedParts, type PersistedParts } from '../emulators/common/persisted-state.js';
import { DEMO_COMPANY } from '../emulators/qbo/demo-company.js';
import { startQboEmulator } from '../emulators/qbo/emulator.js';
import { seedDemoShop, startShopifyEmulator } from '../emulators/shopify/index.js';
import { seedDemoWooStore, startWooCommerceEmulator } from '../emulators/woocommerce/index.js';
import { DEMO_ORGANISATION } from '../emulators/xero/demo-organisation.js';
import { startXeroEmulator } from '../emulators/xero/emulator.js';
import { DEMO_QBD_COMPANY } from '../emulators/qbd/demo-company.js';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';

/** The demo's emulators as `npm start` runs them, each started twice: once to fill, once after a "restart". */
async function startDemoEmulators() {
  const [shopify, qbo, xero, woo] = await Promise.all([
    startShopifyEmulator({ apiKey: 'k', apiSecret: 's', shops: [{ domain: 'demo.myshopify.com', name: 'Demo Shop', currencyCode: 'USD' }] }),
    startQboEmulator({ clientId: 'c', clientSecret: 's', companies: [DEMO_COMPANY] }),
    startXeroEmulator({ clientId: 'c', clientSecret: 's', organisations: [DEMO_ORGANISATION] }),
    startWooCommerceEmulator({ name: 'Demo Woo Store' }),
  ]);
  const qbd = new QbdCompanyEmulator({ company: DEMO_QBD_COMPANY });
  const parts: Record<string, PersistedParts> = {
    shopify: shopify.control.persistentParts(),
    qbo: qbo.control.persistentParts(),
    xero: xero.control.persistentParts(),
    woocommerce: woo.control.persistentParts(),
    qbd: qbd.persistentParts(),
  };
  return { shopify, qbo, xero, woo, qbd, parts, close: () => Promise.all([shopify.close(), qbo.close(), xero.close(), woo.close()]) };
}

/**
 * `npm start` keeps the demo across restarts: what the emulators hold (orders, tokens, keys, the ledgers' records)
 * is written to a file and put back into fresh emulators, which then carry on numbering where they stopped.
 */
describe('the demo keeps its emulators across a restart', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('restores orders, tokens, keys and ledger records, and goes on without reusing an id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-state-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'emulators.v8');

    const before = await startDemoEmulators();
    cleanups.push(before.close);
    seedDemoShop(before.shopify.control);
    const token = before.shopify.control.issueToken({ shop: 'demo.myshopify.com' });
    seedDemoWooStore(before.woo.control);
    const key = before.woo.control.createKey('read_write');
    const item = before.qbo.control.addItem(DEMO_COMPANY.realmId, { name: 'Gift card', sku: 'GIFT-25', type: 'Service', unitPrice: 25 });
    before.xero.control.addContact(DEMO_ORGANISATION.tenantId, { name: 'Grace Hopper', firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });
    await savePersistedParts(file, before.parts);

    const after = await startDemoEmulators();
    cleanups.push(after.close);
    expect(await restorePersistedParts(file, after.parts)).toBe(true);

    expect(after.shopify.control.orders().map((o) => o.name)).toEqual(before.shopify.control.orders().map((o) => o.name));
    expect(after.shopify.control.tokens().map((t) => t.accessToken)).toContain(token.accessToken);
    expect(after.shopify.control.createOrder({ lineItems: [{ title: 'Enamel Mug', sku: 'MUG-ENAMEL', quantity: 1, unitPrice: '14.50' }] }).name).toBe('#1003');

    expect([...after.woo.control.site.orders.keys()]).toEqual([...before.woo.control.site.orders.keys()]);
    expect([...after.woo.control.site.keys.values()].map((k) => k.consumerKey)).toContain(key.consumerKey);
    const nextWoo = after.woo.control.createOrder({ lines: [{ name: 'Enamel Mug', sku: 'MUG-ENAMEL', quantity: 1, price: '14.50' }] });
    expect(before.woo.control.site.orders.has(nextWoo.id as number)).toBe(false);

    const items = after.qbo.control.list(DEMO_COMPANY.realmId, 'Item');
    expect(items.find((i) => i.Id === item.Id)?.Name).toBe('Gift card');
    const nextItem = after.qbo.control.addItem(DEMO_COMPANY.realmId, { name: 'Tote bag', sku: 'TOTE-1', type: 'NonInventory', unitPrice: 12 });
    expect(items.some((i) => i.Id === nextItem.Id)).toBe(false);
    expect(after.xero.control.contacts(DEMO_ORGANISATION.tenantId).map((c) => c.Name)).toContain('Grace Hopper');

    // Nothing saved: a fresh start (the demo then starts over).
    expect(await restorePersistedParts(join(dir, 'missing.v8'), after.parts)).toBe(false);
  });
});
