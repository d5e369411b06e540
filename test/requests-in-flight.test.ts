import { describe, expect, it } from 'vitest';
import { RequestsInFlight } from '../runtime/requests-in-flight.js';

describe('requests in flight, which background work waits for', () => {
  it('counts requests until they settle, failed ones too, and wakes whoever waits once none is left', async () => {
    const inFlight = new RequestsInFlight();
    let finishFirst!: () => void;
    let failSecond!: (error: Error) => void;
    const first = inFlight.track(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const second = inFlight.track(() => new Promise<void>((_resolve, reject) => (failSecond = reject)));
    expect(inFlight.count).toBe(2);
    let idle = false;
    const waited = inFlight.whenIdle(60_000).then(() => (idle = true));
    finishFirst();
    await first;
    await Promise.resolve();
    expect(idle).toBe(false);
    failSecond(new Error('refused'));
    await expect(second).rejects.toThrow('refused');
    await waited;
    expect(idle).toBe(true);
    expect(inFlight.count).toBe(0);
  });

  it('holds background work back for the time given at most, never for good', async () => {
    const inFlight = new RequestsInFlight();
    void inFlight.track(() => new Promise<void>(() => {}));
    const started = performance.now();
    await inFlight.whenIdle(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(inFlight.count).toBe(1);
  });
});
