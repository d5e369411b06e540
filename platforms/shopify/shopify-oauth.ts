import { HttpResponseError, InvalidHmacError, type Shopify } from '@shopify/shopify-api';
import { abstractFetch } from '@shopify/shopify-api/runtime';
import type { IntegrationCredentials } from '../../domain/credentials.js';
import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import { browserUrlFor } from './emulator-routing.js';
import { translateShopifyError } from './shopify-error-translation.js';

/**
 * Shopify's authorization-code grant without the SDK's browser cookie: our API layer keeps the single-use
 * `state` itself, so we build the authorize URL and check the callback with the SDK's own HMAC and shop
 * validators, then exchange the code through the SDK's transport (which the emulator routing hooks).
 */
export function buildAuthorizeUrl(shopify: Shopify, shop: string, state: string, redirectUri: string): string {
  const cleanShop = requireShop(shopify, shop);
  const query = new URLSearchParams({
    client_id: shopify.config.apiKey,
    scope: shopify.config.scopes?.toString() ?? '',
    redirect_uri: redirectUri,
    state,
    // Empty = offline token: the sync runs without a person logged in.
    'grant_options[]': '',
  });
  return browserUrlFor(`https://${cleanShop}/admin/oauth/authorize?${query.toString()}`);
}

export async function exchangeCallback(
  shopify: Shopify,
  callbackQuery: Record<string, string>,
  options: { expiringTokens: boolean },
): Promise<{ shop: string; credentials: IntegrationCredentials }> {
  const shop = requireShop(shopify, callbackQuery.shop ?? '');
  let signed: boolean;
  try {
    // Checks the hex HMAC over the sorted query and that `timestamp` is within 90 s.
    signed = await shopify.utils.validateHmac(callbackQuery);
  } catch (error) {
    if (!(error instanceof InvalidHmacError)) throw error;
    throw rejectedCallback(shop, error.message);
  }
  if (!signed) throw rejectedCallback(shop, 'callback HMAC does not match');
  if (!callbackQuery.code) throw rejectedCallback(shop, 'callback has no code');

  const body = {
    client_id: shopify.config.apiKey,
    client_secret: shopify.config.apiSecretKey,
    code: callbackQuery.code,
    expiring: options.expiringTokens ? '1' : '0',
  };
  const ctx = { shop, action: 'exchanging the authorization code' };
  let response: Response;
  try {
    response = await abstractFetch(`https://${shop}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw translateShopifyError(error instanceof TypeError ? error : new TypeError(`fetch failed: ${String(error)}`), ctx);
  }
  const text = await response.text();
  if (response.status === 400) {
    throw new CredentialsInvalidError(
      'invalid_grant',
      `Shopify did not accept the connection to ${shop} (the approval had expired or was already used). Start connecting the store again.`,
      `${ctx.action}: HTTP 400 ${text.slice(0, 300)}`,
    );
  }
  if (!response.ok) {
    throw translateShopifyError(
      new HttpResponseError({ message: text, code: response.status, statusText: response.statusText, body: { text } }),
      ctx,
    );
  }
  return { shop, credentials: credentialsFrom(JSON.parse(text) as AccessTokenResponse) };
}

/** Rotates an expiring offline token; null for tokens that never expire (no refresh token). */
export async function refreshCredentials(
  shopify: Shopify,
  shop: string,
  current: IntegrationCredentials,
): Promise<IntegrationCredentials | null> {
  if (!current.refreshToken) return null;
  try {
    const { session } = await shopify.auth.refreshToken({ shop, refreshToken: current.refreshToken });
    return {
      accessToken: session.accessToken ?? '',
      refreshToken: session.refreshToken ?? null,
      accessTokenExpiresAt: session.expires?.toISOString() ?? null,
      refreshTokenExpiresAt: session.refreshTokenExpires?.toISOString() ?? null,
      scopes: session.scope ? session.scope.split(',') : current.scopes,
    };
  } catch (error) {
    if (error instanceof HttpResponseError && error.response.code === 400) {
      throw new CredentialsInvalidError(
        'invalid_grant',
        `Shopify no longer accepts ledgerbridge's access for ${shop}. Reconnect the store in ledgerbridge to resume syncing.`,
        `refreshing the access token: HTTP 400 ${JSON.stringify(error.response.body ?? null).slice(0, 300)}`,
      );
    }
    throw translateShopifyError(error, { shop, action: 'refreshing the access token' });
  }
}

interface AccessTokenResponse {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

function credentialsFrom(response: AccessTokenResponse): IntegrationCredentials {
  const at = (seconds: number | undefined) => (seconds ? new Date(Date.now() + seconds * 1000).toISOString() : null);
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? null,
    accessTokenExpiresAt: at(response.expires_in),
    refreshTokenExpiresAt: at(response.refresh_token_expires_in),
    scopes: response.scope ? response.scope.split(',') : [],
  };
}

function requireShop(shopify: Shopify, shop: string): string {
  const clean = shopify.utils.sanitizeShop(shop);
  if (!clean) {
    throw new CredentialsInvalidError('missing', `"${shop}" is not a Shopify store address (it should end in .myshopify.com).`, `sanitizeShop rejected ${JSON.stringify(shop)}`);
  }
  return clean;
}

function rejectedCallback(shop: string, reason: string): CredentialsInvalidError {
  return new CredentialsInvalidError(
    'invalid_grant',
    `The connection to ${shop} could not be verified as coming from Shopify. Start connecting the store again.`,
    `OAuth callback rejected: ${reason}`,
  );
}
