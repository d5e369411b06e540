import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiKey, WooSite } from './site.js';

/**
 * WC_REST_Authentication (includes/class-wc-rest-authentication.php), as the research notes
 * (/work/shared/platforms/woocommerce.md §2.1) read it: over HTTPS, consumer_key/consumer_secret query parameters,
 * else HTTP Basic; over plain HTTP only OAuth 1.0a one-legged, its signature checked for real.
 */
export interface WooError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export type AuthOutcome = { kind: 'key'; key: ApiKey } | { kind: 'anonymous' } | { kind: 'refused'; error: WooError };

export interface AuthRequest {
  method: string;
  /** Host header, with the port: part of the OAuth base URI. */
  host: string;
  path: string;
  /** Query parameters in order, repeated keys kept (PHP's $_GET keeps the last). */
  query: Array<[string, string]>;
  authorization: string | undefined;
  /** is_ssl(): the site is served over HTTPS (behind a TLS proxy with HTTPS=on, in the emulator). */
  ssl: boolean;
}

const TIMESTAMP_WINDOW_S = 15 * 60;

function authError(message: string, headers?: Record<string, string>): AuthOutcome {
  return { kind: 'refused', error: { status: 401, code: 'woocommerce_rest_authentication_error', message, ...(headers ? { headers } : {}) } };
}

export function authenticate(site: WooSite, request: AuthRequest, nowSeconds = Math.floor(Date.now() / 1000)): AuthOutcome {
  const params = lastWins(request.query);
  if (request.ssl) {
    const basic = basicCredentials(params, request.authorization);
    if (basic) {
      const key = site.findKey(basic.key);
      if (!key) return authError('Consumer key is invalid.');
      if (!safeEqual(key.consumerSecret, basic.secret)) {
        return authError('Consumer secret is invalid.', {
          'WWW-Authenticate': 'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."',
        });
      }
      return permitted(key, request.method);
    }
  }
  const oauth = { ...oauthHeaderParams(request.authorization), ...params };
  if (!oauth.oauth_consumer_key) return { kind: 'anonymous' };
  const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
  const missing = required.filter((name) => !oauth[name]);
  if (missing.length > 0) {
    return { kind: 'refused', error: { status: 401, code: 'woocommerce_rest_authentication_missing_parameter', message: `Missing OAuth parameter(s) ${missing.join(', ')}` } };
  }
  const key = site.findKey(oauth.oauth_consumer_key!);
  if (!key) return authError('Consumer key is invalid.');
  const method = oauth.oauth_signature_method!;
  if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return authError('Invalid signature - signature method is invalid.');
  const expected = oauthSignature(request.method, `http${request.ssl ? 's' : ''}://${request.host}${request.path}`, oauth, key.consumerSecret, method);
  if (!safeEqual(expected, oauth.oauth_signature!.replace(/ /g, '+'))) return authError('Invalid signature - provided signature does not match.');
  const timestamp = Number(oauth.oauth_timestamp);
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_S) return authError('Invalid timestamp.');
  const seen = site.nonces.get(key.consumerKey) ?? new Map<string, number>();
  for (const [nonce, at] of seen) if (at < nowSeconds - TIMESTAMP_WINDOW_S) seen.delete(nonce);
  if (seen.has(oauth.oauth_nonce!)) return authError('Invalid nonce - nonce has already been used.');
  seen.set(oauth.oauth_nonce!, timestamp);
  site.nonces.set(key.consumerKey, seen);
  return permitted(key, request.method);
}

/** GET/HEAD need read; POST/PUT/PATCH/DELETE need write; OPTIONS always (check_permissions). */
function permitted(key: ApiKey, method: string): AuthOutcome {
  const verb = method.toUpperCase();
  if ((verb === 'GET' || verb === 'HEAD') && key.permissions === 'write') return authError('The API key provided does not have read permissions.');
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(verb) && key.permissions === 'read') return authError('The API key provided does not have write permissions.');
  return { kind: 'key', key };
}

/**
 * The OAuth 1.0a signature WooCommerce computes: METHOD & rawurlencode(base URI) & the parameters (but the
 * signature) sorted by encoded key, each `rawurlencode(rawurlencode(k)=rawurlencode(v))`, joined with %26; key = secret + "&".
 */
export function oauthSignature(method: string, baseUri: string, params: Record<string, string>, consumerSecret: string, signatureMethod: string): string {
  const pairs = Object.entries(params)
    .filter(([name]) => name !== 'oauth_signature')
    .map(([name, value]) => [rawUrlEncode(name), rawUrlEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => rawUrlEncode(`${name}=${value}`));
  const base = `${method.toUpperCase()}&${rawUrlEncode(baseUri)}&${pairs.join('%26')}`;
  return createHmac(signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${consumerSecret}&`).update(base).digest('base64');
}

/** PHP's rawurlencode: RFC 3986 unreserved characters stay. */
export function rawUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** PHP fills $_GET once per key: a repeated key keeps its last value. */
export function lastWins(query: Array<[string, string]>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of query) params[name] = value;
  return params;
}

function basicCredentials(params: Record<string, string>, authorization: string | undefined): { key: string; secret: string } | null {
  if (params.consumer_key && params.consumer_secret) return { key: params.consumer_key, secret: params.consumer_secret };
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function oauthHeaderParams(authorization: string | undefined): Record<string, string> {
  const match = /^OAuth\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return {};
  const params: Record<string, string> = {};
  for (const part of match[1]!.split(',')) {
    const pair = /^\s*([^=]+)="?([^"]*)"?\s*$/.exec(part);
    if (pair && pair[1]!.startsWith('oauth_')) params[pair[1]!] = decodeURIComponent(pair[2]!);
  }
  return params;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
