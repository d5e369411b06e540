/**
 * A map that keeps only its `limit` most recently used entries (read or written), so a cache a long-running worker
 * fills per customer or per document stays bounded however many it meets. A Map iterates in insertion order, so
 * re-inserting on use keeps the least recently used first, and it is the one dropped.
 */
export class RecentlyUsedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a RecentlyUsedMap keeps at least 1 entry, not ${limit}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }
}
