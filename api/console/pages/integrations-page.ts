import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRecipientError, NoRecipientsError } from '../../../notifications/recipient-list.js';
import { beginConnect } from '../../../runtime/integration-health-oauth.js';
import { integrationHealthDetail, listIntegrationHealth, type IntegrationHealthRow } from '../../../runtime/integration-health-views.js';
import { signalIntegrationHealth } from '../../../runtime/integration-health-starter.js';
import { CheckTimeoutError, checkIntegrationNow, deleteIntegrationForGood, saveAlertRecipients, whatDeletingRemoves } from '../../integration-actions.js';
import { oauthDepsFor } from '../../integration-routes.js';
import type { ConsoleDeps } from '../console-deps.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, sendHtml, sendPage, timeText, wantsFragment, type ConsolePage } from '../layout.js';
import { checkOutcomeView, healthCell, integrationPath } from './integration-views.js';
import { storeSyncSections } from './store-sync-section.js';
import { platformLabel } from './platform-mark.js';
import { storeCardSection } from './store-card.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** Notices after an action, by a fixed key (the query never carries text the page would show). */
const notices: Record<string, string> = {
  paused: 'Disconnecting: the integration turns Disconnected, syncs wait, nothing is lost.',
  resumed: 'Resuming: the integration is checked now and waiting orders resume once it is Connected.',
  recipients: 'Alert recipients saved.',
  resync: 'Full re-sync started: its progress shows below. Orders already booked are left alone.',
  'resync-cancel': 'Cancelling the re-sync: it stops after the order in hand. Syncs it started go on.',
  settings: 'Sync settings saved. They apply to what the store sends from now on; run a full re-sync to apply them to the history.',
};

const LIVE_EVERY_MS = 4000;

/**
 * Setup → Integrations: every integration with its Health column and actions, and one integration's page
 * (its last checks, status history, alert recipients). Uses the same services as the operator API.
 */
export const integrationsPages: ConsolePagePlugin = (deps) => async (app) => {
  const reconnectLink = (id: string) => deps.connectLinks.url(deps.publicBaseUrl, id);
  const platformName = (platform: string) => platformLabel(deps.platforms, platform);
  const noticeOf = (request: FastifyRequest): ConsolePage['notice'] => {
    const key = (request.query as Record<string, unknown>).done;
    return typeof key === 'string' && notices[key] ? { kind: 'ok', text: notices[key] } : null;
  };
  const notFoundPage = (request: FastifyRequest, reply: FastifyReply, id: string) =>
    sendPage(request, reply, { title: 'Integration not found', nav: 'integrations', body: html`<p>There is no integration ${id}. <a href="${CONSOLE_PREFIX}/integrations">All integrations</a></p>` }, 404);

  app.get(`${CONSOLE_PREFIX}/integrations`, async (request, reply) => {
    const rows = await listIntegrationHealth(deps.db, reconnectLink);
    const body =
      rows.length === 0
        ? html`<p>No integrations yet. Create one through the API (<code>POST /integrations</code>).</p>`
        : html`<table class="rows integrations">
<caption class="visually-hidden">Integrations and their health</caption>
<thead><tr><th scope="col">Integration</th><th scope="col">Platform</th><th scope="col">Health</th><th scope="col">Alerts to</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows.map((row) => integrationRow(request, row, platformName(row.platform)))}</tbody>
</table>`;
    return sendPage(request, reply, { title: 'Integrations', nav: 'integrations', lead: 'Shops and ledgers ledgerbridge connects, and whether each connection works right now.', body, notice: noticeOf(request) });
  });

  // The Health cell alone, for the page's live refresh.
  app.get<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/health`, async (request, reply) => {
    const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
    if (!detail) return reply.code(404).type('text/plain').send('This integration was deleted.');
    return sendHtml(reply, healthCell(detail));
  });

  app.get<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id`, async (request, reply) => {
    const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
    if (!detail) return notFoundPage(request, reply, request.params.id);
    const storeSync = deps.platforms.roleOf(detail.platform) === 'commerce' ? await storeSyncSections(deps, request, detail.id) : '';
    const storeCard = await storeCardSection(deps, request, detail);
    const body = html`<section aria-labelledby="health-h">
<h2 id="health-h">Health</h2>
<p class="health" data-refresh-url="${integrationPath(detail.id)}/health" data-refresh-every="${LIVE_EVERY_MS}">${healthCell(detail)}</p>
${actionButtons(request, detail, integrationPath(detail.id))}
<div id="check-${detail.id}" class="check-results" aria-live="polite"></div>
</section>
${storeCard}
${storeSync}
<section aria-labelledby="checks-h">
<h2 id="checks-h">Last checks</h2>
${detail.checks.length === 0 ? html`<p>Not checked yet.</p>` : html`<ul class="checks">${detail.checks.map((c) => html`<li class="${c.ok ? 'ok' : 'failed'}"><span class="mark" aria-hidden="true">${c.ok ? '✓' : '✗'}</span> ${c.ok ? 'Passed' : 'Failed'}: ${c.message} <span class="when">${timeText(c.checkedAt)}</span></li>`)}</ul>`}
</section>
<section aria-labelledby="recipients-h">
<h2 id="recipients-h">Alert recipients</h2>
<form method="post" action="${integrationPath(detail.id)}/recipients" class="stack">${csrfField(request)}
<label for="recipients">Who gets this integration's alert emails (one address per line)</label>
<textarea id="recipients" name="notifyEmails" rows="3">${detail.notifyEmails.join('\n')}</textarea>
<button type="submit">Save recipients</button>
</form>
</section>
<section aria-labelledby="history-h">
<h2 id="history-h">Status history</h2>
${detail.transitions.length === 0 ? html`<p>No changes yet.</p>` : html`<ol class="history">${detail.transitions.map((t) => html`<li>${timeText(t.at)}: ${t.from ?? 'new'} → <strong>${t.to}</strong> — ${t.cause}</li>`)}</ol>`}
</section>`;
    return sendPage(request, reply, { title: detail.displayName, nav: 'integrations', lead: html`${platformName(detail.platform)} · <a href="${CONSOLE_PREFIX}/integrations">All integrations</a>`, body, notice: noticeOf(request) });
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/check`, async (request, reply) => {
    const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
    if (!detail) return notFoundPage(request, reply, request.params.id);
    let result: SafeHtml;
    let status = 200;
    try {
      result = checkOutcomeView(detail.displayName, await checkIntegrationNow(deps.health, detail.id, deps.checkTimeoutMs));
    } catch (error) {
      if (!(error instanceof CheckTimeoutError)) throw error;
      result = html`<p class="notice notice-error" role="alert">${error.message}</p>`;
      status = 504;
    }
    if (wantsFragment(request)) return sendHtml(reply, result, status);
    return sendPage(request, reply, { title: `${detail.displayName}: health check`, nav: 'integrations', body: html`${result}<p><a href="${integrationPath(detail.id)}">Back to ${detail.displayName}</a></p>` }, status);
  });

  // Reconnect through the guarded connect flow: a signed-in operator (this POST carries the CSRF token) goes to the consent page, as the operator token does.
  app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/reconnect`, async (request, reply) => {
    const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
    if (!detail) return notFoundPage(request, reply, request.params.id);
    let url: string;
    try {
      url = await beginConnect(oauthDepsFor(deps, (message, detail) => request.log.warn(detail, message)), detail.id);
    } catch (error) {
      // A platform without a consent page (QuickBooks Desktop: the Web Connector) says how it connects instead.
      request.log.warn({ err: error }, 'reconnect could not start');
      const body = html`<p>${(error as Error).message}</p><p><a href="${integrationPath(detail.id)}">Back to ${detail.displayName}</a></p>`;
      return sendPage(request, reply, { title: `${detail.displayName} cannot be reconnected here`, nav: 'integrations', body }, 409);
    }
    return reply.redirect(url, 303);
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/${action}`, async (request, reply) => {
      const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
      if (!detail) return notFoundPage(request, reply, request.params.id);
      await signalIntegrationHealth(deps.health, detail.id, { name: action });
      return reply.redirect(`${backTo(request)}?done=${action === 'pause' ? 'paused' : 'resumed'}`, 303);
    });
  }

  app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/recipients`, async (request, reply) => {
    const detail = await integrationHealthDetail(deps.db, request.params.id, reconnectLink);
    if (!detail) return notFoundPage(request, reply, request.params.id);
    const field = (request.body as Record<string, string | string[] | undefined>).notifyEmails ?? '';
    const addresses = (Array.isArray(field) ? field : [field]).flatMap((text) => text.split(/[\n,;]+/));
    try {
      await saveAlertRecipients(deps.db, detail.id, addresses);
    } catch (error) {
      if (!(error instanceof InvalidRecipientError || error instanceof NoRecipientsError)) throw error;
      return sendPage(request, reply, { title: detail.displayName, nav: 'integrations', body: html`<p><a href="${integrationPath(detail.id)}">Back to ${detail.displayName}</a></p>`, notice: { kind: 'error', text: `Not saved: ${error.message}` } }, 400);
    }
    return reply.redirect(`${integrationPath(detail.id)}?done=recipients`, 303);
  });

  app.get<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/delete`, async (request, reply) => deleteConfirmation(deps, request, reply, notFoundPage));

  app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/delete`, async (request, reply) => {
    const report = await deleteIntegrationForGood(deps, request.params.id);
    if (!report) return notFoundPage(request, reply, request.params.id);
    const body = html`<p>${report.displayName} was deleted: ${report.workflowsTerminated.length} workflow(s) stopped, ${report.tokensDeleted ? 'its tokens deleted, ' : ''}${report.routesDeleted} route(s) and ${report.orderRecordsDeleted} order record(s) removed.</p>
<p><a href="${CONSOLE_PREFIX}/integrations">All integrations</a></p>`;
    return sendPage(request, reply, { title: `${report.displayName} deleted`, nav: 'integrations', body, notice: { kind: 'ok', text: `${report.displayName} was deleted.` } });
  });
};

/** The page an action returns to: the one it was pressed on (list or detail), never elsewhere. */
function backTo(request: FastifyRequest): string {
  const back = (request.body as Record<string, unknown> | undefined)?.back;
  return typeof back === 'string' && /^\/console\/integrations(\/[^/?#\s]+)?$/.test(back) ? back : `${CONSOLE_PREFIX}/integrations`;
}

function integrationRow(request: FastifyRequest, row: IntegrationHealthRow, platform: SafeHtml): SafeHtml {
  const page = integrationPath(row.id);
  return html`<tr data-integration="${row.id}">
<th scope="row" data-label="Integration"><a href="${page}">${row.displayName}</a></th>
<td data-label="Platform">${platform}</td>
<td data-label="Health" class="health" data-refresh-url="${page}/health" data-refresh-every="${LIVE_EVERY_MS}">${healthCell(row)}</td>
<td data-label="Alerts to">${row.notifyEmails.length ? row.notifyEmails.join(', ') : html`<span class="muted">nobody</span>`} <a href="${page}#recipients-h" aria-label="Change alert recipients of ${row.displayName}">Change</a></td>
<td data-label="Actions">${actionButtons(request, row, `${CONSOLE_PREFIX}/integrations`)}<div id="check-${row.id}" class="check-results" aria-live="polite"></div></td>
</tr>`;
}

/** Check health (in place, with "Checking…"), Reconnect, Disconnect or Resume, Delete (asks first). */
function actionButtons(request: FastifyRequest, row: Pick<IntegrationHealthRow, 'id' | 'displayName' | 'status'>, back: string): SafeHtml {
  const page = integrationPath(row.id);
  const csrf = csrfField(request);
  const named = (verb: string) => `${verb} ${row.displayName}`;
  const paused = row.status === 'disconnected';
  return html`<div class="actions">
<form method="post" action="${page}/check" data-async data-target="#check-${row.id}" data-busy="Checking…">${csrf}<button type="submit" aria-label="${named('Check health of')}">Check health</button></form>
<form method="post" action="${page}/reconnect">${csrf}<button type="submit" class="${row.status === 'reconnect_required' ? 'primary' : ''}" aria-label="${named('Reconnect')}">Reconnect</button></form>
<form method="post" action="${page}/${paused ? 'resume' : 'pause'}">${csrf}<input type="hidden" name="back" value="${back}"><button type="submit" aria-label="${named(paused ? 'Resume' : 'Disconnect')}">${paused ? 'Resume' : 'Disconnect'}</button></form>
<a class="button danger" href="${page}/delete" aria-label="${named('Delete')}">Delete…</a>
</div>`;
}

async function deleteConfirmation(
  deps: ConsoleDeps,
  request: IdRequest,
  reply: FastifyReply,
  notFoundPage: (request: FastifyRequest, reply: FastifyReply, id: string) => FastifyReply,
): Promise<FastifyReply> {
  const detail = await integrationHealthDetail(deps.db, request.params.id, () => '');
  const removes = detail ? await whatDeletingRemoves(deps.db, detail.id) : null;
  if (!detail || !removes) return notFoundPage(request, reply, request.params.id);
  const body = html`<p>Deleting <strong>${detail.displayName}</strong> is for good. It removes:</p>
<ul>
<li>its health workflow and every order sync still running on its routes (stopped);</li>
<li>${removes.connected ? 'its access tokens (ledgerbridge can no longer reach the account)' : 'its connection settings'};</li>
<li>${removes.routes.length} sync route(s)${removes.routes.length ? html`: ${removes.routes.join(', ')}` : ''}, with their SKU and tax mappings;</li>
<li>${removes.orderRecords} order record(s) (their sync history here; documents already in the ledger stay there);</li>
<li>its status history, check results and sent-alert records.</li>
</ul>
<form method="post" action="${integrationPath(detail.id)}/delete" class="inline">${csrfField(request)}<button type="submit" class="danger">Delete ${detail.displayName} for good</button></form>
<a class="button" href="${integrationPath(detail.id)}">Cancel</a>`;
  return sendPage(request, reply, { title: `Delete ${detail.displayName}?`, nav: 'integrations', body });
}
