import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QboEmulatorState } from './emulator-state.js';

/** Paths of the emulated Intuit OAuth endpoints (same paths as the real hosts). */
export const OAUTH_PATHS = {
  authorize: '/connect/oauth2',
  token: '/oauth2/v1/tokens/bearer',
  revoke: '/v2/oauth2/tokens/revoke',
  userInfo: '/v1/openid_connect/userinfo',
} as const;

function clientFromBasicAuth(request: FastifyRequest): { id: string; secret: string } | null {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function tokenError(reply: FastifyReply, status: number, error: string, description?: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send(description ? { error, error_description: description } : { error });
}

export function registerOAuthRoutes(app: FastifyInstance, state: QboEmulatorState): void {
  const { clientId, clientSecret } = state.options;
  const authenticClient = (request: FastifyRequest) => {
    const client = clientFromBasicAuth(request);
    return client !== null && client.id === clientId && client.secret === clientSecret;
  };

  // The consent screen, auto-approved for `state.authorizingRealmId`.
  app.get(OAUTH_PATHS.authorize, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const redirectUri = query.redirect_uri;
    if (query.client_id !== clientId) return reply.code(400).type('text/html').send('<h1>invalid_client: unknown client_id</h1>');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) {
      return reply.code(400).type('text/html').send('<h1>invalid_request: redirect_uri is required</h1>');
    }
    const passState: Record<string, string> = query.state !== undefined ? { state: query.state } : {};
    if (query.response_type !== 'code') {
      return reply.redirect(withQuery(redirectUri, { error: 'unsupported_response_type', ...passState }), 302);
    }
    const scopes = (query.scope ?? '').split(/\s+/).filter((scope) => scope !== '');
    if (scopes.length === 0) return reply.redirect(withQuery(redirectUri, { error: 'invalid_scope', ...passState }), 302);
    if (state.denyNextAuthorizations > 0) {
      state.denyNextAuthorizations--;
      return reply.redirect(withQuery(redirectUri, { error: 'access_denied', ...passState }), 302);
    }
    const realmId = state.authorizingRealmId;
    const code = state.grants.issueCode(realmId, scopes, redirectUri);
    return reply.redirect(withQuery(redirectUri, { code, ...passState, realmId }), 302);
  });

  app.post(OAUTH_PATHS.token, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!authenticClient(request)) return tokenError(reply, 401, 'invalid_client');
    // The token endpoint takes a form-encoded body only [C]; the error it gives for JSON is unconfirmed [U].
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) return tokenError(reply, 400, 'invalid_request');
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    if (body.grant_type === 'authorization_code') {
      const result = state.grants.exchangeCode(body.code ?? '', body.redirect_uri ?? '');
      if (!result.ok) return tokenError(reply, 400, 'invalid_grant');
      return reply.send(result.tokens);
    }
    if (body.grant_type === 'refresh_token') {
      const result = state.grants.refresh(body.refresh_token ?? '');
      if (!result.ok) return tokenError(reply, 400, 'invalid_grant', 'Incorrect or invalid refresh token');
      return reply.send(result.tokens);
    }
    return tokenError(reply, 400, 'unsupported_grant_type');
  });

  app.post(OAUTH_PATHS.revoke, async (request, reply) => {
    if (!authenticClient(request)) return tokenError(reply, 401, 'invalid_client');
    const token = (request.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') return tokenError(reply, 400, 'invalid_request');
    // Like RFC 7009, an unknown token is not an error.
    state.grants.revokeToken(token);
    return reply.code(200).send('');
  });

  app.get(OAUTH_PATHS.userInfo, async (request, reply) => {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const check = state.grants.checkAccessToken(token);
    if (!check.ok) return reply.code(401).send({ error: 'invalid_token' });
    return reply.send({
      sub: `emulated-user-${check.realmId}`,
      email: 'owner@example.com',
      emailVerified: true,
      givenName: 'Emulated',
      familyName: 'Owner',
    });
  });
}
