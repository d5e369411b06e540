/**
 * Keeps this process under QuickBooks Online's per-company limits (10 requests/s, 500/min) instead of
 * learning them from 429s: after a long outage a backlog would otherwise turn into a 429 storm that
 * slows everyone down. One pacer per company, shared by every client in the process.
 */
export interface RequestRate {
  perSecond: number;
  perMinute: number;
}

/** A little under Intuit's limits: other apps of the same company share them. */
export const DEFAULT_QBO_REQUEST_RATE: RequestRate = { perSecond: 8, perMinute: 450 };

export class RequestPacer {
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly rate: RequestRate) {}

  /**
   * Resolves when one more request fits both windows, with the time its slot was taken; callers go in
   * the order they asked.
   */
  take(): Promise<number> {
    const turn = this.queue.then(() => this.waitForRoom());
    this.queue = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }

  /** How long a request asking now would wait for room (0: it may go at once). */
  delayBeforeNext(now = Date.now()): number {
    while (this.sent.length > 0 && this.sent[0]! <= now - 60_000) this.sent.shift();
    const lastSecond = this.sent.filter((at) => at > now - 1_000);
    const waitSecond = lastSecond.length >= this.rate.perSecond ? lastSecond[0]! + 1_000 - now : 0;
    const waitMinute = this.sent.length >= this.rate.perMinute ? this.sent[0]! + 60_000 - now : 0;
    return Math.max(waitSecond, waitMinute);
  }

  private async waitForRoom(): Promise<number> {
    for (;;) {
      const now = Date.now();
      const wait = this.delayBeforeNext(now);
      if (wait <= 0) {
        this.sent.push(now);
        return now;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

const pacers = new Map<string, RequestPacer>();

/** The process-wide pacer of one company at one API host. */
export function pacerFor(apiBaseUrl: string, realmId: string, rate: RequestRate): RequestPacer {
  const key = `${apiBaseUrl}|${realmId}`;
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = new RequestPacer(rate);
    pacers.set(key, pacer);
  }
  return pacer;
}
