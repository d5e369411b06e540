import { and, desc, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { activeRouteHalt } from '../../../db/route-halts.js';
import { reconciliationAudits } from '../../../db/schema.js';
import type { AuditReport } from '../../../domain/reconciliation-report.js';
import { BackgroundResumptions, DEFAULT_RESUME_RATE_PER_SECOND } from '../../background-resumptions.js';
import { releaseAndResume } from '../../route-release.js';
import { auditRangeProblem, startReconciliationAudit } from '../../../runtime/reconciliation-audit-starter.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { consoleSessionOf } from '../console-session-hook.js';
import { html } from '../html.js';
import { csrfField, sendPage, statusBadge, timeText } from '../layout.js';
import { routeDirectory } from './route-directory.js';

const auditsPath = (routeId: string) => `${CONSOLE_PREFIX}/routes/${encodeURIComponent(routeId)}/audits`;

const KIND_LABELS: Record<string, string> = {
  missing_in_ledger: 'Missing in the ledger',
  document_without_order: 'Document with no order',
  duplicate_document: 'Duplicate',
  amount_mismatch: 'Amount differs',
  payout_missing_in_ledger: 'Payout not deposited',
  deposit_without_payout: 'Deposit with no payout',
  payout_amount_mismatch: 'Payout amount differs',
  // Reports written before payouts were compared.
  payout_unmatched: 'Payout not matched',
};

/**
 * A route's audits and its hard stop (/console/routes/:routeId/audits, the page the halt email links to): whether
 * the route is posting, the Release button when it is not, the audits with their reports, and a form to run one.
 */
export const auditsPage: ConsolePagePlugin = (deps) => async (app) => {
  const resumptions = new BackgroundResumptions(deps.health.client, deps.db, deps.health.taskQueue, deps.resumeRatePerSecond ?? DEFAULT_RESUME_RATE_PER_SECOND, app.log);
  app.addHook('onClose', async () => resumptions.idle());

  const routeOr404 = async (request: FastifyRequest, reply: FastifyReply, routeId: string) => {
    const route = (await routeDirectory(deps.db, deps.platforms)).routes.get(routeId);
    if (!route) sendPage(request, reply, { title: 'Route not found', nav: 'orders', body: html`<p>There is no sync route “${routeId}”.</p>` }, 404);
    return route;
  };

  app.get<{ Params: { routeId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/audits`, async (request, reply) => {
    const { routeId } = request.params;
    const route = await routeOr404(request, reply, routeId);
    if (!route) return reply;
    const [halt, audits] = await Promise.all([
      activeRouteHalt(deps.db, routeId),
      deps.db.select().from(reconciliationAudits).where(eq(reconciliationAudits.routeId, routeId)).orderBy(desc(reconciliationAudits.startedAt)).limit(50),
    ]);
    const done = (request.query as Record<string, unknown>).done;
    const today = new Date().toISOString().slice(0, 10);
    const body = html`<section class="halt" data-testid="halt">
${
  halt
    ? html`<p>${statusBadge('Halted: posting stopped', 'red')} since ${timeText(halt.haltedAt)}</p>
<p>${halt.message}</p>
<form method="post" action="${auditsPath(routeId)}/release">${csrfField(request)}<button type="submit" class="danger">Release the route</button></form>
<p class="muted">Release only once the cause is fixed in ${route.ledgerName}: halted orders are then booked, once each.</p>`
    : html`<p>${statusBadge('Posting', 'green')} Nothing stops this route.</p>`
}
</section>
<h2>Audits</h2>
<form method="post" action="${auditsPath(routeId)}">${csrfField(request)}
<label>From <input type="date" name="from" value="${today}" required></label>
<label>To <input type="date" name="to" value="${today}" required></label>
<button type="submit" class="primary">Run an audit</button></form>
<table class="rows"><thead><tr><th>Range</th><th>Status</th><th>Found</th><th>Started</th></tr></thead><tbody>
${audits.map((audit) => {
  const found = audit.summary ? Object.entries(audit.summary).filter(([, n]) => n > 0).map(([kind, n]) => `${KIND_LABELS[kind] ?? kind}: ${n}`).join(', ') || 'nothing to fix' : '';
  return html`<tr><td data-label="Range"><a href="${auditsPath(routeId)}/${encodeURIComponent(audit.id)}">${audit.dateFrom} – ${audit.dateTo}</a> (${audit.trigger === 'daily' ? 'daily' : 'on demand'})</td>
<td data-label="Status">${statusBadge(audit.status, audit.status === 'done' ? 'green' : audit.status === 'failed' ? 'red' : 'blue')}</td>
<td data-label="Found">${found}${audit.error ?? ''}</td><td data-label="Started">${timeText(audit.startedAt)}</td></tr>`;
})}
</tbody></table>`;
    return sendPage(request, reply, {
      title: 'Audits and posting',
      nav: 'orders',
      lead: route.label,
      body,
      notice: done === 'released' ? { kind: 'ok', text: 'Released: posting resumed; halted orders are being booked.' } : done === 'started' ? { kind: 'ok', text: 'The audit is running; its report appears below.' } : null,
    });
  });

  app.get<{ Params: { routeId: string; auditId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/audits/:auditId`, async (request, reply) => {
    const { routeId, auditId } = request.params;
    const route = await routeOr404(request, reply, routeId);
    if (!route) return reply;
    const [audit] = await deps.db.select().from(reconciliationAudits).where(and(eq(reconciliationAudits.routeId, routeId), eq(reconciliationAudits.id, auditId)));
    if (!audit) return sendPage(request, reply, { title: 'Audit not found', nav: 'orders', body: html`<p><a href="${auditsPath(routeId)}">All audits of this route</a></p>` }, 404);
    const report = audit.report as AuditReport | null;
    const body = report
      ? html`<p>${report.storeOrders} orders in the shop, ${report.ledgerDocuments} documents in ${report.ledgerName}. ${report.payouts.note}</p>
<h2>What to do</h2>${report.fixes.length ? html`<ol>${report.fixes.map((fix) => html`<li>${fix}</li>`)}</ol>` : html`<p>Nothing: shop and ledger agree.</p>`}
<table class="rows"><thead><tr><th>Kind</th><th>Order or payout</th><th>What is wrong</th><th>Fix</th></tr></thead><tbody>
${report.lines.map((line) => html`<tr><td data-label="Kind">${KIND_LABELS[line.kind] ?? line.kind}</td><td data-label="Order or payout">${line.orderName ?? line.orderId ?? (line.payoutId ? `payout ${line.payoutId}` : '')}</td><td data-label="What is wrong">${line.message}</td><td data-label="Fix">${line.fix}</td></tr>`)}
</tbody></table>`
      : html`<p>${audit.status === 'failed' ? audit.error : 'Running…'}</p>`;
    return sendPage(request, reply, { title: `Audit ${audit.dateFrom} – ${audit.dateTo}`, nav: 'orders', lead: route.label, body });
  });

  app.post<{ Params: { routeId: string }; Body: Record<string, string> }>(`${CONSOLE_PREFIX}/routes/:routeId/audits`, async (request, reply) => {
    const { routeId } = request.params;
    const { from, to } = request.body ?? {};
    const problem = typeof from === 'string' && typeof to === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) ? auditRangeProblem(from, to) : 'Give both days as YYYY-MM-DD.';
    if (problem || !(await routeOr404(request, reply, routeId))) {
      if (reply.sent) return reply;
      return sendPage(request, reply, { title: 'Audit not started', nav: 'orders', body: html`<p>${problem}</p><p><a href="${auditsPath(routeId)}">Back</a></p>` }, 400);
    }
    await startReconciliationAudit(
      { db: deps.db, temporal: deps.health.client, taskQueue: deps.health.taskQueue, warn: (message, error) => request.log.warn({ err: error, routeId }, message) },
      routeId,
      { from: from!, to: to! },
    );
    return reply.redirect(`${auditsPath(routeId)}?done=started`, 303);
  });

  app.post<{ Params: { routeId: string } }>(`${CONSOLE_PREFIX}/routes/:routeId/audits/release`, async (request, reply) => {
    const { routeId } = request.params;
    if (!(await routeOr404(request, reply, routeId))) return reply;
    await releaseAndResume(deps.db, deps.health.client, resumptions, routeId, consoleSessionOf(request).email);
    return reply.redirect(`${auditsPath(routeId)}?done=released`, 303);
  });
};
