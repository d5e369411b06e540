import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { userAgentRefusal, type SquarespaceError } from './request-gate.js';
import type { SquarespaceSite, Token } from './site.js';

export const OAUTH_PATHS = {
  authorize: '/api/1/login/oauth/provider/authorize',
  tokens: '/api/1/login/oauth/provider/tokens',
  /** Not documented [U]: the emulator offers it so a disconnect can be played; the product does not rely on it. */
  revoke: '/api/1/login/oauth/provider/revoke',
} as const;

/** A code is single use and short-lived: about two minutes [S]. */
const CODE_TTL_MS = 2 * 60_000;

/** `"1553532363.542"`: epoch seconds with fractions, as a string [S]. */
const epochSeconds = (ms: number) => (ms / 1000).toFixed(3);

function tokenResponse(token: Token) {
  return {
    token_type: 'bearer',
    access_token: token.accessToken,
    access_token_expires_at: epochSeconds(token.accessExpiresAt),
    refresh_token: token.refreshToken,
    refresh_token_expires_at: epochSeconds(token.refreshExpiresAt),
  };
}

/** The token endpoint's refusals; its body shape is unconfirmed [U], so OAuth's `{error, error_description}` is used. */
const oauthError = (reply: FastifyReply, status: number, error: string, description: string) => reply.code(status).send({ error, error_description: description });

/**
 * Squarespace's OAuth provider on login.squarespace.com: the merchant's consent (auto-approved here, after picking
 * this website), the token endpoint (Basic client auth, JSON or form body), and a revoke endpoint [U].
 */
export function registerOAuthRoutes(app: FastifyInstance, site: SquarespaceSite, control: { denyNextConsent: boolean }, sendError: (reply: FastifyReply, error: SquarespaceError) => FastifyReply): void {
  app.get(OAUTH_PATHS.authorize, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    if (query.client_id !== site.clientId) return reply.code(400).type('text/plain').send('Invalid client_id.');
    if (!query.redirect_uri || !/^https?:\/\//.test(query.redirect_uri)) return reply.code(400).type('text/plain').send('Invalid redirect_uri.');
    // state is required by Squarespace's provider [S].
    if (!query.state) return reply.code(400).type('text/plain').send('Missing state.');
    const target = new URL(query.redirect_uri);
    if (control.denyNextConsent) {
      control.denyNextConsent = false;
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('state', query.state);
      return reply.redirect(target.toString(), 302);
    }
    // Scopes are comma-separated.
    const scopes = (query.scope ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const code = randomBytes(16).toString('hex');
    // Without access_type=offline no refresh token would come [S]; the emulator records it on the code.
    site.codes.set(code, { redirectUri: query.redirect_uri, scopes, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    target.searchParams.set('code', code);
    target.searchParams.set('state', query.state);
    return reply.redirect(target.toString(), 302);
  });

  app.post(OAUTH_PATHS.tokens, async (request, reply) => {
    const refused = userAgentRefusal(request.headers['user-agent']);
    if (refused) return sendError(reply, refused);
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const [clientId, clientSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (clientId !== site.clientId || clientSecret !== site.clientSecret) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed.');
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.grant_type === 'authorization_code') {
      const code = typeof body.code === 'string' ? site.codes.get(body.code) : undefined;
      if (!code || code.used || code.expiresAt <= Date.now() || code.redirectUri !== body.redirect_uri) {
        return oauthError(reply, 400, 'invalid_grant', 'The authorization code is invalid, expired or already used.');
      }
      code.used = true;
      return tokenResponse(site.issueToken(code.scopes));
    }
    if (body.grant_type === 'refresh_token') {
      const current = [...site.tokens.values()].find((t) => t.refreshToken === body.refresh_token);
      // Single use: once traded, usable again only until the new access token is used (then it is revoked).
      if (!current || current.revoked || current.refreshExpiresAt <= Date.now()) {
        return oauthError(reply, 400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.');
      }
      const issued = site.issueToken(current.scopes);
      if (current.replacedBy) {
        const previous = site.tokens.get(current.replacedBy);
        if (previous) previous.revoked = true;
      }
      current.replacedBy = issued.accessToken;
      return tokenResponse(issued);
    }
    return oauthError(reply, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  });

  app.post(OAUTH_PATHS.revoke, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = [...site.tokens.values()].find((t) => t.accessToken === body.token || t.refreshToken === body.token);
    if (token) token.revoked = true;
    return reply.code(200).send({});
  });
}
