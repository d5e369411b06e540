import Fastify from 'fastify';
import { listenOnLoopback } from '../common/listen.js';
import { API_BASE_PATH, registerAccountingRoutes } from './accounting-routes.js';
import { registerControlRoutes } from './control-routes.js';
import { XeroEmulatorControl } from './control.js';
import { XeroEmulatorState } from './emulator-state.js';
import { IDENTITY_PATHS, registerIdentityRoutes } from './identity-routes.js';
import type { XeroEmulatorOptions } from './options.js';
import { notFound, validationException } from './wire-format.js';

export type { XeroEmulatorOptions, XeroSeedOrganisation, XeroSeedItem, XeroSeedTaxRate, XeroSeedAccount, XeroSeedContact } from './options.js';
export { XeroEmulatorControl } from './control.js';

/** Absolute URLs of the emulated identity server, connections API and Accounting API. */
export interface XeroEmulatorUrls {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  jwksUri: string;
  /** Origin `/connections` is served from (https://api.xero.com in production). */
  connectionsBaseUrl: string;
  /** For `accountingApi.basePath` (https://api.xero.com/api.xro/2.0 in production). */
  accountingApiBasePath: string;
}

export interface RunningXeroEmulator {
  origin: string;
  port: number;
  urls: XeroEmulatorUrls;
  control: XeroEmulatorControl;
  close(): Promise<void>;
}

/** Starts the Xero emulator (identity + connections + Accounting API + /_emulator control) on 127.0.0.1. */
export async function startXeroEmulator(options: XeroEmulatorOptions): Promise<RunningXeroEmulator> {
  const state = new XeroEmulatorState(options);
  const control = new XeroEmulatorControl(state);
  const app = Fastify({ logger: false, forceCloseConnections: true });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (request.url.startsWith(API_BASE_PATH) && status < 500) {
      // A body Xero cannot read is a validation error like any other [U: wording].
      return reply.code(400).send(validationException([{ ValidationErrors: [{ Message: (error as Error).message }] }]).body);
    }
    return reply.code(status >= 400 ? status : 500).send({ error: (error as Error).message });
  });

  app.setNotFoundHandler((request, reply) => {
    // Xero answers an unknown API path with a plain-text 404 [S].
    if (request.url.startsWith(API_BASE_PATH)) return reply.code(404).type('text/plain; charset=utf-8').send(notFound().body as string);
    return reply.code(404).send({ error: `no route ${request.method} ${request.url}` });
  });
  registerIdentityRoutes(app, state);
  registerAccountingRoutes(app, state);
  registerControlRoutes(app, state, control);

  const server = await listenOnLoopback(app, options.port ?? 0);
  return {
    origin: server.origin,
    port: server.port,
    urls: {
      issuer: server.origin,
      authorizationEndpoint: `${server.origin}${IDENTITY_PATHS.authorize}`,
      tokenEndpoint: `${server.origin}${IDENTITY_PATHS.token}`,
      revocationEndpoint: `${server.origin}${IDENTITY_PATHS.revocation}`,
      jwksUri: `${server.origin}${IDENTITY_PATHS.jwks}`,
      connectionsBaseUrl: server.origin,
      accountingApiBasePath: `${server.origin}${API_BASE_PATH}`,
    },
    control,
    close: server.close,
  };
}
