import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParkedOrderResumeActivities } from '../activities/parked-order-resume-activities.js';
import { replayBatchSize } from '../api/background-resumptions.js';
import { skuMappings } from '../db/schema.js';
import { eventually } from './integration-health-harness.js';
import { startConsoleWithRoute, type ConsoleWithRoute } from './support/console-route.js';

const BACKLOG = 4;
/** One order a second: the replay goes in batches of two orders (replayBatchSize), so its bar moves 0 → 2 → 4. */
const RATE_PER_SECOND = 1;

/**
 * Replay in a real browser: a route's backlog of waiting orders resumes with a live progress bar, seen part-way
 * (the test holds the replay's second batch until it has looked) and then at 100 %; the replay can be left and
 * found again; the orders book.
 */
describe('operator console in a browser: Replay', () => {
  let c: ConsoleWithRoute;
  const orderIds: string[] = [];
  let releaseSecondBatch!: () => void;
  const secondBatchMayRun = new Promise<void>((resolve) => (releaseSecondBatch = resolve));
  let batchesStarted = 0;

  beforeAll(async () => {
    c = await startConsoleWithRoute({
      resumeRatePerSecond: RATE_PER_SECOND,
      // The worker's own batch activity, held before its second batch: the pace of the replay is the test's.
      replaceActivities: (deps) => {
        const real = createParkedOrderResumeActivities(deps);
        return {
          resumeParkedOrderBatch: async (input: Parameters<typeof real.resumeParkedOrderBatch>[0]) => {
            if (++batchesStarted === 2) await secondBatchMayRun;
            return real.resumeParkedOrderBatch(input);
          },
        };
      },
    });
    for (let i = 1; i <= BACKLOG; i++) orderIds.push((await c.syncOrder(`#610${i}`, [{ title: 'Gift wrap', sku: 'WRAP-9', quantity: 1, unitPrice: '3.00' }])).orderId);
    for (const orderId of orderIds) await c.orderStatus(orderId, 'waiting');
    // The fix was made where nothing resumes the orders (written straight into the settings): they wait for a replay.
    await c.h.db.insert(skuMappings).values({ routeId: c.routeId, sku: 'WRAP-9', ledgerItemId: String(c.h.qbo.control.list(c.h.realmId, 'Item').find((item) => item.Name === 'Product A')!.Id) });
  }, 300_000);
  afterAll(async () => {
    releaseSecondBatch();
    await c?.close();
  });

  it('resumes the backlog with a progress bar seen part-way and then at 100 %, and the replay is there again after leaving', async () => {
    expect(replayBatchSize(RATE_PER_SECOND)).toBe(2);
    const { page } = c;
    await page.goto(`${c.h.baseUrl}/console/replay`);
    const route = page.locator(`tr[data-route="${c.routeId}"]`);
    expect(await route.locator('.parked-count').textContent()).toBe(String(BACKLOG));
    await route.getByRole('button', { name: /^Resume the 4 waiting orders of / }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/console/replay/'));
    const replayUrl = page.url();

    // Part-way: the first batch is through, the second held. The open page refreshes itself to show it.
    const bar = page.locator('progress#replay-bar');
    const words = page.getByTestId('replay-words');
    await page.locator('.replay-progress', { hasText: '2 / 4 orders resumed (50 %)' }).waitFor({ timeout: 30_000 });
    expect(await bar.getAttribute('value')).toBe('2');
    expect(await bar.getAttribute('max')).toBe(String(BACKLOG));
    expect(await page.locator('.replay-progress .badge').textContent()).toBe('Resuming');
    releaseSecondBatch();

    // The bar fills from the durable replay's own progress, refreshed in place.
    await page.locator('.replay-progress .badge-green', { hasText: 'Finished' }).waitFor({ timeout: 30_000 });
    expect(await bar.getAttribute('value')).toBe(String(BACKLOG));
    expect(await bar.getAttribute('max')).toBe(String(BACKLOG));
    expect(await words.textContent()).toMatch(/^4 \/ 4 orders resumed \(100 %\) · \d+(\.\d)? orders a second$/);

    // Leave, come back through the Replay page: the replay is listed and says where it is.
    await page.goto(`${c.h.baseUrl}/console/orders`);
    await eventually(async () => {
      await page.goto(`${c.h.baseUrl}/console/replay`);
      return (await page.locator(`.replays a[href="${new URL(replayUrl).pathname}"]`).count()) > 0;
    }, 'the replay to be listed');
    await page.locator(`.replays a[href="${new URL(replayUrl).pathname}"]`).click();
    expect(await page.getByTestId('replay-words').textContent()).toContain('4 / 4 orders resumed (100 %)');

    for (const orderId of orderIds) await c.orderStatus(orderId, 'synced');
    expect(c.h.qbo.control.documents(c.h.realmId, 'SalesReceipt')).toHaveLength(BACKLOG);
  });
});
