import type { FastifyReply, FastifyRequest } from 'fastify';
import { and, desc, eq } from 'drizzle-orm';
import { payoutSyncs } from '../../../db/schema.js';
import { payoutRetrySignal } from '../../../workflows/payout-sync.js';
import type { ConsoleDeps } from '../console-deps.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html } from '../html.js';
import { csrfField, sendPage, statusBadge, timeText } from '../layout.js';
import { routeDirectory } from './route-directory.js';
import { moneyText } from './money-text.js';

const PAGE_SIZE = 200;

/** Each payout status as a bookkeeper reads it: the word, its colour, and whether a Retry helps. */
const PAYOUT_LOOK: Record<string, { label: string; tone: 'green' | 'grey' | 'red' | 'amber' | 'blue'; retry: boolean }> = {
  pending: { label: 'Pending', tone: 'grey', retry: false },
  syncing: { label: 'Syncing', tone: 'blue', retry: false },
  waiting_for_orders: { label: 'Waiting for its orders', tone: 'amber', retry: true },
  waiting_for_payout: { label: 'Not paid yet', tone: 'grey', retry: true },
  waiting: { label: 'Waiting', tone: 'amber', retry: true },
  failed: { label: 'Failed', tone: 'red', retry: true },
  halted: { label: 'Halted (route stopped)', tone: 'red', retry: true },
  synced: { label: 'Deposited', tone: 'green', retry: false },
  skipped: { label: 'Skipped', tone: 'grey', retry: false },
};

/**
 * Payouts: each payout of every route (or one route's, at the API's path /routes/:routeId/payouts), with its deposit,
 * what it waits for in a bookkeeper's words, and a Retry button once the cause is fixed.
 */
export const payoutsPage: ConsolePagePlugin = (deps) => async (app) => {
  app.get(`${CONSOLE_PREFIX}/payouts`, async (request, reply) => payoutsList(deps, request, reply, null));
  app.get<{ Params: { routeId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/payouts`, async (request, reply) => payoutsList(deps, request, reply, request.params.routeId));
  app.post<{ Params: { routeId: string; payoutId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/payouts/:payoutId/retry`, async (request, reply) => {
    const [row] = await deps.db.select().from(payoutSyncs).where(and(eq(payoutSyncs.routeId, request.params.routeId), eq(payoutSyncs.payoutId, request.params.payoutId)));
    if (row && PAYOUT_LOOK[row.status]?.retry) await deps.health.client.workflow.getHandle(row.workflowId).signal(payoutRetrySignal).catch(() => undefined);
    return reply.redirect(`${CONSOLE_PREFIX}/routes/${encodeURIComponent(request.params.routeId)}/payouts`, 303);
  });
};

async function payoutsList(deps: ConsoleDeps, request: FastifyRequest, reply: FastifyReply, routeId: string | null): Promise<FastifyReply> {
  const directory = await routeDirectory(deps.db, deps.platforms);
  if (routeId && !directory.routes.has(routeId)) {
    return sendPage(request, reply, { title: 'Route not found', nav: 'payouts', body: html`<p>There is no sync route “${routeId}”. <a href="${CONSOLE_PREFIX}/payouts">All payouts</a></p>` }, 404);
  }
  const rows = await deps.db
    .select()
    .from(payoutSyncs)
    .where(routeId ? eq(payoutSyncs.routeId, routeId) : undefined)
    .orderBy(desc(payoutSyncs.updatedAt), payoutSyncs.payoutId)
    .limit(PAGE_SIZE);
  const route = routeId ? directory.routes.get(routeId) : undefined;
  const body =
    rows.length === 0
      ? html`<p>No payouts yet. Payouts are looked for when <code>POST /routes/&lt;route&gt;/payouts/poll</code> runs (daily, or by hand).</p>`
      : html`<table class="rows payouts">
<caption class="visually-hidden">Payouts and their deposits</caption>
<thead><tr><th scope="col">Payout</th>${routeId ? '' : html`<th scope="col">Route</th>`}<th scope="col">Status</th><th scope="col">Net</th><th scope="col">What happened · next step</th><th scope="col">Deposit</th><th scope="col">Updated</th></tr></thead>
<tbody>${rows.map((row) => {
          const look = PAYOUT_LOOK[row.status] ?? { label: row.status, tone: 'grey' as const, retry: false };
          const retry = look.retry
            ? html`<form method="post" action="${CONSOLE_PREFIX}/routes/${encodeURIComponent(row.routeId)}/payouts/${encodeURIComponent(row.payoutId)}/retry">${csrfField(request)}<button type="submit">Retry</button></form>`
            : '';
          return html`<tr data-payout="${row.payoutId}">
<th scope="row" data-label="Payout">${row.payoutId}${row.issuedAt ? html`<br><span class="muted">${timeText(row.issuedAt)}</span>` : ''}</th>
${routeId ? '' : html`<td data-label="Route">${directory.routes.get(row.routeId)?.label ?? row.routeId}</td>`}
<td data-label="Status">${statusBadge(look.label, look.tone)}</td>
<td data-label="Net">${row.net ? moneyText(row.net, row.currency) : ''}</td>
<td data-label="What happened · next step">${row.lastErrorMessage ?? ''}${retry}</td>
<td data-label="Deposit">${row.ledgerDocNumber ?? ''}</td>
<td data-label="Updated">${timeText(row.updatedAt)}</td>
</tr>`;
        })}</tbody>
</table>`;
  return sendPage(request, reply, {
    title: route ? `Payouts: ${route.label}` : 'Payouts',
    nav: 'payouts',
    lead: 'Each payout of the payment provider, deposited once from the clearing account into the bank: net of fees, refunds and adjustments.',
    body,
  });
}
