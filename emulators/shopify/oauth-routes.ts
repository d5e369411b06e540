import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dropConnection } from '../common/fault-injector.js';
import type { ShopifyEmulatorControl } from './emulator-control.js';
import type { EmulatedToken } from './model.js';
import { signCallbackQuery } from './oauth-signature.js';
import { resolveShop } from './shop-resolution.js';
import { ACCESS_TOKEN_LIFETIME_S, REFRESH_TOKEN_LIFETIME_S } from './store.js';

export interface AppCredentials {
  apiKey: string;
  apiSecret: string;
}

/** Shopify's authorization-code grant, auto-approved, plus token refresh and access_scopes.json. */
export function registerOAuthRoutes(app: FastifyInstance, control: ShopifyEmulatorControl, credentials: AppCredentials): void {
  const { store, faults } = control;

  app.get('/admin/oauth/authorize', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const addressed = resolveShop(store, request);
    if (!addressed) return reply.code(404).type('text/plain').send('There is no store at this address.');
    const shop = control.consentShopDomain ? store.shop(control.consentShopDomain) : addressed;
    if (query.client_id !== credentials.apiKey) {
      return reply.code(400).type('text/plain').send('Oauth error invalid_request: The client_id is invalid');
    }
    if (!query.redirect_uri || !/^https?:\/\//.test(query.redirect_uri)) {
      return reply.code(400).type('text/plain').send('Oauth error invalid_request: The redirect_uri is missing or not whitelisted');
    }
    // An emulated merchant always clicks "Install": the grant becomes exactly the requested scopes.
    const scopes = (query.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    shop.shop.grantedScopes = [...new Set(scopes)];
    shop.shop.installed = true;
    const code = randomBytes(16).toString('hex');
    store.codes.set(code, { code, shop: shop.shop.domain, clientId: credentials.apiKey, scopes, used: false });
    const params: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${shop.shop.domain.split('.')[0]}`).toString('base64').replace(/=+$/, ''),
      shop: shop.shop.domain,
      state: query.state ?? '',
      timestamp: String(Math.trunc(Date.now() / 1000)),
    };
    params.hmac = signCallbackQuery(params, credentials.apiSecret);
    const target = new URL(query.redirect_uri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return reply.redirect(target.toString(), 302);
  });

  app.post('/admin/oauth/access_token', async (request, reply) => {
    const decision = await faults.before();
    if (decision === 'fail') return reply.code(faults.current.failStatus).send({ errors: 'Service Unavailable' });
    if (decision === 'throttle') return reply.code(429).header('Retry-After', '2.0').send({ errors: 'Exceeded 2 calls per second for api client.' });
    const shop = resolveShop(store, request);
    if (!shop) return reply.code(404).send({ errors: 'Not Found' });
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.client_id !== credentials.apiKey || body.client_secret !== credentials.apiSecret) {
      return reply.code(400).send({ error: 'invalid_client', error_description: 'Client credentials are invalid' });
    }
    let issued: EmulatedToken;
    if (body.grant_type === 'refresh_token') {
      const current = [...store.tokens.values()].find((t) => t.refreshToken && t.refreshToken === body.refresh_token);
      // Single use, except while its replacement has not been used yet (resilient refreshes); dead once
      // revoked by uninstall or by hand, or replaced by a token that has been used.
      const fresh = current && !current.revoked && !current.refreshTokenUsed;
      const usable =
        current &&
        current.shop === shop.shop.domain &&
        !current.revokedHard &&
        (fresh || store.replacementUnused(current)) &&
        shop.shop.installed &&
        Date.parse(current.refreshTokenExpiresAt ?? '') > Date.now();
      if (!current || !usable) return invalidGrant(reply, 'The refresh token is invalid, expired or already used.');
      current.refreshTokenUsed = true;
      issued = store.issueToken(shop.shop.domain, 'expiring');
      current.replacedBy = issued.accessToken;
    } else {
      const code = typeof body.code === 'string' ? store.codes.get(body.code) : undefined;
      if (!code || code.used || code.shop !== shop.shop.domain) {
        return reply.code(400).send({ error: 'invalid_request', error_description: 'The authorization code was not found or was already used' });
      }
      code.used = true;
      const expiring = body.expiring === '1' || body.expiring === 1 || body.expiring === true;
      issued = store.issueToken(shop.shop.domain, expiring ? 'expiring' : 'offline');
    }
    if (faults.takeDrop()) return dropConnection(request, reply);
    return reply.send(tokenResponse(issued, shop.shop.grantedScopes));
  });

  app.get('/admin/oauth/access_scopes.json', async (request, reply) => {
    const decision = await faults.before();
    if (decision === 'fail') return reply.code(faults.current.failStatus).send({ errors: 'Service Unavailable' });
    const shop = resolveShop(store, request);
    const token = store.liveToken(request.headers['x-shopify-access-token'] as string | undefined);
    if (!shop || !token || token.shop !== shop.shop.domain) return reply.code(401).send(UNAUTHORIZED_BODY);
    return reply.send({ access_scopes: shop.shop.grantedScopes.map((handle) => ({ handle })) });
  });
}

export const UNAUTHORIZED_BODY = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

function invalidGrant(reply: FastifyReply, description: string) {
  return reply.code(400).send({ error: 'invalid_grant', error_description: description });
}

function tokenResponse(token: EmulatedToken, scopes: string[]) {
  const base = { access_token: token.accessToken, scope: scopes.join(',') };
  if (token.kind !== 'expiring') return base;
  return {
    ...base,
    expires_in: ACCESS_TOKEN_LIFETIME_S,
    refresh_token: token.refreshToken,
    refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_S,
  };
}
