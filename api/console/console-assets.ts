import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { ASSETS_PATH } from './console-paths.js';

// Read once at start: the files sit next to this module (copied to dist/ by scripts/build.ts).
const assets = {
  'console.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/console.css', import.meta.url), 'utf8') },
  'console.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./assets/console.js', import.meta.url), 'utf8') },
};

/** Changes when a file does, so pages ask for the new one (`?v=`) while browsers may keep the old for an hour. */
export const ASSET_VERSION = createHash('sha256')
  .update(Object.values(assets).map((a) => a.body).join('\0'))
  .digest('hex')
  .slice(0, 12);

/** The console's stylesheet and script, public (the sign-in page needs them). */
export const consoleAssetRoutes: FastifyPluginAsync = async (app) => {
  for (const [name, asset] of Object.entries(assets)) {
    app.get(`${ASSETS_PATH}/${name}`, { schema: { hide: true } }, async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').type(asset.type).send(asset.body),
    );
  }
};
