import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, asc, count, eq, inArray, like, min, or } from 'drizzle-orm';
import { orderSyncs, refundSyncs, skuMappings, taxMappings } from '../../../db/schema.js';
import { taxCodeSuggestions } from '../../../domain/tax-suggestions.js';
import { saveSkuMapping, saveTaxMapping } from '../../mapping-actions.js';
import { orderSyncWorkflowView } from '../../order-sync-workflow-view.js';
import type { ConsoleDeps } from '../console-deps.js';
import { consoleResumptions } from '../console-resumptions.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, sendPage, timeText, type ConsolePage } from '../layout.js';
import { mappingAnchor } from './order-views.js';
import { ledgerTaxCodesOf } from './ledger-tax-codes.js';
import { routeDirectory, type RouteEntry } from './route-directory.js';

const MAPPINGS_PATH = `${CONSOLE_PREFIX}/mappings`;
/** Waiting SKUs whose suggestions are asked of a running sync, per page view (each is one query to a workflow). */
const SUGGESTED_SKUS = 20;

interface Waiting {
  kind: 'sku' | 'tax';
  key: string;
  orders: number;
  /** Refunds waiting on it (a refund of an unmapped SKU links here as its order does). */
  refunds: number;
  /** One waiting order's workflow: its failure carries the suggestions ('' when only refunds wait). */
  workflowId: string;
}

/**
 * Mappings: the SKUs and taxes orders and refunds wait on, per route, with the ledger items and tax codes that probably
 * match (one click saves), and the mappings saved so far. A save resumes the waiting orders and refunds as the API's PUT does.
 */
export const mappingsPage: ConsolePagePlugin = (deps) => async (app) => {
  const resumptions = consoleResumptions(app, deps);

  app.get(MAPPINGS_PATH, async (request, reply) => mappingsList(deps, request, reply, savedNotice(request)));

  for (const kind of ['sku', 'tax'] as const) {
    app.post(`${MAPPINGS_PATH}/${kind}`, async (request, reply) => {
      const body = request.body as Record<string, string | string[] | undefined>;
      const field = (name: string) => {
        const value = body[name];
        return (Array.isArray(value) ? value.at(-1) : value)?.trim() ?? '';
      };
      const routeId = field('routeId');
      const key = field('key');
      const target = field('target');
      const directory = await routeDirectory(deps.db, deps.platforms);
      if (!directory.routes.has(routeId) || !key || !target || key.length > 500 || target.length > 200) {
        return mappingsList(deps, request, reply, { kind: 'error', text: `Not saved: choose a ledger ${kind === 'sku' ? 'item' : 'tax code'} for the ${kind === 'sku' ? 'SKU' : 'tax'}.` }, 400);
      }
      const { resumed } = kind === 'sku' ? await saveSkuMapping(deps.db, resumptions, routeId, key, target) : await saveTaxMapping(deps.db, resumptions, routeId, key, target);
      request.log.info({ routeId, kind, key, target, resumed }, 'mapping saved in the console');
      const query = new URLSearchParams({ route: routeId, saved: kind, key, resumed: String(resumed) });
      return reply.redirect(`${MAPPINGS_PATH}?${query}`, 303);
    });
  }
};

function savedNotice(request: FastifyRequest): ConsolePage['notice'] {
  const query = request.query as Record<string, unknown>;
  if ((query.saved !== 'sku' && query.saved !== 'tax') || typeof query.key !== 'string') return null;
  const resumed = Number(query.resumed);
  const what = query.saved === 'sku' ? `SKU ${query.key}` : `tax ${query.key}`;
  const orders =
    Number.isInteger(resumed) && resumed > 0 ? `${resumed} waiting ${resumed === 1 ? 'order or refund resumes' : 'orders and refunds resume'} now.` : 'No order or refund was waiting on it.';
  return { kind: 'ok', text: `Saved the mapping of ${what}. ${orders}` };
}

async function mappingsList(deps: ConsoleDeps, request: FastifyRequest, reply: FastifyReply, notice: ConsolePage['notice'], status = 200): Promise<FastifyReply> {
  const directory = await routeDirectory(deps.db, deps.platforms);
  const wanted = (request.query as Record<string, unknown>).route;
  const routes = [...directory.routes.values()].filter((route) => typeof wanted !== 'string' || wanted === '' || route.id === wanted);
  const sections = await Promise.all(routes.map((route) => routeSection(deps, request, route)));
  const body = routes.length === 0 ? html`<p>No sync routes yet.</p>` : html`${sections}`;
  return sendPage(request, reply, { title: 'Mappings', nav: 'mappings', lead: 'Which ledger item each shop SKU books to, and which tax code each tax. Orders and refunds waiting on one resume when it is saved.', body, notice }, status);
}

async function routeSection(deps: ConsoleDeps, request: FastifyRequest, route: RouteEntry): Promise<SafeHtml> {
  const [waiting, skus, taxes] = await Promise.all([
    waitingKeys(deps, route.id),
    deps.db.select().from(skuMappings).where(eq(skuMappings.routeId, route.id)).orderBy(asc(skuMappings.sku)),
    deps.db.select().from(taxMappings).where(eq(taxMappings.routeId, route.id)).orderBy(asc(taxMappings.taxKey)),
  ]);
  const waitingTaxes = waiting.filter((w) => w.kind === 'tax');
  const [suggestions, taxCodes] = await Promise.all([
    suggestionsFor(deps, waiting.filter((w) => w.kind === 'sku').slice(0, SUGGESTED_SKUS)),
    waitingTaxes.length ? ledgerTaxCodesOf(deps, route.id, request.log) : null,
  ]);
  for (const tax of waitingTaxes) {
    const codes = taxCodeSuggestions(tax.key, taxCodes ?? []);
    suggestions.set(`tax:${tax.key}`, codes.map((code) => ({ value: code.id, name: code.name, note: `${code.ratePercent} %` })));
  }
  const headingId = `route-${route.id}`;
  return html`<section aria-labelledby="${headingId}" data-route="${route.id}">
<h2 id="${headingId}">${route.label}</h2>
${
  waiting.length === 0
    ? html`<p class="muted">No order or refund waits on a mapping.</p>`
    : html`<table class="rows waiting">
<caption>Waiting on a mapping</caption>
<thead><tr><th scope="col">SKU or tax</th><th scope="col">Waiting</th><th scope="col">Map it to</th></tr></thead>
<tbody>${waiting.map((w) => waitingRow(request, route, w, suggestions.get(`${w.kind}:${w.key}`) ?? []))}</tbody>
</table>`
}
<h3>Saved mappings</h3>
${
  skus.length + taxes.length === 0
    ? html`<p class="muted">None yet.</p>`
    : html`<table class="rows saved">
<thead><tr><th scope="col">SKU or tax</th><th scope="col">Ledger item or tax code</th><th scope="col">Saved</th></tr></thead>
<tbody>${skus.map((m) => html`<tr><th scope="row" data-label="SKU or tax">SKU ${m.sku}</th><td data-label="Ledger item or tax code">${m.ledgerItemId}</td><td data-label="Saved">${timeText(m.createdAt)}</td></tr>`)}${taxes.map(
        (m) => html`<tr><th scope="row" data-label="SKU or tax">Tax ${m.taxKey}</th><td data-label="Ledger item or tax code">${m.ledgerTaxCodeId}</td><td data-label="Saved">${timeText(m.createdAt)}</td></tr>`,
      )}</tbody>
</table>`
}
</section>`;
}

/** A ledger item or tax code offered for a waiting SKU or tax: one click saves it. */
interface Candidate {
  value: string;
  name: string;
  /** Beside the name: the item's SKU, the code's rate. */
  note: string | null;
}

function waitingRow(request: FastifyRequest, route: RouteEntry, waiting: Waiting, candidates: Candidate[]): SafeHtml {
  const csrf = csrfField(request);
  const action = `${MAPPINGS_PATH}/${waiting.kind}`;
  const hidden = html`${csrf}<input type="hidden" name="routeId" value="${route.id}"><input type="hidden" name="key" value="${waiting.key}">`;
  const label = waiting.kind === 'sku' ? `SKU ${waiting.key}` : `Tax ${waiting.key}`;
  const inputId = `${mappingAnchor(waiting.kind, waiting.key)}-${route.id}-target`;
  return html`<tr id="${mappingAnchor(waiting.kind, waiting.key)}" data-key="${waiting.kind}:${waiting.key}">
<th scope="row" data-label="SKU or tax">${label}</th>
<td data-label="Waiting">${waitingCounts(route, waiting)}</td>
<td data-label="Map it to">
${candidates.length ? html`<form method="post" action="${action}" class="suggestions">${hidden}<span class="hint">Probably:</span> ${candidates.map(
    (c) => html`<button type="submit" name="target" value="${c.value}" class="primary" aria-label="Map ${label} to ${c.name}">${c.name}${c.note ? ` (${c.note})` : ''}</button> `,
  )}</form>` : ''}
<form method="post" action="${action}" class="inline other">${hidden}<label for="${inputId}">${waiting.kind === 'sku' ? 'Ledger item id' : 'Ledger tax code id'}</label><input type="text" id="${inputId}" name="target" required maxlength="200"> <button type="submit" aria-label="Save the mapping of ${label}">Save</button></form>
</td>
</tr>`;
}

/** "2 orders (see them), 1 refund (see it)": what a saved mapping resumes, each with a link to the orders list. */
function waitingCounts(route: RouteEntry, waiting: Waiting): SafeHtml {
  const orders = `${CONSOLE_PREFIX}/routes/${encodeURIComponent(route.id)}/orders`;
  const parts: SafeHtml[] = [];
  if (waiting.orders > 0) parts.push(html`<span class="waiting-count">${waiting.orders}</span> order${waiting.orders === 1 ? '' : 's'} <a href="${orders}?state=waiting">see ${waiting.orders === 1 ? 'it' : 'them'}</a>`);
  if (waiting.refunds > 0) parts.push(html`<span class="waiting-refunds">${waiting.refunds}</span> refund${waiting.refunds === 1 ? '' : 's'} <a href="${orders}?refund=waiting">see ${waiting.refunds === 1 ? 'it' : 'them'}</a>`);
  return html`${parts.map((part, i) => (i === 0 ? part : html`, ${part}`))}`;
}

/** SKUs and taxes the route's parked orders and refunds wait on, with how many of each every one holds back. */
async function waitingKeys(deps: ConsoleDeps, routeId: string): Promise<Waiting[]> {
  const onMapping = (column: typeof orderSyncs.waitingOn | typeof refundSyncs.waitingOn) => or(like(column, 'sku:%'), like(column, 'tax:%'));
  const [orderRows, refundRows] = await Promise.all([
    deps.db
      .select({ waitingOn: orderSyncs.waitingOn, n: count(), workflowId: min(orderSyncs.workflowId) })
      .from(orderSyncs)
      .where(and(eq(orderSyncs.routeId, routeId), inArray(orderSyncs.status, ['waiting', 'failed']), onMapping(orderSyncs.waitingOn)))
      .groupBy(orderSyncs.waitingOn),
    deps.db
      .select({ waitingOn: refundSyncs.waitingOn, n: count() })
      .from(refundSyncs)
      .where(and(eq(refundSyncs.routeId, routeId), inArray(refundSyncs.status, ['waiting', 'failed']), onMapping(refundSyncs.waitingOn)))
      .groupBy(refundSyncs.waitingOn),
  ]);
  const byKey = new Map<string, Waiting>();
  const entry = (waitingOn: string) =>
    byKey.get(waitingOn) ??
    byKey.set(waitingOn, { kind: waitingOn.startsWith('sku:') ? 'sku' : 'tax', key: waitingOn.slice(4), orders: 0, refunds: 0, workflowId: '' }).get(waitingOn)!;
  for (const row of orderRows) Object.assign(entry(row.waitingOn!), { orders: row.n, workflowId: row.workflowId ?? '' });
  for (const row of refundRows) entry(row.waitingOn!).refunds = row.n;
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

/** Near matches among the ledger's items, as the waiting order's sync found them (domain/sku-suggestions.ts), by "sku:<SKU>". */
async function suggestionsFor(deps: ConsoleDeps, waiting: Waiting[]): Promise<Map<string, Candidate[]>> {
  const found = new Map<string, Candidate[]>();
  await Promise.all(
    waiting.map(async (w) => {
      if (!w.workflowId) return;
      const view = await orderSyncWorkflowView(deps.health.client, w.workflowId).catch(() => null);
      const suggestion = view?.live?.lastError?.suggestions.find((s) => s.sku === w.key);
      if (suggestion) found.set(`sku:${w.key}`, suggestion.candidates.map((c) => ({ value: c.itemId, name: c.name, note: c.sku })));
    }),
  );
  return found;
}
