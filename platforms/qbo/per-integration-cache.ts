/**
 * What a company's settings or lists say, kept per integration for a while so each order does not ask
 * again. A miss (or a value older than `ttlMs`) loads it once, however many callers wait on it; a failed
 * load is not kept. `forget` drops an entry when the ledger shows it is stale (e.g. refused a document).
 */
export class PerIntegrationCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; loadedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.value;
    const value = load();
    this.entries.set(key, { value, loadedAt: this.now() });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** A value learnt another way (e.g. a full list just read), kept as if loaded now. */
  set(key: string, value: T): void {
    this.entries.set(key, { value: Promise.resolve(value), loadedAt: this.now() });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
