import type { FastifyRequest } from 'fastify';
import type { ShopData, ShopifyStore } from './store.js';

/**
 * Header our SDK fetch hook adds, because it rewrites the shop host to 127.0.0.1:PORT.
 * Browsers (OAuth authorize) cannot add headers, so the `emulated_shop` query parameter does the same.
 */
export const EMULATED_SHOP_HEADER = 'x-emulated-shop';
export const EMULATED_SHOP_QUERY = 'emulated_shop';

/** The shop a request addresses: shop header, then query, then Host, then the only/default shop. */
export function resolveShop(store: ShopifyStore, request: FastifyRequest): ShopData | undefined {
  const header = request.headers[EMULATED_SHOP_HEADER];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return store.findShop(fromHeader);
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = typeof query?.[EMULATED_SHOP_QUERY] === 'string' ? (query[EMULATED_SHOP_QUERY] as string) : undefined;
  if (fromQuery) return store.findShop(fromQuery);
  const host = (request.headers.host ?? '').replace(/:\d+$/, '');
  return store.findShop(host) ?? store.findShop(store.defaultShopDomain);
}
