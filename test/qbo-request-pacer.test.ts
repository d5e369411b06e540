import { describe, expect, it } from 'vitest';
import { RequestPacer } from '../platforms/qbo/realm-request-pacer.js';

describe('QuickBooks request pacer', () => {
  it('lets no more than the per-second allowance through in any one-second window, in arrival order', async () => {
    const pacer = new RequestPacer({ perSecond: 5, perMinute: 1000 });
    const times: number[] = [];
    const order: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        // The slot's own time: a busy machine may run this line late, which says nothing of the pacer.
        times.push((await pacer.take()) - started);
        order.push(i);
      }),
    );
    expect(order).toEqual([...Array(12).keys()]);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    // 12 requests at 5/s need at least two full windows.
    expect(Math.max(...times)).toBeGreaterThanOrEqual(2000);
  });

  it('honours the per-minute allowance too', async () => {
    const pacer = new RequestPacer({ perSecond: 100, perMinute: 3 });
    expect(pacer.delayBeforeNext()).toBe(0);
    await Promise.all(Array.from({ length: 3 }, () => pacer.take()));
    // The fourth request of the minute must wait for the first to leave the window.
    expect(pacer.delayBeforeNext()).toBeGreaterThan(55_000);
  });
});
