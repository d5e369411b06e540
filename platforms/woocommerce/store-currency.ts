import { PerIntegrationCache } from '../qbo/per-integration-cache.js';
import type { WooClient } from './woo-client.js';
import type { WooCallContext } from './woo-error-translation.js';

/** A store's currency changes in WooCommerce's settings, rarely: read at most once an hour per store. */
const known = new PerIntegrationCache<string>(60 * 60 * 1000);

/**
 * The store's own currency (system_status `settings.currency`, woocommerce.md §1): what its customers buy in unless a
 * multi-currency plugin charged them in theirs. A failed read is not kept.
 */
export function storeCurrency(client: WooClient, ctx: (action: string) => WooCallContext): Promise<string> {
  return known.get(client.storeUrl, async () => {
    const { data } = await client.request<{ settings?: { currency?: string } }>('get', 'system_status', ctx("reading the store's currency"));
    return data.settings?.currency ?? 'USD';
  });
}
