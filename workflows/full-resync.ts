import { ActivityFailure, ApplicationFailure, continueAsNew, defineQuery, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { FullResyncActivities, ResyncCounts, ResyncPlan } from '../activities/full-resync-activities.js';

export interface FullResyncInput {
  integrationId: string;
  /** One route of the store; null or absent: every route reading from it. */
  routeId?: string | null;
  /** Only what was created from this date (ISO 8601); absent: the routes' start dates, else the whole history. */
  from?: string | null;
  /** Entity kinds to walk, in order (registered in activities/resync-entity-kinds.ts). Default: orders. */
  kinds?: string[];
  /** Syncs started a second at most. Default DEFAULT_RESYNC_PER_SECOND. */
  perSecond?: number;
  /** Pages per run before the walk continues as new (also earlier, when Temporal suggests it). */
  pagesPerRun?: number;
  /** Where the previous run stopped (continue-as-new). */
  carried?: { progress: FullResyncProgress; plan: ResyncPlan; kindIndex: number; pageCursor?: string };
}

export interface FullResyncKindProgress {
  kind: string;
  counts: ResyncCounts;
  /** How many the store's listing holds, where it says; null while unknown. */
  total: number | null;
  /** Why the store could not be walked for this kind. */
  notListed: string | null;
  done: boolean;
}

export interface FullResyncProgress {
  state: 'running' | 'finished' | 'cancelled' | 'failed';
  integrationId: string;
  routeIds: string[];
  from: string | null;
  perSecond: number;
  startedAt: string;
  endedAt: string | null;
  kinds: FullResyncKindProgress[];
  /** Runs so far (continue-as-new keeps every run's history small). */
  runs: number;
  /** "12 orders checked, 0 new documents, 12 already booked". */
  summary: string;
  error: string | null;
}

export const fullResyncProgressQuery = defineQuery<FullResyncProgress>('fullResyncProgress');

export const DEFAULT_RESYNC_PER_SECOND = 5;
const DEFAULT_PAGES_PER_RUN = 100;

const resync = proxyActivities<FullResyncActivities>({
  startToCloseTimeout: '30 minutes',
  // The activities heartbeat every 2 s: a worker that died is noticed in seconds and the page is run again elsewhere.
  heartbeatTimeout: '10 seconds',
  // A store that is down is waited out; a deleted integration (NothingToResync) ends the walk at once.
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: ['NothingToResync', 'CredentialsInvalid', 'MissingScope'] },
});

/**
 * A full re-sync of one store: walks its history kind by kind, page by page, and starts or joins each item's sync on
 * the route(s) with the same workflow ids every other trigger uses, so it never books anything twice. Durable and
 * resumable (a worker restart repeats at most the page in hand, which only joins what it started), rate-bounded
 * (starts a second), continues as new on long histories, and reports done / total; a cancel stops it after the page.
 */
export async function fullResyncWorkflow(input: FullResyncInput): Promise<FullResyncProgress> {
  const perSecond = input.perSecond ?? DEFAULT_RESYNC_PER_SECOND;
  const pagesPerRun = input.pagesPerRun ?? DEFAULT_PAGES_PER_RUN;
  const kinds = input.kinds ?? ['orders'];
  const progress: FullResyncProgress = input.carried
    ? { ...input.carried.progress, runs: input.carried.progress.runs + 1 }
    : {
        state: 'running',
        integrationId: input.integrationId,
        routeIds: [],
        from: input.from ?? null,
        perSecond,
        startedAt: workflowInfo().startTime.toISOString(),
        endedAt: null,
        kinds: kinds.map((kind) => ({ kind, counts: zero(), total: null, notListed: null, done: false })),
        runs: 1,
        summary: 'Starting.',
        error: null,
      };
  setHandler(fullResyncProgressQuery, () => progress);

  const end = (state: FullResyncProgress['state'], error: string | null = null): FullResyncProgress => {
    progress.state = state;
    progress.error = error;
    progress.endedAt = new Date().toISOString();
    progress.summary = summaryOf(progress);
    return progress;
  };

  try {
    const plan = input.carried?.plan ?? (await resync.planResync({ integrationId: input.integrationId, routeId: input.routeId ?? null, from: input.from ?? null }));
    progress.routeIds = plan.routeIds;
    let kindIndex = input.carried?.kindIndex ?? 0;
    let pageCursor = input.carried?.pageCursor;
    let pages = 0;
    for (; kindIndex < progress.kinds.length; kindIndex++, pageCursor = undefined) {
      const kind = progress.kinds[kindIndex]!;
      while (!kind.done) {
        if (pages >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
          await continueAsNew<typeof fullResyncWorkflow>({ ...input, carried: { progress, plan, kindIndex, ...(pageCursor ? { pageCursor } : {}) } });
        }
        const page = await resync.resyncPage({ integrationId: input.integrationId, routeIds: plan.routeIds, kind: kind.kind, since: plan.since, from: input.from ?? null, perSecond, walkStartedAt: progress.startedAt, ...(pageCursor ? { pageCursor } : {}) });
        pages++;
        if (page.status === 'not_listed') {
          kind.notListed = page.reason;
          kind.done = true;
          break;
        }
        for (const key of Object.keys(page.counts) as (keyof ResyncCounts)[]) kind.counts[key] += page.counts[key];
        if (page.total !== undefined) kind.total = page.total;
        pageCursor = page.nextPageCursor;
        if (!pageCursor) kind.done = true;
        progress.summary = summaryOf(progress);
      }
    }
    return end('finished');
  } catch (error) {
    if (isCancellation(error)) return end('cancelled');
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return end('failed', error.cause.message);
    throw error;
  }
}

function zero(): ResyncCounts {
  return { checked: 0, started: 0, in_progress: 0, already_done: 0, before_start_date: 0, kind_off: 0 };
}

const WORDS: Record<string, { many: string; started: string; alreadyDone: string }> = {
  orders: { many: 'orders', started: 'new documents', alreadyDone: 'already booked' },
  customers: { many: 'customers', started: 'synced anew', alreadyDone: 'already synced' },
  products: { many: 'products', started: 'synced anew', alreadyDone: 'already synced' },
};

/** "12 orders checked, 0 new documents, 12 already booked", per kind, in a bookkeeper's words. */
export function summaryOf(progress: Pick<FullResyncProgress, 'kinds' | 'state' | 'error'>): string {
  const parts = progress.kinds.map((kind) => {
    const words = WORDS[kind.kind] ?? { many: kind.kind, started: 'new', alreadyDone: 'already synced' };
    if (kind.notListed) return `${words.many}: not walked (${kind.notListed})`;
    const c = kind.counts;
    const more = [
      c.in_progress ? `${c.in_progress} already being synced` : null,
      c.before_start_date ? `${c.before_start_date} before the route's start date` : null,
      c.kind_off ? `${c.kind_off} not synced (switched off on the route)` : null,
    ].filter((part): part is string => part !== null);
    return [`${c.checked} ${words.many} checked`, `${c.started} ${words.started}`, `${c.already_done} ${words.alreadyDone}`, ...more].join(', ');
  });
  const text = parts.join('; ');
  if (progress.state === 'cancelled') return `Cancelled: ${text}.`;
  if (progress.state === 'failed') return `Stopped: ${progress.error ?? 'a page failed'}. So far: ${text}.`;
  return `${text}.`;
}
