import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundSyncs, skuMappings } from '../db/schema.js';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

/**
 * Refunds on the order's page in a real browser: the shop refunds part of a booked order (its refunds/create webhook
 * reaches the API), the page lists the refund with its refund receipt; a refund the ledger refuses (its item made
 * inactive) names the item and says what to fix, the orders list marks its order, and Retry books it once the ledger is fixed.
 */
describe('operator console in a browser: refunds and cancellations of an order', () => {
  let c: ConsoleWithRoute;
  let orderId: string;
  let mugLineId: string;

  const refundReceipts = (docNumber: string) => c.h.qbo.control.documents(c.h.realmId, 'RefundReceipt').filter((d) => d.docNumber === docNumber);
  const refundStatus = async (refundId: string) =>
    (await c.h.api('GET', `/routes/${c.routeId}/orders/${orderId}/refunds`)).json<{ refunds: { refundId: string; status: string }[] }>().refunds.find((r) => r.refundId === refundId)?.status;
  const refundRow = (refundId: string) => c.page.getByTestId('refunds').locator(`tr[data-refund="${refundId}"]`);

  beforeAll(async () => {
    c = await startConsoleWithRoute();
    ({ orderId } = await c.syncOrder('#6001', [{ title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '8.00' }]));
    await c.orderStatus(orderId, 'synced');
    mugLineId = c.h.shopify.control.shop(c.h.shop).orders.get(orderId)!.lineItems[0]!.id;
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('lists a booked partial refund with its refund receipt and its amount', async () => {
    const refund = c.h.shopify.control.refundOrder(orderId, { shop: c.h.shop, lines: [{ lineItemId: mugLineId, quantity: 1 }] });
    await eventually(async () => (await refundStatus(refund.id)) === 'synced' || undefined, 'the refund to be booked');

    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/orders/${orderId}`);
    await page.getByRole('heading', { name: 'Refunds and cancellations' }).waitFor();
    const row = refundRow(refund.id);
    expect(await row.getByRole('rowheader').textContent()).toBe(`Refund ${refund.id}`);
    // The amount with its currency, as the payouts page writes money.
    const currency = c.h.shopify.control.shop(c.h.shop).orders.get(orderId)!.currency;
    expect(await row.locator('td[data-label="Given back (shop currency)"]').textContent()).toBe(`${refund.total} ${currency}`);
    expect(await row.locator('.badge').textContent()).toBe('Synced');
    expect(await row.locator('td[data-label="Ledger document"]').textContent()).toContain('6001-R1');
    expect(await row.locator('td[data-label="When"]').textContent()).toMatch(/^booked \d{4}-\d\d-\d\d/);
    expect(await row.locator('.next-step').textContent()).toContain('Nothing to do.');
    expect(await row.getByRole('button').count()).toBe(0);
    expect(refundReceipts('6001-R1')).toHaveLength(1);

    // A refund recorded before ledgerbridge kept its currency shows its amount alone.
    await c.h.db.update(refundSyncs).set({ refundCurrency: null }).where(eq(refundSyncs.refundId, refund.id));
    await page.reload();
    expect(await refundRow(refund.id).locator('td[data-label="Given back (shop currency)"]').textContent()).toBe(refund.total);
    const listed = (await c.h.api('GET', `/routes/${c.routeId}/refunds`)).json<{ refunds: { refundId: string; refundCurrency: string | null }[] }>().refunds;
    expect(listed.find((r) => r.refundId === refund.id)?.refundCurrency).toBeNull();
  });

  it('shows a refund the ledger refused with its message and the fix; the orders list marks it; Retry books it once', async () => {
    // The bookkeeper made the mug's item inactive in QuickBooks: the next refund's receipt is refused.
    const mug = c.h.qbo.control.list(c.h.realmId, 'Item').find((item) => item.Sku === 'MUG-1')!;
    c.h.qbo.control.setItemActive(c.h.realmId, String(mug.Id), false);
    const refund = c.h.shopify.control.refundOrder(orderId, { shop: c.h.shop, lines: [{ lineItemId: mugLineId, quantity: 1 }] });
    await eventually(async () => (await refundStatus(refund.id)) === 'failed' || undefined, 'the ledger to refuse the refund');

    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/orders`);
    const marker = page.locator(`tr[data-order="${orderId}"] .refund-marker`);
    expect(await marker.textContent()).toBe('Refund: Failed (retrying on its own)');
    await page.getByLabel('Only refunds waiting or failed').check();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('refund') === 'waiting');
    expect(await page.locator('tr[data-order]').count()).toBe(1);
    await marker.click();
    await page.waitForURL((url) => url.pathname === `/console/routes/${c.routeId}/orders/${orderId}`);

    const row = refundRow(refund.id);
    expect(await row.locator('.badge').textContent()).toBe('Failed (retrying on its own)');
    // QuickBooks' 610 names nothing: the refund's message says which item, as a sale's does.
    expect(await row.locator('.diagnosis').textContent()).toContain(`QuickBooks Online rejected refund receipt 6001-R2: the item '${String(mug.Name)}' is inactive (code 610)`);
    expect(await row.locator('.next-step').textContent()).toContain('Fix what the message says (in the ledger or the route settings), then press Retry.');
    expect(await row.locator('td[data-label="Ledger document"]').textContent()).toBe('none yet');
    expect(refundReceipts('6001-R2')).toHaveLength(0);

    // The bookkeeper makes the item active again and presses Retry: the open page turns Synced by itself.
    c.h.qbo.control.setItemActive(c.h.realmId, String(mug.Id), true);
    await row.getByRole('button', { name: `Retry refund ${refund.id} of order #6001` }).click();
    await page.getByText('Retrying: the refund repeats the step it stopped at.').waitFor();
    await refundRow(refund.id).locator('.badge-green', { hasText: 'Synced' }).waitFor({ timeout: 30_000 });
    expect(await refundRow(refund.id).locator('td[data-label="Ledger document"]').textContent()).toContain('6001-R2');
    expect(refundReceipts('6001-R2')).toHaveLength(1);
    expect(c.h.qbo.control.documents(c.h.realmId, 'RefundReceipt')).toHaveLength(2);

    // Nothing waits any more: the orders list no longer marks the order.
    await page.goto(`${c.h.baseUrl}/console/orders`);
    expect(await page.locator(`tr[data-order="${orderId}"] .refund-marker`).count()).toBe(0);
  });

  it('shows a refund waiting for a reconnect of the ledger with the Reconnect link; the reconnect alone books it once', async () => {
    c.h.qbo.control.revokeGrant(c.h.realmId);
    const refund = c.h.shopify.control.refundOrder(orderId, { shop: c.h.shop, lines: [{ lineItemId: mugLineId, quantity: 1 }] });
    await eventually(async () => (await refundStatus(refund.id)) === 'waiting' || undefined, 'the refund to wait for the reconnect');

    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/orders`);
    expect(await page.locator(`tr[data-order="${orderId}"] .refund-marker`).textContent()).toBe('Refund: Waiting for you');
    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/orders/${orderId}`);
    const row = refundRow(refund.id);
    expect(await row.locator('.badge').textContent()).toBe('Waiting for you');
    expect(await row.locator('.next-step').textContent()).toContain('Reconnect the integration; the refund books by itself once it is connected.');
    expect(await row.getByRole('link', { name: 'Reconnect' }).getAttribute('href')).toBe(`/console/integrations/${c.qbo.id}`);
    // What the page says never carries a token.
    expect(await page.content()).not.toMatch(/access_token|refresh_token|Bearer /i);

    await c.h.clickConnect(c.qbo.id);
    await eventually(async () => (await c.h.row(c.qbo.id)).status === 'connected' || undefined, 'the ledger to be connected again');
    // Nobody presses Retry: the reconnect resumes the refund as it does the orders, and the open page updates itself.
    await refundRow(refund.id).locator('.badge-green', { hasText: 'Synced' }).waitFor({ timeout: 30_000 });
    expect(await refundRow(refund.id).locator('td[data-label="Ledger document"]').textContent()).toContain('6001-R3');
    expect(refundReceipts('6001-R3')).toHaveLength(1);
  });

  it("a refund of an unmapped SKU: its Map SKU link lands on the Mappings page's row for it, and saving there books it once", async () => {
    const SKU = 'MUG-6002';
    // The sale booked through a mapping that was removed since: its refund finds none.
    const { orderId: unmapped } = await c.syncOrder('#6002', [{ title: 'Mug', sku: SKU, quantity: 2, unitPrice: '8.00' }]);
    await c.orderStatus(unmapped, 'waiting');
    const mug = c.h.qbo.control.list(c.h.realmId, 'Item').find((item) => (item as { Sku?: string }).Sku === 'MUG-1')!;
    expect((await c.h.api('PUT', `/routes/${c.routeId}/sku-mappings/${SKU}`, { ledgerItemId: String(mug.Id) })).statusCode).toBe(200);
    await c.orderStatus(unmapped, 'synced');
    await c.h.db.delete(skuMappings).where(and(eq(skuMappings.routeId, c.routeId), eq(skuMappings.sku, SKU)));
    const lineId = c.h.shopify.control.shop(c.h.shop).orders.get(unmapped)!.lineItems[0]!.id;
    const refund = c.h.shopify.control.refundOrder(unmapped, { shop: c.h.shop, lines: [{ lineItemId: lineId, quantity: 1 }] });
    const status = async () =>
      (await c.h.api('GET', `/routes/${c.routeId}/orders/${unmapped}/refunds`)).json<{ refunds: { refundId: string; status: string; waitingOn: string | null }[] }>().refunds.find((r) => r.refundId === refund.id);
    await eventually(async () => ((await status())?.waitingOn === `sku:${SKU}` ? true : undefined), 'the refund to wait for its SKU');

    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/orders/${unmapped}`);
    const row = refundRow(refund.id);
    expect(await row.locator('.next-step').textContent()).toContain(`Map the SKU ${SKU} to an item of your ledger; the refund books by itself once it is saved.`);
    await row.getByRole('link', { name: `Map SKU ${SKU}` }).click();
    await page.waitForURL((url) => url.pathname === '/console/mappings');
    const waiting = page.locator(`tr[data-key="sku:${SKU}"]`);
    expect(await waiting.locator('.waiting-refunds').textContent()).toBe('1');
    expect(await waiting.locator('.waiting-count').count()).toBe(0);
    await waiting.getByLabel('Ledger item id').fill(String(mug.Id));
    await waiting.getByRole('button', { name: `Save the mapping of SKU ${SKU}` }).click();
    await page.getByText(`Saved the mapping of SKU ${SKU}. 1 waiting order or refund resumes now.`).waitFor();

    await eventually(async () => (await status())?.status === 'synced' || undefined, 'the refund to book after the mapping');
    expect(refundReceipts('6002-R1')).toHaveLength(1);
  });
});
