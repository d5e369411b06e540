import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { TEMPORAL_UI_URL } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

const SKU = 'Product-A1';

/**
 * Orders and Mappings in a real browser, against the real API, Temporal and the emulators: an order parked on an
 * unknown SKU says so and what to do; one click on the suggested item books it, and its open row turns Synced.
 */
describe('operator console in a browser: Orders and Mappings', () => {
  let c: ConsoleWithRoute;
  let page: Page;
  let orderId: string;
  let workflowId: string;
  const orderRow = (on: Page) => on.locator(`tr[data-order="${orderId}"]`);

  beforeAll(async () => {
    c = await startConsoleWithRoute();
    page = c.page;
    ({ orderId, workflowId } = await c.syncOrder('#5001', [{ title: 'Product A, refill', sku: SKU, quantity: 1, unitPrice: '10.00' }]));
    await c.orderStatus(orderId, 'waiting');
  }, 300_000);
  afterAll(async () => {
    await c?.close();
  });

  it('lists the parked order under Waiting with the diagnosis and the "map it" next step', async () => {
    await page.goto(`${c.h.baseUrl}/console/orders`);
    await page.getByLabel('State').selectOption('waiting');
    await page.getByLabel('Integration').selectOption(c.qbo.id);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('state') === 'waiting');
    const row = orderRow(page);
    expect(await row.getByRole('rowheader').textContent()).toBe('#5001');
    expect(await row.locator('.badge').first().textContent()).toBe('Waiting for you');
    expect(await row.locator('.diagnosis').textContent()).toContain(`SKU "${SKU}"`);
    expect(await row.locator('.next-step').textContent()).toContain(`Map the SKU ${SKU} to an item of your ledger`);
    await row.getByRole('link', { name: `Map SKU ${SKU}` }).waitFor();

    // On a phone the sync log fits the screen (rows become cards).
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });

    // The filters hold: a state with no such order leaves it out.
    await page.goto(`${c.h.baseUrl}/console/orders?state=synced`);
    expect(await orderRow(page).count()).toBe(0);
  });

  it("links the order to its runs in Temporal UI, filtered by the order's search attributes", async () => {
    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/orders`);
    const href = await orderRow(page).getByRole('link', { name: 'Workflow of order #5001 in Temporal UI' }).getAttribute('href');
    const url = new URL(href!);
    expect(`${url.origin}${url.pathname}`).toBe(`${TEMPORAL_UI_URL}/namespaces/default/workflows`);
    const query = url.searchParams.get('query')!;
    expect(query).toBe(`RouteId = "${c.routeId}" AND OrderId = "${orderId}"`);
    // The query finds this order's workflow (and only it) in Temporal's own list.
    const found: string[] = [];
    for await (const execution of c.h.client.workflow.list({ query })) found.push(execution.workflowId);
    expect(found).toEqual([workflowId]);
  });

  it("shows the order's page with the suggested item, and one click on Mappings books it: the open row turns Synced", async () => {
    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/orders/${orderId}`);
    await page.getByRole('heading', { name: 'Order #5001' }).waitFor();
    expect(await page.locator('.triage .suggestions').textContent()).toContain('Product A');

    // The orders list stays open in another tab, to watch the row change by itself.
    const watcher = await c.browser.newPage();
    await watcher.goto(`${c.h.baseUrl}/console/orders`);
    expect(await orderRow(watcher).locator('.badge').first().textContent()).toBe('Waiting for you');

    await page.getByRole('link', { name: `Map SKU ${SKU}` }).click();
    await page.waitForURL((url) => url.pathname === '/console/mappings');
    const waiting = page.locator(`tr[data-key="sku:${SKU}"]`);
    expect(await waiting.locator('.waiting-count').textContent()).toBe('1');
    await waiting.getByRole('button', { name: `Map SKU ${SKU} to Product A` }).click();
    await page.getByText(`Saved the mapping of SKU ${SKU}. 1 waiting order or refund resumes now.`).waitFor();
    expect(await page.locator('table.saved').textContent()).toContain(`SKU ${SKU}`);
    // The console resumed it through the API's own queue: one budget for both (api/console/console-resumptions.ts).
    expect(c.h.app.bulkResumptions?.queuedOrders).toBe(1);

    await orderRow(watcher).locator('.badge-green', { hasText: 'Synced' }).waitFor({ timeout: 30_000 });
    await c.orderStatus(orderId, 'synced');
    expect(c.h.qbo.control.documents(c.h.realmId, 'SalesReceipt')).toHaveLength(1);

    // Its page now says it is booked, with the ledger document.
    await page.goto(`${c.h.baseUrl}/console/routes/${c.routeId}/orders/${orderId}`);
    expect(await page.locator('.next-step').textContent()).toContain('Nothing to do.');
    expect(await page.getByTestId('ledger-document').textContent()).toContain('5001');
  });

  it('an order that failed on an outage of the ledger is retried with one click on Retry, and books', async () => {
    // The ledger answers 503 to everything: the order uses up its attempts (shortened) and shows Failed.
    c.h.qbo.control.injectFaults({ failNext: 10_000, failStatus: 503 });
    const failed = await c.syncOrder('#5002', [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }], { platformRetryInitialMs: 10 });
    await c.orderStatus(failed.orderId, 'failed');
    c.h.qbo.control.clearFaults();

    await page.goto(`${c.h.baseUrl}/console/orders`);
    const row = page.locator(`tr[data-order="${failed.orderId}"]`);
    expect(await row.locator('.badge').first().textContent()).toBe('Failed (retrying on its own)');
    await row.getByRole('button', { name: 'Retry order #5002' }).click();
    await page.getByText('Retrying: the order repeats the step it stopped at.').waitFor();

    // The order's page updates itself: it books, once.
    await page.getByTestId('order-status').locator('.badge-green', { hasText: 'Synced' }).waitFor({ timeout: 30_000 });
    await c.orderStatus(failed.orderId, 'synced');
    expect(c.h.qbo.control.documents(c.h.realmId, 'SalesReceipt').filter((d) => d.docNumber === '5002')).toHaveLength(1);
  });

  it('offers the ledger tax code at the same rate for an unmapped tax, and one click saves it and books the order', async () => {
    const TAX = 'CA State Tax@7.25';
    const taxed = await c.syncOrder('#5003', [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00', taxLines: [{ title: 'CA State Tax', rate: 0.0725, amount: '1.16' }] }]);
    await c.orderStatus(taxed.orderId, 'waiting');

    await page.goto(`${c.h.baseUrl}/console/mappings`);
    const waiting = page.locator(`tr[data-key="tax:${TAX}"]`);
    expect(await waiting.locator('.waiting-count').textContent()).toBe('1');
    // Suggested from the ledger's own tax codes: the one at 7.25 % ("CA Sales Tax"), not VAT at 20 %.
    const offered = waiting.locator('.suggestions button');
    expect(await offered.allTextContents()).toEqual(['CA Sales Tax (7.25 %)']);
    await waiting.getByRole('button', { name: `Map Tax ${TAX} to CA Sales Tax` }).click();
    await page.getByText(`Saved the mapping of tax ${TAX}. 1 waiting order or refund resumes now.`).waitFor();
    expect(await page.locator('table.saved').textContent()).toContain(`Tax ${TAX}`);

    await c.orderStatus(taxed.orderId, 'synced');
    expect(c.h.qbo.control.documents(c.h.realmId, 'SalesReceipt').filter((d) => d.docNumber === '5003')).toHaveLength(1);
  });
});
