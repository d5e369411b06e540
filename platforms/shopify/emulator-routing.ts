// The Node adapter must run before we read abstractFetch, so it is what we wrap.
import '@shopify/shopify-api/adapters/node';
import { abstractFetch, setAbstractFetchFunc } from '@shopify/shopify-api/runtime';

/**
 * Sends the Shopify SDK's requests for emulated shops to a local emulator. The SDK always builds
 * `https://{shop}/…` (GraphQL and OAuth), so we rewrite the URL in its transport hook and name the shop in
 * a header, since the Host becomes 127.0.0.1:PORT. Only installed when an emulator is configured; every
 * other host passes through untouched. One hook per process, many routes (several emulators can coexist).
 */
export const EMULATED_SHOP_HEADER = 'X-Emulated-Shop';
/** Browsers cannot send headers, so the authorize URL names the shop in this query parameter instead. */
export const EMULATED_SHOP_QUERY = 'emulated_shop';

/** shop host (`demo.myshopify.com`, or `*.emulator.test` for a whole domain) → emulator origin. */
const routes = new Map<string, string>();
let installed = false;

export function routeShopsToEmulator(shopOrigins: Record<string, string>): void {
  for (const [host, origin] of Object.entries(shopOrigins)) routes.set(host.toLowerCase(), new URL(origin).origin);
  if (installed) return;
  const passThrough = abstractFetch;
  setAbstractFetchFunc((input, init) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const origin = emulatorOriginFor(url.host);
    if (!origin) return passThrough(input, init);
    const shop = url.host.toLowerCase();
    const target = new URL(origin);
    url.protocol = target.protocol;
    url.host = target.host;
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set(EMULATED_SHOP_HEADER, shop);
    return passThrough(url.toString(), { ...init, headers });
  });
  installed = true;
}

/** Removes routes (e.g. when a test's emulator stops); the hook stays and passes those hosts through. */
export function unrouteShops(shopHosts: string[]): void {
  for (const host of shopHosts) routes.delete(host.toLowerCase());
}

export function emulatorOriginFor(shopHost: string): string | null {
  const host = shopHost.toLowerCase();
  const exact = routes.get(host);
  if (exact) return exact;
  for (const [pattern, origin] of routes) {
    if (pattern.startsWith('*.') && host.endsWith(pattern.slice(1))) return origin;
  }
  return null;
}

/** A URL a person's browser opens (OAuth authorize): pointed at the emulator when the shop is emulated. */
export function browserUrlFor(url: string): string {
  const parsed = new URL(url);
  const origin = emulatorOriginFor(parsed.host);
  if (!origin) return url;
  const shop = parsed.host.toLowerCase();
  const target = new URL(origin);
  parsed.protocol = target.protocol;
  parsed.host = target.host;
  parsed.searchParams.set(EMULATED_SHOP_QUERY, shop);
  return parsed.toString();
}
