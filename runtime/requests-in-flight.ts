/**
 * How many requests of one kind (webhook deliveries) this process is answering right now, and a way to wait
 * until it answers none: background work that shares the process and its database pool (the intake drainer)
 * holds back while a caller with a deadline is waiting.
 */
export class RequestsInFlight {
  private current = 0;
  private idleWaiters: (() => void)[] = [];

  get count(): number {
    return this.current;
  }

  /** Counts `work` as in flight until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.current++;
    try {
      return await work();
    } finally {
      this.current--;
      if (this.current === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  /** Resolves when none is in flight, or after `maxWaitMs` at most (background work is slowed, never stopped). */
  whenIdle(maxWaitMs: number): Promise<void> {
    if (this.current === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxWaitMs);
      const waiter = () => done();
      this.idleWaiters.push(waiter);
      const idleWaiters = () => this.idleWaiters;
      function done() {
        clearTimeout(timer);
        const waiters = idleWaiters();
        const at = waiters.indexOf(waiter);
        if (at >= 0) waiters.splice(at, 1);
        resolve();
      }
    });
  }
}
