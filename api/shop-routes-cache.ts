import type { Database } from '../db/database.js';
import { shopRoutesOf, type ShopRoutes } from './shop-routes-lookup.js';

/** How long a shop's routes are taken as known without asking the database again. */
export const DEFAULT_SHOP_ROUTES_TTL_MS = 30_000;

/**
 * The shop → routes answer the order webhook path needs, kept for a short while so that a burst of deliveries
 * costs one database write each, not two lookups more. Only shops with routes are kept: a shop connected a
 * moment ago is looked up afresh (never "ignored" from an old answer), while an answer gone stale the other way
 * (a route or integration removed) only makes an order event accepted that the intake drainer then finds
 * nothing to start for, and records as ignored. Concurrent misses for one shop share a single lookup.
 */
export class ShopRoutesCache {
  private readonly known = new Map<string, { routes: ShopRoutes; until: number }>();
  private readonly pending = new Map<string, Promise<ShopRoutes | null>>();

  constructor(
    private readonly db: Database,
    private readonly ttlMs = DEFAULT_SHOP_ROUTES_TTL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async routesOf(shop: string): Promise<ShopRoutes | null> {
    const key = shop.toLowerCase();
    const hit = this.known.get(key);
    if (hit && hit.until > this.now()) return hit.routes;
    let lookup = this.pending.get(key);
    if (!lookup) {
      lookup = shopRoutesOf(this.db, shop).finally(() => this.pending.delete(key));
      this.pending.set(key, lookup);
    }
    const routes = await lookup;
    if (routes && routes.routeIds.length > 0) this.known.set(key, { routes, until: this.now() + this.ttlMs });
    else this.known.delete(key);
    return routes;
  }
}
