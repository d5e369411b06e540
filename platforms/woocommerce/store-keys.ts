/**
 * WooCommerce REST keys as the credential store keeps them: the consumer key and secret in one access token
 * (`ck_…:cs_…`, as HTTP Basic pairs them), since a connection hands platforms one token. They never expire.
 */
export interface StoreKeys {
  consumerKey: string;
  consumerSecret: string;
}

export function packStoreKeys(keys: StoreKeys): string {
  return `${keys.consumerKey}:${keys.consumerSecret}`;
}

export function unpackStoreKeys(accessToken: string): StoreKeys {
  const colon = accessToken.indexOf(':');
  return colon < 0 ? { consumerKey: accessToken, consumerSecret: '' } : { consumerKey: accessToken.slice(0, colon), consumerSecret: accessToken.slice(colon + 1) };
}

/** `https://shop.example.com/` → `https://shop.example.com`: one spelling per store, so accounts compare equal. */
export function normalizeStoreUrl(url: string): string {
  const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`);
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${parsed.pathname.replace(/\/+$/, '')}`;
}
