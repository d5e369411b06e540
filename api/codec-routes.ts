import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';
import { operatorTokenCheck } from './operator-auth.js';

export interface CodecRoutesOptions {
  codec: PayloadCodec;
  operatorToken: string;
  /** Origins of the Temporal UI allowed to call these routes from a browser (e.g. http://127.0.0.1:8233). */
  uiOrigins: readonly string[];
  /** How long a browser session for Temporal UI lasts. Default 12 hours. */
  sessionTtlMs?: number;
  now?: () => number;
}

const SESSION_COOKIE = 'ledgerbridge_codec_session';

/** A payload as Temporal's codec server protocol sends it: protobuf JSON, bytes in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * Temporal's codec server protocol under /codec: POST /codec/decode and /codec/encode take and answer
 * `{ payloads: [...] }`, so Temporal UI and the CLI show encrypted payloads to operators. Callers prove they
 * are operators with the operator token (Authorization: Bearer), or a browser session cookie that
 * /codec/session gives for the token: Temporal UI sends it when "Include cross-origin credentials" is on (set by the
 * cluster, or in the UI's browser setting, which the UI then only follows with "Use my browser setting" chosen).
 */
export function codecRoutes(options: CodecRoutesOptions): FastifyPluginAsync {
  const tokenCheck = operatorTokenCheck(options.operatorToken);
  const ttlMs = options.sessionTtlMs ?? 12 * 3_600_000;
  const now = options.now ?? Date.now;
  const signSession = (expires: number) => createHmac('sha256', options.operatorToken).update(`codec-session:${expires}`).digest('base64url');
  const sessionValid = (request: FastifyRequest): boolean => {
    const value = cookie(request, SESSION_COOKIE);
    const match = value ? /^(\d+)\.([A-Za-z0-9_-]+)$/.exec(value) : null;
    if (!match || Number(match[1]) <= now()) return false;
    const expected = Buffer.from(signSession(Number(match[1])));
    const given = Buffer.from(match[2]!);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  return async (app) => {
    // CORS for Temporal UI: the exact origin (credentials may be included), never "*".
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (origin && options.uiOrigins.includes(origin)) {
        reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true').header('vary', 'origin');
      }
    });
    app.options('/codec/*', async (_request, reply) => {
      reply
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, x-namespace')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    });

    const requireOperator = async (request: FastifyRequest, reply: FastifyReply) => {
      const token = tokenCheck(request);
      if (token === 'valid' || (token === 'absent' && sessionValid(request))) return;
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorized', 'Decoding Temporal payloads needs the operator token ("Authorization: Bearer <token>") or a session from /codec/session.');
    };

    for (const direction of ['encode', 'decode'] as const) {
      app.post<{ Body: { payloads?: unknown } }>(`/codec/${direction}`, { onRequest: requireOperator, schema: { hide: true } }, async (request) => {
        const payloads = fromJson(request.body?.payloads);
        try {
          const converted = await (direction === 'encode' ? options.codec.encode(payloads) : options.codec.decode(payloads));
          return { payloads: converted.map(toJson) };
        } catch (error) {
          // The codec's messages name a key id at most, never key material or payload contents.
          throw new ApiError(422, 'codec_failed', (error as Error).message);
        }
      });
    }

    // A browser session for Temporal UI: the operator pastes the token once, the cookie goes with its codec calls.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const page = (reply: FastifyReply, status: number, body: string) =>
      reply.code(status).header('cache-control', 'no-store').type('text/html').send(`<!doctype html><meta charset="utf-8"><title>Temporal UI decoding</title>${body}`);
    app.get('/codec/session', { schema: { hide: true } }, async (_request, reply) =>
      page(reply, 200, '<h1>Show decrypted payloads in Temporal UI</h1><form method="post"><label>Operator token <input type="password" name="token" autocomplete="off"></label> <button>Sign in</button></form>'),
    );
    app.post<{ Body: { token?: string } | undefined }>('/codec/session', { schema: { hide: true } }, async (request, reply) => {
      const bodyToken = typeof request.body?.token === 'string' ? request.body.token : '';
      const viaBody = bodyToken !== '' && tokenCheck({ headers: { authorization: `Bearer ${bodyToken}` } } as FastifyRequest) === 'valid';
      if (!viaBody && tokenCheck(request) !== 'valid') return page(reply, 401, '<h1>Not signed in</h1><p>That is not the operator token.</p><p><a href="/codec/session">Try again</a></p>');
      const expires = now() + ttlMs;
      reply.header('set-cookie', `${SESSION_COOKIE}=${expires}.${signSession(expires)}; Path=/codec; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(ttlMs / 1000)}`);
      return page(
        reply,
        200,
        `<h1>Signed in</h1><p>Temporal UI can now show decrypted payloads until ${new Date(expires).toISOString()}, once its Codec Server settings ` +
          'say "Use my browser setting and ignore Cluster-level setting.", with this address without "/session" as the browser endpoint and ' +
          '"Include cross-origin credentials" on (unless the cluster already includes credentials). Apply, then reload the page.</p>',
      );
    });
  };
}

function fromJson(value: unknown): Payload[] {
  if (!Array.isArray(value)) throw new ApiError(400, 'invalid_payloads', 'Expected a JSON body { "payloads": [...] }.');
  return value.map((item: JsonPayload) => ({
    metadata: Object.fromEntries(Object.entries(item?.metadata ?? {}).map(([key, text]) => [key, Buffer.from(String(text), 'base64')])),
    data: Buffer.from(typeof item?.data === 'string' ? item.data : '', 'base64'),
  }));
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, bytes]) => [key, Buffer.from(bytes ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
  };
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
