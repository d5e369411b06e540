import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { XeroEmulatorState } from './emulator-state.js';
import type { IssuedTokens } from './grant-store.js';
import { problem, tokenExpiredDetail, XeroHttpError } from './wire-format.js';

/** Paths of Xero's identity endpoints and of the connections API, as on the real hosts. */
export const IDENTITY_PATHS = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
  authorize: '/identity/connect/authorize',
  token: '/connect/token',
  revocation: '/connect/revocation',
  connections: '/connections',
} as const;

function basicClient(request: FastifyRequest): { id: string; secret: string } | null {
  const match = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function originOf(request: FastifyRequest): string {
  return `http://${request.headers.host ?? '127.0.0.1'}`;
}

/** `2019-07-09T23:40:30.1833130`: the connections API's local-looking UTC times. */
function connectionTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000`;
}

export function registerIdentityRoutes(app: FastifyInstance, state: XeroEmulatorState): void {
  const { clientId, clientSecret } = state.options;
  const authenticClient = (request: FastifyRequest) => {
    const client = basicClient(request);
    return client !== null && client.id === clientId && client.secret === clientSecret;
  };
  // With the `openid` scope the answer carries an id_token signed with the key at the JWKS URI.
  const withIdToken = (tokens: IssuedTokens, request: FastifyRequest): IssuedTokens => {
    if (!tokens.scope.split(' ').includes('openid')) return tokens;
    const userId = state.grants.checkAccessToken(tokens.access_token);
    if (!userId.ok) return tokens;
    const id_token = state.idTokens.sign({
      issuer: originOf(request),
      audience: clientId,
      userId: userId.userId,
      nowSeconds: Math.floor(state.clock.now() / 1000),
      accessToken: tokens.access_token,
      lifetimeSeconds: 300,
    });
    return { id_token, ...tokens };
  };
  const tokenError = (reply: FastifyReply, status: number, error: string) => reply.code(status).header('cache-control', 'no-store').send({ error });

  app.get(IDENTITY_PATHS.discovery, async (request) => {
    const origin = originOf(request);
    return {
      issuer: origin,
      authorization_endpoint: `${origin}${IDENTITY_PATHS.authorize}`,
      token_endpoint: `${origin}${IDENTITY_PATHS.token}`,
      revocation_endpoint: `${origin}${IDENTITY_PATHS.revocation}`,
      jwks_uri: `${origin}${IDENTITY_PATHS.jwks}`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['plain', 'S256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    };
  });
  app.get(IDENTITY_PATHS.jwks, async () => state.idTokens.jwks());

  // The login and consent screens, approved at once by `authorizingUserId` for `authorizingTenantIds`.
  app.get(IDENTITY_PATHS.authorize, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (query.client_id !== clientId) return reply.code(400).type('text/html').send('<h1>Error: unauthorized_client</h1>');
    const redirectUri = query.redirect_uri;
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return reply.code(400).type('text/html').send('<h1>Error: invalid_request</h1>');
    const passState: Record<string, string> = query.state !== undefined ? { state: query.state } : {};
    if (query.response_type !== 'code') return reply.redirect(withQuery(redirectUri, { error: 'unsupported_response_type', ...passState }), 302);
    const scopes = (query.scope ?? '').split(/\s+/).filter((scope) => scope !== '');
    if (scopes.length === 0) return reply.redirect(withQuery(redirectUri, { error: 'invalid_scope', ...passState }), 302);
    if (state.denyNextAuthorizations > 0) {
      state.denyNextAuthorizations--;
      return reply.redirect(withQuery(redirectUri, { error: 'access_denied', ...passState }), 302);
    }
    const code = state.grants.issueCode(state.authorizingUserId, [...state.authorizingTenantIds], scopes, redirectUri);
    return reply.redirect(withQuery(redirectUri, { code, scope: scopes.join(' '), ...passState, session_state: 'emulated' }), 302);
  });

  app.post(IDENTITY_PATHS.token, async (request, reply) => {
    if (!authenticClient(request)) return tokenError(reply, 400, 'invalid_client');
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    if (body.grant_type === 'authorization_code') {
      const tokens = state.grants.exchangeCode(body.code ?? '', body.redirect_uri ?? '');
      return tokens ? reply.header('cache-control', 'no-store').send(withIdToken(tokens, request)) : tokenError(reply, 400, 'invalid_grant');
    }
    if (body.grant_type === 'refresh_token') {
      const tokens = state.grants.refresh(body.refresh_token ?? '');
      return tokens ? reply.header('cache-control', 'no-store').send(withIdToken(tokens, request)) : tokenError(reply, 400, 'invalid_grant');
    }
    return tokenError(reply, 400, 'unsupported_grant_type');
  });

  app.post(IDENTITY_PATHS.revocation, async (request, reply) => {
    if (!authenticClient(request)) return tokenError(reply, 400, 'invalid_client');
    const token = (request.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '') return tokenError(reply, 400, 'invalid_request');
    state.grants.revoke(token);
    return reply.code(200).send('');
  });

  const bearerUser = (request: FastifyRequest): string => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const check = state.grants.checkAccessToken(token);
    if (check.ok) return check.userId;
    throw check.reason === 'expired' ? problem(401, tokenExpiredDetail(check.expiredAtMs)) : problem(401, 'AuthenticationUnsuccessful');
  };
  const answer = (reply: FastifyReply, error: unknown) => {
    if (error instanceof XeroHttpError) return reply.code(error.status).send(error.body);
    throw error;
  };

  app.get(IDENTITY_PATHS.connections, async (request, reply) => {
    try {
      const userId = bearerUser(request);
      const authEventId = (request.query as { authEventId?: string }).authEventId;
      return state.grants.connectionsOf(userId, authEventId).map((connection) => ({
        id: connection.id,
        authEventId: connection.authEventId,
        tenantId: connection.tenantId,
        tenantType: 'ORGANISATION',
        tenantName: state.organisations.get(connection.tenantId)?.name ?? null,
        createdDateUtc: connectionTime(connection.createdMs),
        updatedDateUtc: connectionTime(connection.updatedMs),
      }));
    } catch (error) {
      return answer(reply, error);
    }
  });

  app.delete<{ Params: { id: string } }>(`${IDENTITY_PATHS.connections}/:id`, async (request, reply) => {
    try {
      const userId = bearerUser(request);
      return state.grants.removeConnection(userId, request.params.id) ? reply.code(204).send() : reply.code(404).send();
    } catch (error) {
      return answer(reply, error);
    }
  });
}
