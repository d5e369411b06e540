import type { FastifyReply, FastifyRequest } from 'fastify';
import { count, inArray } from 'drizzle-orm';
import { orderSyncs } from '../../../db/schema.js';
import { RESUME_ID_PREFIX } from '../../background-resumptions.js';
import type { ConsoleDeps } from '../console-deps.js';
import { consoleResumptions } from '../console-resumptions.js';
import type { ConsolePagePlugin } from '../console-plugin.js';
import { CONSOLE_PREFIX } from '../console-paths.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField, sendHtml, sendPage, statusBadge, timeText, type ConsolePage } from '../layout.js';
import { routeDirectory } from './route-directory.js';

const REPLAY_PATH = `${CONSOLE_PREFIX}/replay`;
const LIVE_EVERY_MS = 1500;
const RECENT_REPLAYS = 10;
const WAITING_FOR = ['reconnect', 'fix', 'retry'] as const;
type WaitingFor = (typeof WAITING_FOR)[number];
const waitingForWords: Record<WaitingFor, string> = { reconnect: 'a reconnect', fix: 'a fix', retry: 'a retry' };
const replayPath = (resumeId: string) => `${REPLAY_PATH}/${encodeURIComponent(resumeId)}`;

interface ReplayState {
  total: number;
  done: number;
  failed: number;
  finished: boolean;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * Replay: resume a route's backlog of parked orders. It runs as the API's durable bulk replay
 * (parkedOrderResumeWorkflow), so its page can be left and opened again: progress comes from the workflow.
 */
export const replayPage: ConsolePagePlugin = (deps) => async (app) => {
  const resumptions = consoleResumptions(app, deps);

  app.get(REPLAY_PATH, async (request, reply) => replayOverview(deps, request, reply, nothingNotice(request)));

  app.post(REPLAY_PATH, async (request, reply) => {
    const body = request.body as Record<string, string | undefined>;
    const routeId = typeof body.routeId === 'string' ? body.routeId : '';
    const waitingFor = WAITING_FOR.find((w) => w === body.waitingFor);
    if (!(await routeDirectory(deps.db, deps.platforms)).routes.has(routeId)) {
      return replayOverview(deps, request, reply, { kind: 'error', text: 'Choose a route to replay.' }, 400);
    }
    const { queued, resumeId } = await resumptions.replay(routeId, waitingFor, 'replay from the console');
    request.log.info({ routeId, waitingFor, queued, resumeId }, 'replay started in the console');
    return reply.redirect(resumeId ? replayPath(resumeId) : `${REPLAY_PATH}?done=nothing`, 303);
  });

  app.get<{ Params: { resumeId: string } }>(`${REPLAY_PATH}/:resumeId`, async (request, reply) => {
    const state = await replayState(deps, request.params.resumeId);
    if (!state) return sendPage(request, reply, { title: 'Replay not found', nav: 'replay', body: html`<p>There is no replay ${request.params.resumeId}. <a href="${REPLAY_PATH}">Replay</a></p>` }, 404);
    const body = html`<div class="replay-progress" aria-live="polite" data-refresh-url="${replayPath(request.params.resumeId)}/progress" data-refresh-every="${LIVE_EVERY_MS}">${progressView(state)}</div>
<p class="muted">You can leave this page: the replay goes on, and this page shows where it is when you come back.</p>
<p><a href="${REPLAY_PATH}">All replays</a> · <a href="${CONSOLE_PREFIX}/orders">Orders</a></p>`;
    return sendPage(request, reply, { title: 'Replay', nav: 'replay', lead: html`Started ${timeText(state.startedAt)}`, body });
  });

  app.get<{ Params: { resumeId: string } }>(`${REPLAY_PATH}/:resumeId/progress`, async (request, reply) => {
    const state = await replayState(deps, request.params.resumeId);
    if (!state) return reply.code(404).type('text/plain').send('This replay is unknown.');
    return sendHtml(reply, progressView(state));
  });

  async function replayState(deps: ConsoleDeps, resumeId: string): Promise<ReplayState | null> {
    if (!/^[^/\s]{1,200}$/.test(resumeId)) return null;
    const progress = await resumptions.progress(resumeId);
    if (!progress) return null;
    const description = await deps.health.client.workflow.getHandle(`${RESUME_ID_PREFIX}${resumeId}`).describe();
    return { ...progress, startedAt: description.startTime, endedAt: description.closeTime ?? null };
  }
};

/** done / total as a bar and in words, with the rate. */
function progressView(state: ReplayState): SafeHtml {
  const seconds = Math.max(((state.endedAt ?? new Date()).getTime() - state.startedAt.getTime()) / 1000, 0.001);
  const rate = state.done / seconds;
  const percent = state.total === 0 ? 100 : Math.floor((state.done / state.total) * 100);
  return html`<p>${state.finished ? statusBadge('Finished', 'green') : statusBadge('Resuming', 'blue')}</p>
<label for="replay-bar">Orders resumed</label>
<progress id="replay-bar" value="${state.done}" max="${Math.max(state.total, 1)}">${percent} %</progress>
<p class="progress-words" data-testid="replay-words"><strong>${state.done} / ${state.total}</strong> orders resumed (${percent} %)${state.failed ? `, ${state.failed} could not be (their sync had ended)` : ''} · ${rate.toFixed(1)} orders a second</p>`;
}

function nothingNotice(request: FastifyRequest): ConsolePage['notice'] {
  return (request.query as Record<string, unknown>).done === 'nothing' ? { kind: 'ok', text: 'Nothing to replay: no order of that route was waiting.' } : null;
}

async function replayOverview(deps: ConsoleDeps, request: FastifyRequest, reply: FastifyReply, notice: ConsolePage['notice'], status = 200): Promise<FastifyReply> {
  const directory = await routeDirectory(deps.db, deps.platforms);
  const parked = await deps.db
    .select({ routeId: orderSyncs.routeId, waitingFor: orderSyncs.waitingFor, n: count() })
    .from(orderSyncs)
    .where(inArray(orderSyncs.status, ['waiting', 'failed']))
    .groupBy(orderSyncs.routeId, orderSyncs.waitingFor);
  const recent = await recentReplays(deps);
  const csrf = csrfField(request);
  const rows = [...directory.routes.values()].map((route) => {
    const mine = parked.filter((p) => p.routeId === route.id);
    const total = mine.reduce((sum, p) => sum + p.n, 0);
    const byKind = WAITING_FOR.map((w) => ({ w, n: mine.find((p) => p.waitingFor === w)?.n ?? 0 })).filter((k) => k.n > 0);
    return html`<tr data-route="${route.id}">
<th scope="row" data-label="Route">${route.label}</th>
<td data-label="Waiting orders"><span class="parked-count">${total}</span>${byKind.length ? html` <span class="muted">(${byKind.map((k, i) => `${i ? ', ' : ''}${k.n} waiting for ${waitingForWords[k.w]}`)})</span>` : ''}</td>
<td data-label="Replay">${
      total === 0
        ? html`<span class="muted">Nothing waiting</span>`
        : html`<form method="post" action="${REPLAY_PATH}" class="inline">${csrf}<input type="hidden" name="routeId" value="${route.id}"><button type="submit" class="primary" aria-label="Resume the ${total} waiting orders of ${route.label}">Resume ${total} orders</button></form>`
    }</td>
</tr>`;
  });
  const body = html`${
    rows.length === 0
      ? html`<p>No sync routes yet.</p>`
      : html`<table class="rows replay-routes"><caption class="visually-hidden">Routes and their waiting orders</caption>
<thead><tr><th scope="col">Route</th><th scope="col">Waiting orders</th><th scope="col">Replay</th></tr></thead><tbody>${rows}</tbody></table>`
  }
<h2>Recent replays</h2>
${recent.length === 0 ? html`<p class="muted">None yet.</p>` : html`<ul class="replays">${recent.map((r) => html`<li><a href="${replayPath(r.resumeId)}">Replay of ${directory.routes.get(r.routeId ?? '')?.label ?? r.resumeId}</a> started ${timeText(r.startTime)} — ${r.running ? 'running' : 'ended'}</li>`)}</ul>`}`;
  return sendPage(request, reply, { title: 'Replay', nav: 'replay', lead: 'Resume a route’s waiting orders after an outage or a fix, at a rate the platforms accept.', body, notice }, status);
}

/** The latest replays, from Temporal's list of the bulk-resume workflows (the durable record of them). */
async function recentReplays(deps: ConsoleDeps): Promise<{ resumeId: string; routeId: string | null; startTime: Date; running: boolean }[]> {
  const found: { resumeId: string; routeId: string | null; startTime: Date; running: boolean }[] = [];
  try {
    for await (const execution of deps.health.client.workflow.list({ query: `WorkflowType = "parkedOrderResumeWorkflow" AND TaskQueue = "${deps.health.taskQueue.replace(/[\\"]/g, '')}"`, pageSize: 50 })) {
      if (!execution.workflowId.startsWith(RESUME_ID_PREFIX)) continue;
      const resumeId = execution.workflowId.slice(RESUME_ID_PREFIX.length);
      if (found.some((f) => f.resumeId === resumeId)) continue; // continue-as-new: one entry per replay
      found.push({ resumeId, routeId: routeIdOf(resumeId), startTime: execution.startTime, running: execution.status.name === 'RUNNING' });
      if (found.length >= RECENT_REPLAYS) break;
    }
  } catch {
    return found; // Temporal unreachable: the page still offers the replay buttons.
  }
  return found;
}

/** Resume ids are "route-<routeId>-<uuid>" (api/background-resumptions.ts). */
function routeIdOf(resumeId: string): string | null {
  const match = /^route-(.+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(resumeId);
  return match?.[1] ?? null;
}
