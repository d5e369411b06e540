import type { FastifyReply } from 'fastify';
import type { Database } from '../db/database.js';
import { isConnectLinkSpent } from '../runtime/connect-link-uses.js';
import type { ConnectLinkClaims, ConnectLinkRefusal, ConnectLinkSigner } from '../security/connect-link.js';
import { messagePage } from './connect-pages.js';

export type LinkRefusal = ConnectLinkRefusal | 'spent' | 'absent' | 'bad-token';

/** What a browser is told when a connect link cannot be used: our own sentence, never the link's content. */
export const linkRefusals: Record<LinkRefusal, { status: number; message: string }> = {
  absent: {
    status: 401,
    message:
      'This connect link is not signed. Connecting decides where orders are booked, so it needs the link in the latest email ledgerbridge sent about this integration, or an operator.',
  },
  'bad-token': { status: 401, message: 'The operator token is not valid.' },
  unsigned: { status: 401, message: 'This connect link is not signed. Use the link in the latest email ledgerbridge sent about this integration, or ask an operator for a new one.' },
  invalid: { status: 403, message: 'This connect link is not valid: it was altered or not made by ledgerbridge. Use the link in the latest email, or ask an operator for a new one.' },
  'other-integration': { status: 403, message: 'This connect link belongs to another integration.' },
  expired: { status: 403, message: 'This connect link has expired. Use the link in a newer email, or ask an operator for a new one.' },
  spent: { status: 403, message: 'This connect link was already used: each link works once. Use the link in a newer email, or ask an operator for a new one.' },
};

/** An HTML page that no cache keeps (it may carry a one-time answer). */
export function sendPage(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html').send(body);
}

export function sendRefusal(reply: FastifyReply, reason: LinkRefusal): FastifyReply {
  return sendPage(reply, linkRefusals[reason].status, messagePage('This link cannot connect', linkRefusals[reason].message));
}

/** The link's claims when it may still be used for this integration (signed, unexpired, unspent); otherwise why not. */
export async function checkConnectLink(
  db: Database,
  signer: ConnectLinkSigner,
  integrationId: string,
  link: string | undefined,
): Promise<{ ok: true; claims: ConnectLinkClaims } | { ok: false; reason: LinkRefusal }> {
  if (!link) return { ok: false, reason: 'absent' };
  const checked = signer.check(link, integrationId);
  if (!checked.ok) return checked;
  if (await isConnectLinkSpent(db, checked.claims)) return { ok: false, reason: 'spent' };
  return checked;
}

/** Form fields arrive urlencoded from our pages' buttons (register inside the plugin that serves the pages). */
export function parseFormBodies(plugin: { addContentTypeParser: (...args: any[]) => unknown }): void {
  plugin.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request: unknown, body: string, done: (error: Error | null, value?: unknown) => void) => {
    done(null, Object.fromEntries(new URLSearchParams(body)));
  });
}
