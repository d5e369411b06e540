import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import { integrations } from '../db/schema.js';
import { escapeHtml } from '../notifications/email-markup.js';
import { QBD_CONNECT_PAGE } from '../platforms/qbd/qbd-platform.js';
import { spendConnectLink } from '../runtime/connect-link-uses.js';
import type { ConnectLinkSigner } from '../security/connect-link.js';
import { checkConnectLink, parseFormBodies, sendPage, sendRefusal } from './connect-link-guard.js';
import { formPage, htmlDocument, messagePage } from './connect-pages.js';
import { operatorTokenCheck } from './operator-auth.js';
import { createWebConnectorLogin, qwcFileName, qwcFileOf, type QbdRouteDeps } from './qbd-routes.js';

export interface QbdConnectPageDeps extends QbdRouteDeps {
  /** Checks the signed, single-use links emails carry (the same signer as the OAuth connect page). */
  connectLinks: ConnectLinkSigner;
  operatorToken: string;
}

/**
 * QuickBooks Desktop's connect page, where reconnect links in emails lead (it has no OAuth consent page): the same
 * rules as the OAuth connect page (a signed, unexpired link, spent once, or the operator token), and what it makes
 * is a new Web Connector login, shown once: user name, password, the .qwc file and what to do with them.
 * Register outside the operator scope (a browser opens it from an email).
 */
export function qbdConnectPageRoutes(deps: QbdConnectPageDeps): FastifyPluginAsync {
  return async (plugin) => {
    parseFormBodies(plugin);
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const operatorToken = operatorTokenCheck(deps.operatorToken);
    const path = `/integrations/:id/${QBD_CONNECT_PAGE}`;
    const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
    const link = Type.Optional(Type.String({ maxLength: 2000, description: 'A signed connect link token' }));

    /** The QuickBooks Desktop integration, or the page saying why not (null). */
    const integrationOf = async (reply: FastifyReply, id: string) => {
      const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, id));
      if (!row) {
        await sendPage(reply, 404, messagePage('Cannot connect', `There is no integration ${id}.`));
        return null;
      }
      if (row.platform !== 'qbd') {
        await sendPage(reply, 409, messagePage('Cannot connect', `${row.displayName} is not a QuickBooks Desktop integration.`));
        return null;
      }
      return row;
    };

    app.get(
      path,
      { schema: { summary: 'QuickBooks Desktop: a page to create a new Web Connector login, opened from a signed connect link', tags: ['integrations'], params, querystring: Type.Object({ link }) } },
      async (request, reply) => {
        const { id } = request.params;
        const operator = operatorToken(request);
        if (operator === 'invalid') return sendRefusal(reply, 'bad-token');
        let token = request.query.link;
        if (operator === 'absent') {
          const checked = await checkConnectLink(deps.db, deps.connectLinks, id, token);
          if (!checked.ok) return sendRefusal(reply, checked.reason);
        }
        const row = await integrationOf(reply, id);
        if (!row) return reply;
        // An operator may make links: the button carries a fresh one.
        if (operator === 'valid') token = deps.connectLinks.sign(id).token;
        // A button, not an action on opening: mail scanners that open links must neither spend it nor replace the login.
        return sendPage(
          reply,
          200,
          formPage(
            `Reconnect ${row.displayName}`,
            `This makes a new Web Connector login for ${row.displayName}: a new password and a new .qwc file. ` +
              `The old password stops working as soon as you click. This link works once.`,
            `/integrations/${encodeURIComponent(id)}/${QBD_CONNECT_PAGE}`,
            { link: token! },
            'Create a new Web Connector login',
          ),
        );
      },
    );

    app.post(
      path,
      { schema: { summary: 'QuickBooks Desktop: spend a signed connect link and create a new Web Connector login', tags: ['integrations'], params, body: Type.Object({ link }) } },
      async (request, reply) => {
        const { id } = request.params;
        const checked = await checkConnectLink(deps.db, deps.connectLinks, id, request.body.link);
        if (!checked.ok) return sendRefusal(reply, checked.reason);
        const row = await integrationOf(reply, id);
        if (!row) return reply;
        if (!(await spendConnectLink(deps.db, checked.claims))) return sendRefusal(reply, 'spent');
        const login = await createWebConnectorLogin(deps, row);
        request.log.info({ integrationId: id }, 'new Web Connector login made from a connect link');
        const qwc = qwcFileOf(deps.config, row, login.userName);
        return sendPage(reply, 200, loginPage(row.displayName, login, qwc, qwcFileName(row)));
      },
    );
  };
}

/** The one page that shows the new password: the .qwc inline (no second link to guard), and the steps in plain words. */
function loginPage(name: string, login: { userName: string; password: string }, qwc: string, fileName: string): string {
  const download = `data:application/xml;base64,${Buffer.from(qwc, 'utf8').toString('base64')}`;
  const steps = [
    'On the computer where QuickBooks Desktop runs, open QuickBooks and the company file orders are booked into.',
    `Download the .qwc file below and open it: the QuickBooks Web Connector offers to add it (or choose "Add an application" in the Web Connector). If QuickBooks asks whether to allow ledgerbridge, allow it, also when QuickBooks is not running.`,
    `If the Web Connector still lists an older "ledgerbridge (${name})", remove it first: its password no longer works.`,
    'In the Web Connector, type the password below into the Password box of ledgerbridge and agree to save it.',
    'Tick ledgerbridge and click "Update Selected". Orders that were waiting then book by themselves.',
  ];
  return htmlDocument(
    `${name}: new Web Connector login`,
    `<p>${escapeHtml(`A new Web Connector login was made for ${name}. The password is shown only on this page: keep it until you have typed it into the Web Connector.`)}</p>` +
      `<dl><dt>User name</dt><dd id="user-name">${escapeHtml(login.userName)}</dd><dt>Password</dt><dd id="password">${escapeHtml(login.password)}</dd></dl>` +
      `<p><a id="qwc" download="${escapeHtml(fileName)}" href="${escapeHtml(download)}">Download ${escapeHtml(fileName)}</a></p>` +
      `<ol>${steps.map((step) => `<li>${escapeHtml(step)}</li>`).join('')}</ol>`,
  );
}
