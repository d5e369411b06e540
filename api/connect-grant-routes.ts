import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { receiveGrant } from '../runtime/integration-health-oauth.js';

/** Where platforms post a consent's credentials server-to-server; `grantUriFor` builds the same from the OAuth callback. */
export const CONNECT_GRANT_PATH = '/integrations/oauth/grant/:platform';

export interface ConnectGrantDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
}

/**
 * Public: a platform that hands over credentials by POSTing them (WooCommerce's key grant posts the new key to
 * its callback_url) delivers them here, for a state of ours still waiting for its callback. Answers exactly 200
 * when kept; anything else makes WooCommerce delete the key it just made, which is what a refusal should do.
 */
export function connectGrantRoutes(deps: ConnectGrantDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      CONNECT_GRANT_PATH,
      {
        bodyLimit: 16 * 1024,
        schema: {
          summary: "A platform's server-to-server delivery of the credentials a person just granted (WooCommerce key grant)",
          tags: ['integrations'],
          params: Type.Object({ platform: Type.String({ minLength: 1, maxLength: 40 }) }),
          body: Type.Unknown(),
        },
      },
      async (request, reply) => {
        const answer = await receiveGrant(deps, request.params.platform, request.body);
        if (answer === 'accepted') return reply.code(200).send({ status: 'accepted' });
        // Never the body: it holds a secret.
        request.log.warn({ platform: request.params.platform, answer }, 'connect grant refused');
        return reply.code(answer === 'not_a_grant' ? 400 : 404).send({ error: answer, message: answer === 'not_a_grant' ? 'This is not a grant we understand.' : 'No connect is waiting for this grant.' });
      },
    );
  };
}
