import type { FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { integrations } from '../../../db/schema.js';
import { isSyncEntity } from '../../../domain/commerce-entities.js';
import { entityStatusesOf, retryEntity, type EntityStatus } from '../../../runtime/entity-sync-status.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import type { ConsoleDeps } from '../console-deps.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, sendHtml, sendPage, statusBadge, timeText, wantsFragment } from '../layout.js';
import { integrationPath } from './integration-views.js';
import { CONSOLE_PREFIX } from '../console-paths.js';

const LIVE_EVERY_MS = 4000;

/** Whether the integration is a store (the card is a store's); null when there is no such integration. */
async function isStore(deps: ConsoleDeps, integrationId: string): Promise<boolean | null> {
  const [row] = await deps.db.select({ platform: integrations.platform }).from(integrations).where(eq(integrations.id, integrationId));
  return row ? isStorePlatform(deps, row.platform) : null;
}

function isStorePlatform(deps: Pick<ConsoleDeps, 'platforms'>, platform: string): boolean {
  return deps.platforms.roleOf(platform) === 'commerce';
}

/**
 * The store card's per-entity status: one row per entity (Customers, Orders, Products: whatever SYNC_ENTITIES lists),
 * its counts in words, the newest error, and Retry for an entity with anything failed or waiting.
 */
export function entityStatusTable(request: FastifyRequest, integrationId: string, statuses: EntityStatus[]): SafeHtml {
  const count = (n: number, label: string, tone: 'green' | 'grey' | 'red' | 'amber' | 'blue') => (n > 0 ? statusBadge(`${n} ${label}`, tone) : html`<span class="muted">0 ${label}</span>`);
  return html`<table class="rows entities">
<caption class="visually-hidden">Sync status per entity</caption>
<thead><tr><th scope="col">Entity</th><th scope="col">Pending</th><th scope="col">Syncing</th><th scope="col">Synced</th><th scope="col">Waiting</th><th scope="col">Failed</th><th scope="col">Last error</th><th scope="col">Actions</th></tr></thead>
<tbody>${statuses.map((s) => {
    const toRetry = s.counts.failed + s.counts.waiting;
    return html`<tr data-entity="${s.entity}"><th scope="row">${s.label}</th>
<td>${count(s.counts.pending, 'pending', 'grey')}</td><td>${count(s.counts.syncing, 'syncing', 'blue')}</td><td>${count(s.counts.synced, 'synced', 'green')}</td>
<td>${count(s.counts.waiting, 'waiting', 'amber')}</td><td>${count(s.counts.failed, 'failed', 'red')}</td>
<td class="last-error">${s.lastError ? html`${s.lastError.record}: ${s.lastError.message} <span class="when">${timeText(s.lastError.at)}</span>` : html`<span class="muted">none</span>`}</td>
<td>${toRetry > 0 ? html`<form method="post" action="${integrationPath(integrationId)}/entities/${s.entity}/retry" data-async data-target="#entity-retry-result" data-busy="Retrying…">${csrfField(request)}<button type="submit">Retry ${s.label.toLowerCase()}</button></form>` : html`<span class="muted">Nothing to retry</span>`}</td>
</tr>`;
  })}</tbody>
</table>`;
}

/**
 * The card as a store's integration page includes it (nothing for a ledger): rendered with the page, refreshed live,
 * with the place a retry's answer appears.
 */
export async function storeCardSection(deps: Pick<ConsoleDeps, 'platforms' | 'db'>, request: FastifyRequest, integration: { id: string; platform: string }): Promise<SafeHtml> {
  if (!isStorePlatform(deps, integration.platform)) return html``;
  const table = entityStatusTable(request, integration.id, await entityStatusesOf(deps.db, integration.id));
  return html`<section aria-labelledby="store-card-h" class="store-card">
<h2 id="store-card-h">Sync status</h2>
<div data-refresh-url="${integrationPath(integration.id)}/entities" data-refresh-every="${LIVE_EVERY_MS}">${table}</div>
<div id="entity-retry-result" aria-live="polite"></div>
</section>`;
}

/** Routes of the store card: its live fragment and "Retry this entity" (the API's GET and POST .../entities). */
export const storeCardPages: ConsolePagePlugin = (deps) => async (app) => {
  app.get<{ Params: { id: string } }>(`${CONSOLE_PREFIX}/integrations/:id/entities`, async (request, reply) => {
    const store = await isStore(deps, request.params.id);
    if (store === null) return reply.code(404).type('text/plain').send('This integration was deleted.');
    return sendHtml(reply, entityStatusTable(request, request.params.id, await entityStatusesOf(deps.db, request.params.id)));
  });

  app.post<{ Params: { id: string; entity: string } }>(`${CONSOLE_PREFIX}/integrations/:id/entities/:entity/retry`, async (request, reply) => {
    const { id, entity } = request.params;
    const back = html`<p><a href="${integrationPath(id)}">Back to the integration</a></p>`;
    if (!isSyncEntity(entity) || (await isStore(deps, id)) === null) {
      return sendPage(request, reply, { title: 'Nothing to retry', nav: 'integrations', body: html`<p>There is no such integration or entity.</p>${back}` }, 404);
    }
    const { retried, restarted } = await retryEntity(deps.health.client, deps.db, deps.health.taskQueue, id, entity);
    const total = retried + restarted;
    const text = total === 0 ? `No ${entity} were failed or waiting: nothing to retry.` : `Retrying ${total} ${entity === 'customers' ? 'customer' : entity === 'orders' ? 'order' : 'product'}${total === 1 ? '' : 's'} that failed or waited; synced ones are left alone.`;
    const result = html`<p class="notice notice-ok" role="status">${text}</p>`;
    if (wantsFragment(request)) return sendHtml(reply, result);
    return sendPage(request, reply, { title: 'Retry', nav: 'integrations', body: html`${result}${back}` });
  });
};
