import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { listenOnLoopback } from '../common/listen.js';
import { registerAcceptNegotiation } from './accept-negotiation.js';
import { registerAccountingRoutes } from './accounting-routes.js';
import { registerControlRoutes } from './control-routes.js';
import { QboEmulatorControl } from './control.js';
import { QboEmulatorState } from './emulator-state.js';
import { qboTime } from './fault-bodies.js';
import { OAUTH_PATHS, registerOAuthRoutes } from './oauth-routes.js';
import type { QboEmulatorOptions } from './options.js';

export type { QboEmulatorOptions, QboSeedCompany, QboSeedItem, QboSeedTaxCode, QboSeedCustomer } from './options.js';
export { QboEmulatorControl } from './control.js';

/** Absolute URLs for intuit-oauth's `setAuthorizeURLs` and the Accounting API base. */
export interface QboEmulatorUrls {
  authorizeEndpoint: string;
  tokenEndpoint: string;
  revokeEndpoint: string;
  userInfoEndpoint: string;
  apiBaseUrl: string;
}

export interface RunningQboEmulator {
  origin: string;
  port: number;
  urls: QboEmulatorUrls;
  control: QboEmulatorControl;
  close(): Promise<void>;
}

/** Starts the QuickBooks Online emulator (OAuth + Accounting API v3 + /_emulator control) on 127.0.0.1. */
export async function startQboEmulator(options: QboEmulatorOptions): Promise<RunningQboEmulator> {
  const state = new QboEmulatorState(options);
  const control = new QboEmulatorControl(state);
  const app = Fastify({ logger: false, forceCloseConnections: true });

  // Queries may be POSTed as application/text; token requests are form-encoded.
  app.addContentTypeParser(['application/text', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('intuit_tid', `1-${randomUUID().replaceAll('-', '').slice(0, 24)}`);
    return payload;
  });
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (request.url.startsWith('/v3/')) {
      return reply.code(status >= 500 ? 500 : 400).send({
        Fault: { Error: [{ Message: 'Request has invalid or unsupported property', Detail: (error as Error).message, code: '2010', element: '' }], type: 'ValidationFault' },
        time: qboTime(state.clock.now()),
      });
    }
    return reply.code(status >= 400 ? status : 500).send({ error: (error as Error).message });
  });

  registerAcceptNegotiation(app);
  registerOAuthRoutes(app, state);
  registerAccountingRoutes(app, state);
  registerControlRoutes(app, state, control);

  const server = await listenOnLoopback(app, options.port ?? 0);
  return {
    origin: server.origin,
    port: server.port,
    urls: {
      authorizeEndpoint: `${server.origin}${OAUTH_PATHS.authorize}`,
      tokenEndpoint: `${server.origin}${OAUTH_PATHS.token}`,
      revokeEndpoint: `${server.origin}${OAUTH_PATHS.revoke}`,
      userInfoEndpoint: `${server.origin}${OAUTH_PATHS.userInfo}`,
      apiBaseUrl: server.origin,
    },
    control,
    close: server.close,
  };
}
