import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { IntegrationCredentials } from '../../domain/credentials.js';
import type { IntegrationAccount } from '../platform.js';
import { normalizeStoreUrl, packStoreKeys } from './store-keys.js';

/** The key permission we ask for: webhooks are written, orders read. */
export const WOOCOMMERCE_KEY_SCOPE = 'read_write';
/** The query parameter of our callback URL that names the store the grant was asked of. */
const STORE_PARAM = 'store';

/**
 * WooCommerce's key grant (/wc-auth/v1/authorize): the store owner approves in wp-admin; WooCommerce POSTs the
 * new key to `callback_url` (our grant route) and then sends the browser to `return_url` (our OAuth callback).
 * `user_id` is any id of ours that WooCommerce echoes in both: our single-use state.
 */
export function keyGrantUrl(account: IntegrationAccount, state: string, redirectUri: string, grantUri: string | undefined, appName: string): string {
  if (!account.storeUrl) throw new Error('A WooCommerce integration needs its store URL (account.storeUrl) before connecting');
  if (!grantUri) throw new Error('WooCommerce delivers its keys to a grant URI: none was given');
  const store = normalizeStoreUrl(account.storeUrl);
  const returnUrl = new URL(redirectUri);
  returnUrl.searchParams.set('state', state);
  returnUrl.searchParams.set(STORE_PARAM, store);
  const url = new URL(`${store}/wc-auth/v1/authorize`);
  url.search = new URLSearchParams({ app_name: appName, scope: WOOCOMMERCE_KEY_SCOPE, user_id: state, return_url: returnUrl.toString(), callback_url: grantUri }).toString();
  return url.toString();
}

/** The JSON WooCommerce posts to callback_url: key_id, user_id (a string now, a number in the docs), consumer_key, consumer_secret, key_permissions. */
export function readKeyGrant(body: unknown): { state: string; credentials: IntegrationCredentials } | null {
  if (!body || typeof body !== 'object') return null;
  const grant = body as Record<string, unknown>;
  const state = typeof grant.user_id === 'string' || typeof grant.user_id === 'number' ? String(grant.user_id) : '';
  const consumerKey = typeof grant.consumer_key === 'string' ? grant.consumer_key : '';
  const consumerSecret = typeof grant.consumer_secret === 'string' ? grant.consumer_secret : '';
  const permissions = typeof grant.key_permissions === 'string' ? grant.key_permissions : '';
  if (!state || !/^ck_\w+$/.test(consumerKey) || !/^cs_\w+$/.test(consumerSecret) || !['read', 'write', 'read_write'].includes(permissions)) return null;
  return {
    state,
    credentials: { accessToken: packStoreKeys({ consumerKey, consumerSecret }), refreshToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, scopes: [permissions] },
  };
}

/** The browser is back: the owner approved (success=1) and the key arrived before it; the account is the store asked. */
export function grantedConnection(query: Record<string, string>, granted: IntegrationCredentials | null | undefined): { account: IntegrationAccount; credentials: IntegrationCredentials } {
  if (query.success !== '1') {
    throw new CredentialsInvalidError('missing', 'The store owner did not approve access for ledgerbridge in WooCommerce. Start again from "Connect".', `key grant answered success=${query.success ?? '(none)'}`);
  }
  if (!granted) {
    throw new CredentialsInvalidError('missing', 'WooCommerce did not send ledgerbridge the API key. Start again from "Connect".', 'no key was posted to the grant route for this state');
  }
  if (!query[STORE_PARAM]) throw new CredentialsInvalidError('missing', 'The connect answer does not name the store. Start again from "Connect".', 'return_url without store');
  return { account: { storeUrl: normalizeStoreUrl(query[STORE_PARAM]) }, credentials: granted };
}
