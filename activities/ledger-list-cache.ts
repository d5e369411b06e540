import type { LedgerItem, LedgerTaxCode } from '../domain/accounting-target.js';
import { RecentlyUsedMap } from '../domain/recently-used-map.js';

/**
 * Customer keys remembered per ledger company: each new customer adds one or two, so without a bound a worker
 * running for months would keep every customer it ever booked. A customer beyond it costs one lookup again.
 */
export const MAX_REMEMBERED_CUSTOMER_KEYS = 10_000;

/** What one ledger integration's lists said, as far as this process has asked. */
class IntegrationLists {
  /** Items by lower-cased SKU: ledgers compare SKUs loosely, mapping compares them exactly. */
  private readonly itemsBySku = new Map<string, LedgerItem[]>();
  taxCodes: LedgerTaxCode[] | null = null;
  /** Customer ids by "email:<address>|<currency>" or "name:<display name>|<currency>", the most recently used. */
  readonly customers = new RecentlyUsedMap<string, string>(MAX_REMEMBERED_CUSTOMER_KEYS);

  /** The SKUs this cache cannot answer for: only they need a lookup. */
  unknownSkus(skus: string[]): string[] {
    return skus.filter((sku) => !this.itemsBySku.has(sku.toLowerCase()));
  }

  rememberItems(skus: string[], found: LedgerItem[]): void {
    for (const sku of skus) {
      const matching = found.filter((item) => item.sku?.toLowerCase() === sku.toLowerCase());
      // A SKU the ledger does not have is not remembered: the next order asks again (it may have been added).
      if (matching.length > 0) this.itemsBySku.set(sku.toLowerCase(), matching);
    }
  }

  itemsFor(skus: string[]): LedgerItem[] {
    const seen = new Map<string, LedgerItem>();
    for (const sku of skus) for (const item of this.itemsBySku.get(sku.toLowerCase()) ?? []) seen.set(item.id, item);
    return [...seen.values()];
  }

  forgetItems(): void {
    this.itemsBySku.clear();
  }
}

/**
 * Per ledger integration and per worker process: the items, tax codes and customers earlier orders
 * looked up, so a repeat order asks the ledger only to book. Every entry is refreshed when it misses
 * (an unknown SKU, a mapping to a tax code not in the list) and dropped when the ledger refuses a
 * reference (inactive or deleted item, tax code or customer).
 */
export class LedgerListCache {
  private readonly lists = new Map<string, IntegrationLists>();

  /**
   * Keyed by the integration and the account it books into: an integration switched to another company
   * (an operator-confirmed reconnect) must not reuse the ids of the one it had.
   */
  of(integration: LedgerOfIntegration): IntegrationLists {
    const key = cacheKeyOf(integration);
    let lists = this.lists.get(key);
    if (!lists) {
      lists = new IntegrationLists();
      this.lists.set(key, lists);
    }
    return lists;
  }

  /** The ledger refused a reference: whatever we remembered of it may be stale. */
  forget(integration: LedgerOfIntegration): void {
    this.lists.delete(cacheKeyOf(integration));
  }
}

/** What identifies the ledger an integration books into: its id and its account (QBO realm, Xero tenant). */
export interface LedgerOfIntegration {
  id: string;
  account: Record<string, string>;
}

function cacheKeyOf(integration: LedgerOfIntegration): string {
  const account = Object.entries(integration.account).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([integration.id, account]);
}

/**
 * Keys of a customer a sale in `currency` can go to: a ledger whose customers have one currency (QuickBooks
 * multicurrency) may hold one customer per currency for the same email, so the currency is part of the key.
 */
export function customerCacheKeys(email: string | null, displayName: string, currency: string): string[] {
  return [...(email ? [`email:${email.toLowerCase()}|${currency}`] : []), `name:${displayName}|${currency}`];
}
