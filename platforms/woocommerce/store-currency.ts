import type { WooClient } from './woo-client.js';
import type { WooCallContext } from './woo-error-translation.js';

/** How long a store's currency is kept: it changes in WooCommerce's settings, rarely. */
const KEPT_MS = 60 * 60 * 1000;
const known = new Map<string, { currency: Promise<string>; readAt: number }>();

/**
 * The store's own currency (system_status `settings.currency`, woocommerce.md §1): what its customers buy in unless a
 * multi-currency plugin charged them in theirs. Read at most once an hour per store; a failed read is not kept.
 */
export function storeCurrency(client: WooClient, ctx: (action: string) => WooCallContext): Promise<string> {
  const entry = known.get(client.storeUrl);
  if (entry && Date.now() - entry.readAt < KEPT_MS) return entry.currency;
  const currency = client
    .request<{ settings?: { currency?: string } }>('get', 'system_status', ctx("reading the store's currency"))
    .then(({ data }) => data.settings?.currency ?? 'USD');
  known.set(client.storeUrl, { currency, readAt: Date.now() });
  currency.catch(() => {
    if (known.get(client.storeUrl)?.currency === currency) known.delete(client.storeUrl);
  });
  return currency;
}
