import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { integrations, syncRoutes } from '../db/schema.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { activityContext, pause } from './activity-heartbeat.js';
import { combinedOutcome, type ResyncEntityKinds, type ResyncItemOutcome } from './resync-entity-kinds.js';

export interface FullResyncDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  kinds: ResyncEntityKinds;
}

/** Failure types of the re-sync's activities (the workflow ends with the reason; nothing to retry by itself). */
export const ResyncFailureType = {
  /** The integration or route is gone, or not a store. */
  NothingToResync: 'NothingToResync',
} as const;

export interface ResyncPlan {
  storeName: string;
  routeIds: string[];
  /** Where the walk starts: the asked-for date, else the earliest start date of the routes, else the beginning. */
  since: string;
}

export interface ResyncPageInput {
  integrationId: string;
  routeIds: string[];
  kind: string;
  since: string;
  /** Items created before this are outside the re-sync (the operator's "from"); null = all listed. */
  from: string | null;
  pageCursor?: string;
  /** Syncs started a second at most. */
  perSecond: number;
  /** When the re-sync began (ISO 8601): what was first seen since counts as started by it. */
  walkStartedAt: string;
}

export type ResyncCounts = Record<ResyncItemOutcome, number> & { checked: number };

export type ResyncPageResult =
  | { status: 'listed'; counts: ResyncCounts; nextPageCursor?: string; total?: number }
  /** The store cannot list this kind, or cannot be read right now (paused, not connected): said, not retried. */
  | { status: 'not_listed'; reason: string };

export function emptyCounts(): ResyncCounts {
  return { checked: 0, started: 0, in_progress: 0, already_done: 0, before_start_date: 0, kind_off: 0 };
}

/** Activities of fullResyncWorkflow: plan the walk, then one page of one kind at a time. */
export function createFullResyncActivities(deps: FullResyncDeps) {
  return {
    async planResync(input: { integrationId: string; routeId: string | null; from: string | null }): Promise<ResyncPlan> {
      const [store] = await deps.db.select().from(integrations).where(eq(integrations.id, input.integrationId));
      if (!store || deps.platforms.roleOf(store.platform) !== 'commerce') throw nothingToResync(`There is no store integration ${input.integrationId}.`);
      const routes = (await deps.db.select().from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, store.id))).filter((r) => !input.routeId || r.id === input.routeId);
      if (routes.length === 0) throw nothingToResync(input.routeId ? `${store.displayName} has no route ${input.routeId}.` : `No sync route reads from ${store.displayName}.`);
      const starts = routes.map((r) => r.ordersFrom?.getTime() ?? null);
      const earliest = starts.includes(null) ? null : Math.min(...(starts as number[]));
      const since = input.from ?? (earliest !== null ? new Date(earliest).toISOString() : new Date(0).toISOString());
      return { storeName: store.displayName, routeIds: routes.map((r) => r.id), since };
    },

    /** Lists one page and starts or joins each item's sync on every route, at most `perSecond` starts a second. */
    async resyncPage(input: ResyncPageInput): Promise<ResyncPageResult> {
      const kind = deps.kinds.get(input.kind);
      if (!kind) return { status: 'not_listed', reason: `This deployment cannot re-sync ${input.kind}.` };
      const [store] = await deps.db.select().from(integrations).where(eq(integrations.id, input.integrationId));
      if (!store) throw nothingToResync(`The integration ${input.integrationId} was deleted.`);
      if (!store.credentials) return { status: 'not_listed', reason: `${store.displayName} is not connected.` };
      if (store.status === 'disconnected') return { status: 'not_listed', reason: `${store.displayName} is paused.` };
      const platform = deps.platforms.commerce(store.platform);
      const source = platform.createSource({ integrationId: store.id, account: store.account, tokens: deps.credentials.tokenProvider(store.id, platform) });
      const listing = kind.listPage(source, input.since, input.pageCursor);
      if (!listing) return { status: 'not_listed', reason: `${platform.displayName} cannot list ${kind.words.many} for a re-sync.` };
      const page = await listing;
      const routes = (await deps.db.select({ id: syncRoutes.id, syncEntities: syncRoutes.syncEntities, ordersFrom: syncRoutes.ordersFrom }).from(syncRoutes).where(eq(syncRoutes.sourceIntegrationId, store.id))).filter(
        (route) => input.routeIds.includes(route.id),
      );
      const context = activityContext();
      const walkStartedAt = new Date(input.walkStartedAt);
      const gapMs = 1000 / Math.max(input.perSecond, 0.001);
      let nextStartAt = Date.now();
      const startPaced = async <T>(start: () => Promise<T>): Promise<T> => {
        // Every start waits its turn, the first of a page too: the rate holds across pages.
        const wait = nextStartAt + gapMs - Date.now();
        if (wait > 0) await pause(wait);
        nextStartAt = Date.now();
        return start();
      };
      const counts = emptyCounts();
      for (const item of page.items) {
        if (input.from && item.createdAt && Date.parse(item.createdAt) < Date.parse(input.from)) continue;
        const outcomes: ResyncItemOutcome[] = [];
        for (const route of routes) outcomes.push(await kind.handOver({ db: deps.db, source, startPaced, walkStartedAt }, route, item));
        counts.checked++;
        counts[combinedOutcome(outcomes)]++;
        context?.heartbeat();
      }
      return { status: 'listed', counts, ...(page.nextPageCursor ? { nextPageCursor: page.nextPageCursor } : {}), ...(page.total !== undefined ? { total: page.total } : {}) };
    },
  };
}

export type FullResyncActivities = ReturnType<typeof createFullResyncActivities>;

function nothingToResync(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: ResyncFailureType.NothingToResync, message, nonRetryable: true });
}
