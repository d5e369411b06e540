import type { FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { integrations, syncRoutes } from '../../../db/schema.js';
import { ENTITY_KINDS, routeSyncSettingsOf, type EntityKind } from '../../../domain/route-sync-settings.js';
import { cancelFullResync, readFullResync, ResyncRunningError, startFullResync, type FullResyncView } from '../../../runtime/full-resync-starter.js';
import { DEFAULT_RESYNC_PER_SECOND } from '../../../workflows/full-resync.js';
import { saveRouteSyncSettings } from '../../route-sync-settings-routes.js';
import type { ConsoleDeps } from '../console-deps.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, sendHtml, sendPage, statusBadge, timeText } from '../layout.js';
import { integrationPath } from './integration-views.js';

const LIVE_EVERY_MS = 1500;
const kindLabels: Record<EntityKind, string> = { orders: 'Orders', customers: 'Customers', products: 'Products' };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A store's page, two more sections: "Full re-sync" (a button, then a live progress bar and the summary) and each
 * route's "Sync settings" form. Both call what the API routes call (runtime/full-resync-starter.ts,
 * api/route-sync-settings-routes.ts).
 */
export async function storeSyncSections(deps: ConsoleDeps, request: FastifyRequest, integrationId: string): Promise<SafeHtml> {
  const routes = await deps.db.select().from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, integrationId)).orderBy(syncRoutes.id);
  const names = new Map((await deps.db.select({ id: integrations.id, name: integrations.displayName }).from(integrations)).map((row) => [row.id, row.name]));
  const resync = await readFullResync(deps.health.client, integrationId).catch(() => null);
  const page = integrationPath(integrationId);
  const csrf = csrfField(request);
  const routeLabel = (route: (typeof routes)[number]) => `→ ${names.get(route.targetIntegrationId) ?? route.targetIntegrationId}`;
  return html`<section aria-labelledby="resync-h">
<h2 id="resync-h">Full re-sync</h2>
<p class="muted">Walks the store's order history and books what is missing. Orders already booked are counted and left alone, so running it again books nothing twice.</p>
<div id="resync-progress" aria-live="polite" data-refresh-url="${page}/resync/progress" data-refresh-every="${LIVE_EVERY_MS}">${resyncProgressView(resync, request, page)}</div>
${
  routes.length === 0
    ? html`<p>No sync route reads from this store yet.</p>`
    : html`<form method="post" action="${page}/resync" class="stack">${csrf}
<label for="resync-route">Route</label>
<select id="resync-route" name="routeId"><option value="">Every route of this store</option>${routes.map((route) => html`<option value="${route.id}">${routeLabel(route)}</option>`)}</select>
<label for="resync-from">Only orders placed from (optional)</label>
<input type="date" id="resync-from" name="from">
<button type="submit" class="primary">Full re-sync</button>
</form>`
}
</section>
<section aria-labelledby="settings-h">
<h2 id="settings-h">Sync settings</h2>
<p class="muted">A change applies to what the store sends from now on; run a full re-sync to apply it to the history.</p>
${routes.map((route) => {
  const settings = routeSyncSettingsOf(route);
  return html`<form method="post" action="${CONSOLE_PREFIX}/routes/${encodeURIComponent(route.id)}/sync-settings" class="stack sync-settings" data-route="${route.id}">${csrf}
<fieldset><legend>Route ${routeLabel(route)}: what is synced</legend>
${ENTITY_KINDS.map((kind) => html`<label><input type="checkbox" name="entities" value="${kind}"${settings.entities[kind] ? html` checked` : ''}> ${kindLabels[kind]}</label>`)}
</fieldset>
<label for="orders-from-${route.id}">Book orders placed from (empty: every order)</label>
<input type="date" id="orders-from-${route.id}" name="ordersFrom" value="${settings.ordersFrom?.slice(0, 10) ?? ''}">
<button type="submit">Save sync settings</button>
</form>`;
})}
</section>`;
}

/** State, a bar of done / total, the counts in words, the rate; a Cancel button while it runs. */
function resyncProgressView(view: FullResyncView | null, request: FastifyRequest, page: string): SafeHtml {
  if (!view) return html`<p class="muted">Never re-synced.</p>`;
  const running = view.state === 'running';
  const badge = { running: statusBadge('Re-syncing', 'blue'), finished: statusBadge('Finished', 'green'), cancelled: statusBadge('Cancelled', 'grey'), failed: statusBadge('Stopped', 'red') }[view.state];
  const bar =
    view.total === null
      ? html`<progress id="resync-bar"${running ? '' : html` value="1" max="1"`}>${view.done} checked</progress>`
      : html`<progress id="resync-bar" value="${view.done}" max="${Math.max(view.total, 1)}">${view.done} / ${view.total}</progress>`;
  return html`<p>${badge} started ${timeText(view.startedAt)}${view.endedAt ? html`, ended ${timeText(view.endedAt)}` : ''}</p>
<label for="resync-bar">Orders checked</label>
${bar}
<p class="progress-words" data-testid="resync-words"><strong>${view.done}${view.total === null ? '' : ` / ${view.total}`}</strong> checked · ${view.ratePerSecond.toFixed(1)} a second</p>
<p data-testid="resync-summary">${view.summary}</p>
${running ? html`<form method="post" action="${page}/resync/cancel" class="inline">${csrfField(request)}<button type="submit" class="danger">Cancel re-sync</button></form>` : ''}`;
}

/** The routes of the section: start, progress fragment, cancel, save a route's settings. */
export const storeSyncPages: ConsolePagePlugin = (deps) => async (app) => {
  const back = (reply: FastifyReply, integrationId: string, done: string) => reply.redirect(`${integrationPath(integrationId)}?done=${done}`, 303);
  const problem = (request: FastifyRequest, reply: FastifyReply, integrationId: string, text: string, status: number) =>
    sendPage(request, reply, { title: 'Full re-sync', nav: 'integrations', body: html`<p><a href="${integrationPath(integrationId)}">Back</a></p>`, notice: { kind: 'error', text } }, status);

  app.get<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/resync/progress`, async (request, reply) => {
    const view = await readFullResync(deps.health.client, request.params.id);
    return sendHtml(reply, resyncProgressView(view, request, integrationPath(request.params.id)));
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/resync`, async (request, reply) => {
    const { id } = request.params;
    const body = (request.body ?? {}) as Record<string, string | undefined>;
    const routeId = body.routeId || null;
    const [route] = routeId ? await deps.db.select({ source: syncRoutes.sourceIntegrationId }).from(syncRoutes).where(eq(syncRoutes.id, routeId)) : [{ source: id }];
    if (route?.source !== id) return problem(request, reply, id, 'Choose a route of this store.', 400);
    const from = body.from && DAY.test(body.from) ? new Date(`${body.from}T00:00:00Z`).toISOString() : null;
    try {
      await startFullResync({ client: deps.health.client, taskQueue: deps.health.taskQueue }, { integrationId: id, routeId, from, perSecond: deps.resyncPerSecond ?? DEFAULT_RESYNC_PER_SECOND });
    } catch (error) {
      if (error instanceof ResyncRunningError) return problem(request, reply, id, error.message, 409);
      throw error;
    }
    request.log.info({ integrationId: id, routeId, from }, 'full re-sync started in the console');
    return back(reply, id, 'resync');
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/resync/cancel`, async (request, reply) => {
    await cancelFullResync(deps.health.client, request.params.id);
    return back(reply, request.params.id, 'resync-cancel');
  });

  app.post<{ Params: { routeId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/sync-settings`, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string | string[] | undefined>;
    const checked = new Set([body.entities ?? []].flat());
    const ordersFrom = typeof body.ordersFrom === 'string' && DAY.test(body.ordersFrom) ? body.ordersFrom : null;
    const [route] = await deps.db.select({ source: syncRoutes.sourceIntegrationId }).from(syncRoutes).where(eq(syncRoutes.id, request.params.routeId));
    if (!route) return sendPage(request, reply, { title: 'Route not found', nav: 'integrations', body: html`<p>There is no route ${request.params.routeId}.</p>` }, 404);
    await saveRouteSyncSettings(deps.db, request.params.routeId, { entities: Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, checked.has(kind)])), ordersFrom });
    return back(reply, route.source, 'settings');
  });
};
