import type { LedgerItem, LedgerTaxCode } from '../domain/accounting-target.js';

/** What one ledger integration's lists said, as far as this process has asked. */
class IntegrationLists {
  /** Items by lower-cased SKU: ledgers compare SKUs loosely, mapping compares them exactly. */
  private readonly itemsBySku = new Map<string, LedgerItem[]>();
  taxCodes: LedgerTaxCode[] | null = null;
  /** Customer ids by "email:<address>" or "name:<display name>". */
  readonly customers = new Map<string, string>();

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

  of(integrationId: string): IntegrationLists {
    let lists = this.lists.get(integrationId);
    if (!lists) {
      lists = new IntegrationLists();
      this.lists.set(integrationId, lists);
    }
    return lists;
  }

  /** The ledger refused a reference: whatever we remembered of it may be stale. */
  forget(integrationId: string): void {
    this.lists.delete(integrationId);
  }
}

export function customerCacheKeys(email: string | null, displayName: string): string[] {
  return [...(email ? [`email:${email.toLowerCase()}`] : []), `name:${displayName}`];
}
