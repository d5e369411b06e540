import type { FastifyPluginAsync } from 'fastify';
import { consoleAssetRoutes } from './console-assets.js';
import type { ConsoleDeps } from './console-deps.js';
import { CONSOLE_PREFIX, HOME_PATH } from './console-paths.js';
import { requireConsoleSession } from './console-session-hook.js';
import { signInRoutes } from './sign-in-routes.js';
import { consolePages } from './pages/index.js';

/** A console page module: Fastify routes registered behind sign-in and CSRF (see api/console/README.md). */
export type ConsolePagePlugin = (deps: ConsoleDeps) => FastifyPluginAsync;

/**
 * The operator console: server-rendered pages under /console for people, next to the bearer-token API for
 * programs. Register it as a public plugin (ApiDeps.plugins); it guards its own pages with a session.
 */
export function consoleRoutes(deps: ConsoleDeps, pages: readonly ConsolePagePlugin[] = consolePages): FastifyPluginAsync {
  return async (app) => {
    // Forms post urlencoded fields; the parser is this plugin's own (encapsulated), like the connect routes'.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 65_536 }, (_request, body, done) => {
      const fields: Record<string, string | string[]> = {};
      for (const [name, value] of new URLSearchParams(body as string)) {
        const previous = fields[name];
        fields[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
      }
      done(null, fields);
    });
    // Pages are for people; the OpenAPI document stays about the API.
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await app.register(consoleAssetRoutes);
    await app.register(signInRoutes(deps));
    app.get(CONSOLE_PREFIX, { schema: { hide: true } }, async (_request, reply) => reply.redirect(HOME_PATH, 303));
    await app.register(async (signedIn) => {
      requireConsoleSession(signedIn, deps.db);
      for (const page of pages) await signedIn.register(page(deps));
    });
  };
}
