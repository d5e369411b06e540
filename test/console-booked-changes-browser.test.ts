import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

/**
 * Changes after booking in a real browser: the shop edits a booked order (its webhook reaches the API), the
 * Orders page lists it under "Only changes after booking" with what to do in the ledger, and "Mark handled" clears it.
 */
describe('operator console in a browser: changes after booking', () => {
  let c: ConsoleWithRoute;
  let orderId: string;

  beforeAll(async () => {
    c = await startConsoleWithRoute();
    ({ orderId } = await c.syncOrder('#7001', [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }]));
    await c.orderStatus(orderId, 'synced');
    c.h.shopify.control.updateOrder(orderId, { shop: c.h.shop, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '8.00' }] });
    await eventually(async () => (await c.orderRow(orderId))?.changedAfterBooking ?? undefined, 'the change to be recorded');
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('lists the changed order with the fix to make in the ledger, and "Mark handled" clears it', async () => {
    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/orders`);
    await page.getByLabel('Only changes after booking').check();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('changed') === '1');
    const row = page.locator(`tr[data-order="${orderId}"]`);
    const change = row.getByTestId('booked-change');
    expect(await change.locator('.badge').textContent()).toBe('Changed after booking');
    expect(await change.textContent()).toContain('its total is now 24.00, but sales receipt 7001 in QuickBooks Online #1 was booked for 8.00');

    await change.getByRole('button', { name: 'Mark the change to order #7001 handled' }).click();
    await page.getByText('Marked handled: the change no longer shows as outstanding.').waitFor();
    expect(await page.getByTestId('booked-change').count()).toBe(0);
    expect((await c.orderRow(orderId))?.changedAfterBooking).toBeNull();

    await page.goto(`${c.h.baseUrl}/console/orders?changed=1`);
    expect(await page.locator(`tr[data-order="${orderId}"]`).count()).toBe(0);
  });
});
