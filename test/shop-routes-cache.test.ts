import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { integrations, syncRoutes } from '../db/schema.js';
import { ShopRoutesCache } from '../api/shop-routes-cache.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

let testDb: TestDatabase;
let number = 100;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => testDb?.close());

/** The database, counting the select statements sent through it. */
function countingSelects(db: Database): { db: Database; selects: () => number } {
  let selects = 0;
  const counted = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'select' && typeof value === 'function') {
        return (...args: unknown[]) => {
          selects++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { db: counted, selects: () => selects };
}

async function connectShop(shop: string): Promise<string> {
  const suffix = randomUUID().slice(0, 8);
  await testDb.db.insert(integrations).values([
    { id: `shopify-${suffix}`, platform: 'shopify', number: ++number, displayName: 'Shopify', account: { shop } },
    { id: `qbo-${suffix}`, platform: 'qbo', number, displayName: 'QuickBooks Online', account: { realmId: suffix } },
  ]);
  await testDb.db.insert(syncRoutes).values({ id: `route-${suffix}`, sourceIntegrationId: `shopify-${suffix}`, targetIntegrationId: `qbo-${suffix}` });
  return `route-${suffix}`;
}

describe("the order webhook path's shop → routes answers", () => {
  it('a burst of deliveries from one shop costs one lookup, and the answer is kept for the time given', async () => {
    const shop = `burst-${randomUUID().slice(0, 8)}.myshopify.com`;
    const routeId = await connectShop(shop);
    const { db, selects } = countingSelects(testDb.db);
    let now = 0;
    const cache = new ShopRoutesCache(db, 30_000, () => now);
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.routesOf(shop)));
    expect(answers.every((a) => a?.routeIds[0] === routeId)).toBe(true);
    const perLookup = selects();
    expect(perLookup).toBeGreaterThan(0);
    now = 29_000;
    await cache.routesOf(shop.toUpperCase());
    expect(selects()).toBe(perLookup);
    now = 31_000;
    await cache.routesOf(shop);
    expect(selects()).toBe(2 * perLookup);
  });

  it('never keeps "no route": a shop connected a moment after an ignored delivery is found at its next one', async () => {
    const shop = `late-${randomUUID().slice(0, 8)}.myshopify.com`;
    const cache = new ShopRoutesCache(testDb.db);
    expect(await cache.routesOf(shop)).toBeNull();
    const routeId = await connectShop(shop);
    expect((await cache.routesOf(shop))?.routeIds).toEqual([routeId]);
  });
});
