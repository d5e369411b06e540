import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { KeyPermissions, WooSite } from './site.js';

/**
 * WC_Auth (includes/class-wc-auth.php): `/wc-auth/v1/authorize` shows the store owner a grant page; Approve
 * creates a key, POSTs it as JSON to callback_url (which must answer exactly 200, else the key is deleted and an
 * error page shown), then redirects to return_url?success=1&user_id=…; Deny redirects with success=0. Errors are
 * wp_die HTML pages with status 401. The owner is taken as logged in (the WP login step is not emulated).
 */
export interface KeyGrantOptions {
  /**
   * Hosts whose callback_url may be plain http. WooCommerce requires https; loopback tests run our API over http.
   * A deviation, off unless a test asks (FIDELITY.md).
   */
  httpCallbackHosts?: string[];
}

const SCOPES: Record<string, KeyPermissions> = { read: 'read', write: 'write', read_write: 'read_write' };
const REQUIRED = ['app_name', 'scope', 'user_id', 'return_url', 'callback_url'] as const;

export function registerKeyGrantRoutes(app: FastifyInstance, site: WooSite, options: KeyGrantOptions): void {
  const nonces = new Set<string>();

  app.get('/wc-auth/v1/authorize', async (request, reply) => {
    const query = request.query as Record<string, string>;
    const refusal = checkRequest(query, options);
    if (refusal) return wpDie(reply, refusal);
    const nonce = randomBytes(8).toString('hex');
    nonces.add(nonce);
    const pass = new URLSearchParams(Object.fromEntries(REQUIRED.map((name) => [name, query[name]!])));
    const approve = `/wc-auth/v1/access_granted?${pass.toString()}&wc_auth_nonce=${nonce}`;
    const deny = `/wc-auth/v1/access_denied?${pass.toString()}&wc_auth_nonce=${nonce}`;
    return reply
      .type('text/html; charset=UTF-8')
      .send(
        `<!doctype html><html><body><h1>${escapeHtml(site.name)}</h1><p>${escapeHtml(query.app_name!)} would like to ` +
          `${query.scope === 'read' ? 'view' : 'view and manage'} orders, products, customers and webhooks.</p>` +
          `<a class="wc-auth-approve" href="${escapeHtml(approve)}">Approve</a> <a class="wc-auth-deny" href="${escapeHtml(deny)}">Deny</a></body></html>`,
      );
  });

  app.get('/wc-auth/v1/access_granted', async (request, reply) => {
    const query = request.query as Record<string, string>;
    const refusal = checkRequest(query, options) ?? (nonces.delete(query.wc_auth_nonce ?? '') ? null : 'Invalid nonce.');
    if (refusal) return wpDie(reply, refusal);
    const key = site.createKey(Number(query.user_id) || 1, `${query.app_name} - API (${new Date().toISOString().slice(0, 16)})`, SCOPES[query.scope!]!);
    const payload = { key_id: key.keyId, user_id: query.user_id, consumer_key: key.consumerKey, consumer_secret: key.consumerSecret, key_permissions: key.permissions };
    let status: number | null = null;
    try {
      const response = await fetch(formatUrl(query.callback_url!), {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=UTF-8' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(60_000),
        redirect: 'manual',
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = null;
    }
    if (status !== 200) {
      site.revokeKey(key.consumerKey);
      return wpDie(reply, 'An error occurred in the request and at the time were unable to send the consumer data');
    }
    return reply.redirect(withQuery(formatUrl(query.return_url!), { success: '1', user_id: query.user_id! }), 302);
  });

  app.get('/wc-auth/v1/access_denied', async (request, reply) => {
    const query = request.query as Record<string, string>;
    const refusal = checkRequest(query, options);
    if (refusal) return wpDie(reply, refusal);
    return reply.redirect(withQuery(formatUrl(query.return_url!), { success: '0', user_id: query.user_id! }), 302);
  });
}

function checkRequest(query: Record<string, string>, options: KeyGrantOptions): string | null {
  for (const name of REQUIRED) if (!query[name]) return `${name} parameter is missing`;
  if (!SCOPES[query.scope!]) return 'Invalid scope %s'.replace('%s', query.scope!);
  const callback = formatUrl(query.callback_url!);
  let host = '';
  try {
    host = new URL(callback).hostname;
  } catch {
    return 'The callback_url needs to be over SSL';
  }
  if (!callback.startsWith('https://') && !(options.httpCallbackHosts ?? []).includes(host)) return 'The callback_url needs to be over SSL';
  return null;
}

/** get_formatted_url: a URL without a scheme gets https://. */
function formatUrl(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
}

function withQuery(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

function wpDie(reply: FastifyReply, message: string) {
  return reply.code(401).type('text/html; charset=UTF-8').send(`<!doctype html><html><body><div class="wp-die-message">Error: ${escapeHtml(message)}.</div></body></html>`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
