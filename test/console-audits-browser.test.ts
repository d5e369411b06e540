import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAuditSchedule } from '../runtime/reconciliation-audit-schedule.js';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

/**
 * The route's audits and hard stop in a real browser: an audit run from the page finds a duplicate injected at the
 * emulated ledger, the page shows the route halted with the fix, an order parks as halted, and Release books it.
 */
describe('operator console in a browser: audits and the hard stop', () => {
  let c: ConsoleWithRoute;
  const receiptsNumbered = (docNumber: string) => c.h.qbo.control.documents(c.h.realmId, 'SalesReceipt').filter((d) => d.docNumber === docNumber);

  beforeAll(async () => {
    c = await startConsoleWithRoute();
  }, 300_000);
  afterAll(async () => {
    if (c) await deleteAuditSchedule(c.h.client, c.routeId).catch(() => {});
    await c?.close();
  });

  it('runs an audit that halts the route on a duplicate, shows the fix, and releases it with one click', async () => {
    const { page } = c;
    const booked = await c.syncOrder('#6201', [{ title: 'Product A', sku: 'product-a', quantity: 1, unitPrice: '10.00' }]);
    await c.orderStatus(booked.orderId, 'synced');
    const [receipt] = receiptsNumbered('6201');
    const duplicate = c.h.qbo.control.duplicateSalesReceipt(c.h.realmId, receipt!.id);

    const auditsUrl = `${c.h.baseUrl}/console/routes/${c.routeId}/audits`;
    await page.goto(auditsUrl);
    expect(await page.getByTestId('halt').textContent()).toContain('Posting');
    await page.getByRole('button', { name: 'Run an audit' }).click();
    await page.waitForURL((url) => url.search.includes('done=started'));
    await eventually(async () => {
      await page.goto(auditsUrl);
      return (await page.getByTestId('halt').textContent())?.includes('Halted: posting stopped');
    }, 'the page to show the route halted');
    expect(await page.getByTestId('halt').textContent()).toContain(`void document ${String(duplicate.Id)}, a duplicate of ${receipt!.id}`);

    await page.locator('table.rows a').first().click();
    expect(await page.locator('main').textContent()).toContain(`Void document ${String(duplicate.Id)}, a duplicate of ${receipt!.id} (both numbered 6201), then release the route.`);

    const waiting = await c.syncOrder('#6202', [{ title: 'Product A', sku: 'product-a', quantity: 2, unitPrice: '10.00' }]);
    await c.orderStatus(waiting.orderId, 'halted');
    expect(receiptsNumbered('6202')).toHaveLength(0);

    await page.goto(auditsUrl);
    await page.getByRole('button', { name: 'Release the route' }).click();
    await page.waitForURL((url) => url.search.includes('done=released'));
    expect(await page.getByTestId('halt').textContent()).toContain('Posting');
    await c.orderStatus(waiting.orderId, 'synced');
    expect(receiptsNumbered('6202')).toHaveLength(1);
  });
});
