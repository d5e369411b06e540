import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

/**
 * The Payouts page in a real browser: a payout that cannot be deposited shows Waiting with the reason in a
 * bookkeeper's words and a Retry button, on its route's page and on the page of all payouts.
 */
describe('operator console in a browser: Payouts', () => {
  let c: ConsoleWithRoute;
  let payoutId: string;

  beforeAll(async () => {
    c = await startConsoleWithRoute();
    const { orderId } = await c.syncOrder('#6301', [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }]);
    await c.orderStatus(orderId, 'synced');
    // The route chose no clearing account: the order's money went to Undeposited Funds, which a payout cannot clear.
    payoutId = c.h.shopify.control.createPayout({ shop: c.h.shop, transactions: [{ type: 'CHARGE', amount: '8.00', fee: '0.53', orderId }] }).id;
    await startPayoutSync(c.h.client, c.h.db, c.h.taskQueue, { routeId: c.routeId, payoutId });
    await eventually(async () => {
      const listed = (await c.h.api('GET', `/routes/${c.routeId}/payouts`)).json<{ payouts: Array<{ payoutId: string; status: string }> }>();
      return listed.payouts.find((p) => p.payoutId === payoutId)?.status === 'waiting';
    }, 'the payout to park');
  }, 300_000);
  afterAll(async () => {
    await c?.h.client.workflow.getHandle(payoutSyncWorkflowId(c.routeId, payoutId)).terminate('test over').catch(() => undefined);
    await c?.close();
  });

  it('shows a parked payout with its reason and a Retry button, reached from the nav', async () => {
    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/orders`);
    await page.getByRole('link', { name: 'Payouts' }).click();
    await page.waitForURL((url) => url.pathname === '/console/payouts');
    const row = page.locator(`tr[data-payout="${payoutId}"]`);
    expect(await row.locator('.badge').textContent()).toBe('Waiting');
    expect(await row.textContent()).toContain('#6301 (Undeposited Funds) was not booked to a clearing account');
    expect(await row.locator('td[data-label="Net"]').textContent()).toMatch(/^7\.47 [A-Z]{3}$/);

    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/payouts`);
    await page.locator(`tr[data-payout="${payoutId}"]`).getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL((url) => url.pathname === `/console/routes/${c.routeId}/payouts`);
    // Tried again: it parks again for the same reason (the sale stays where it was booked).
    await eventually(async () => {
      await page.reload();
      return (await page.locator(`tr[data-payout="${payoutId}"] .badge`).textContent()) === 'Waiting';
    }, 'the payout to be listed as waiting again');
  });
});
