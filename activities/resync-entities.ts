import type { Client } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import { entitySyncs } from '../db/schema.js';
import type { SyncedRecordEntity } from '../domain/commerce-entities.js';
import { startEntitySync } from '../runtime/entity-sync-starter.js';
import type { ResyncEntityKind } from './resync-entity-kinds.js';

/** A row in one of these states has its sync running or parked: starting it again only joins it. */
const IN_PROGRESS = new Set(['pending', 'syncing', 'waiting', 'failed']);

/**
 * Customers or products, for a full re-sync: the store's whole list (stores list them by id, with no "changed since"),
 * and per route the same entity sync a webhook starts (workflow id per route and record). A record synced before is
 * counted and left alone, so a second walk right after creates nothing; a route with the entity switched off
 * starts nothing new.
 */
export function recordsResyncKind(entity: SyncedRecordEntity, deps: { client: Client; taskQueue: string }): ResyncEntityKind {
  return {
    kind: entity,
    words: { many: entity, alreadyDone: 'already synced' },
    listPage(source, _since, pageCursor) {
      const list = entity === 'customers' ? source.listCustomers : source.listProducts;
      if (!list) return null;
      return list.call(source, pageCursor).then((page) => ({
        items: page.ids.map((id) => ({ id })),
        ...(page.nextPageCursor ? { nextPageCursor: page.nextPageCursor } : {}),
      }));
    },
    async handOver(context, route, item) {
      const [row] = await context.db
        .select({ status: entitySyncs.status, firstSeenAt: entitySyncs.firstSeenAt })
        .from(entitySyncs)
        .where(and(eq(entitySyncs.routeId, route.id), eq(entitySyncs.entity, entity), eq(entitySyncs.sourceId, item.id)));
      const newThisWalk = !row || row.firstSeenAt >= context.walkStartedAt;
      if (row && !IN_PROGRESS.has(row.status)) return newThisWalk ? 'started' : 'already_done';
      // As for orders, the switch keeps out what the route has not synced yet; what it has is counted as it stands.
      if (!row && route.syncEntities[entity] === false) return 'kind_off';
      // Joined, never restarted: a running sync is reused by its workflow id; an ended one runs again and finds its link.
      await context.startPaced(() => startEntitySync(deps.client, context.db, deps.taskQueue, { routeId: route.id, entity, sourceId: item.id }));
      return newThisWalk ? 'started' : 'in_progress';
    },
  };
}
