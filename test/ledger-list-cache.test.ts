import { describe, expect, it } from 'vitest';
import { LedgerListCache, MAX_REMEMBERED_CUSTOMER_KEYS, customerCacheKeys } from '../activities/ledger-list-cache.js';
import { RecentlyUsedMap } from '../domain/recently-used-map.js';

const company = { id: 'integration-1', account: { realmId: '9130' } };

describe("the worker's memory of a ledger's customers (activities/ledger-list-cache.ts)", () => {
  it('stays bounded however many customers the worker books, keeping the most recently used', () => {
    const cache = new LedgerListCache();
    const customers = cache.of(company).customers;
    const keyOf = (n: number) => customerCacheKeys(`buyer${n}@example.com`, `Buyer ${n}`, 'USD');
    // A long-running worker meets far more customers than it keeps: each adds its email and name keys.
    const fill = MAX_REMEMBERED_CUSTOMER_KEYS / 2;
    for (let n = 0; n < fill; n++) for (const key of keyOf(n)) customers.set(key, `qbo-${n}`);
    expect(customers.size).toBe(MAX_REMEMBERED_CUSTOMER_KEYS);
    // A repeat customer from early on is read again: it stays while newer ones push the untouched out.
    const regular = keyOf(0)[0]!;
    expect(customers.get(regular)).toBe('qbo-0');
    for (let n = fill; n < 10 * fill; n++) {
      if (n % 1000 === 0) customers.get(regular);
      for (const key of keyOf(n)) customers.set(key, `qbo-${n}`);
    }
    expect(customers.size).toBe(MAX_REMEMBERED_CUSTOMER_KEYS);
    expect(customers.get(regular)).toBe('qbo-0');
    expect(customers.get(keyOf(1)[0]!)).toBeUndefined();
    expect(customers.get(keyOf(10 * fill - 1)[1]!)).toBe(`qbo-${10 * fill - 1}`);
    // The same company's lists are one object; another company starts empty.
    expect(cache.of({ ...company }).customers).toBe(customers);
    expect(cache.of({ id: 'integration-1', account: { realmId: '9131' } }).customers.size).toBe(0);
  });
});

describe('RecentlyUsedMap', () => {
  it('drops the least recently read or written entry once past its limit, and refuses a limit under 1', () => {
    const map = new RecentlyUsedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([1, undefined, 3, 2]);
    map.set('a', 4);
    map.set('d', 5);
    expect([map.get('a'), map.get('c'), map.get('d')]).toEqual([4, undefined, 5]);
    expect(map.delete('a')).toBe(true);
    expect(map.size).toBe(1);
    expect(() => new RecentlyUsedMap(0)).toThrow(RangeError);
  });
});
