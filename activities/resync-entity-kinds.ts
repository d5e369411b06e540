import type { Database } from '../db/database.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import type { RouteSettingsRow } from '../runtime/route-order-gate.js';

/** One record of a store's history, as a listing names it. */
export interface ResyncItem {
  id: string;
  name?: string | null;
  /** ISO 8601: when it was created (orders: placed), where the listing says. */
  createdAt?: string;
}

export interface ResyncPage {
  items: ResyncItem[];
  nextPageCursor?: string;
  /** The whole listing's size, where the store says. */
  total?: number;
}

/**
 * What a re-sync found for one item, over the routes it walks. `started`: a sync was started (a new document unless
 * the ledger has it already); `in_progress`: its sync was running or waiting already (joined, nothing new);
 * `already_done`: booked (or settled) before; `before_start_date` / `kind_off`: the route's sync settings keep it out.
 */
export type ResyncItemOutcome = 'started' | 'in_progress' | 'already_done' | 'before_start_date' | 'kind_off';

/** What a kind's hand-over may use. `startPaced` waits its turn under the re-sync's rate before it starts anything. */
export interface ResyncHandContext {
  db: Database;
  source: CommerceSource;
  /**
   * When the re-sync began: an item first seen since then counts as started by it, so a page repeated after a worker
   * restart counts the same, and a second re-sync counts everything the first booked as already done.
   */
  walkStartedAt: Date;
  startPaced<T>(start: () => Promise<T>): Promise<T>;
}

/**
 * One entity kind a full re-sync can walk (orders now; customers and products plug in the same way): how to list the
 * store's history page by page, and how to start or join one item's sync on one route, using the same workflow ids
 * as every other trigger so nothing is ever booked twice. The re-sync workflow only knows kinds by name.
 */
export interface ResyncEntityKind {
  readonly kind: string;
  /** Words for the summary: "orders", "already booked". */
  readonly words: { many: string; alreadyDone: string };
  /** One page of the store's history changed since `since`; null when this store cannot list the kind. */
  listPage(source: CommerceSource, since: string, pageCursor: string | undefined): Promise<ResyncPage> | null;
  handOver(context: ResyncHandContext, route: RouteSettingsRow, item: ResyncItem): Promise<ResyncItemOutcome>;
}

/** The kinds this deployment can re-sync, by name. */
export class ResyncEntityKinds {
  private readonly byKind = new Map<string, ResyncEntityKind>();

  constructor(kinds: readonly ResyncEntityKind[]) {
    for (const kind of kinds) this.byKind.set(kind.kind, kind);
  }

  get(kind: string): ResyncEntityKind | undefined {
    return this.byKind.get(kind);
  }

  names(): string[] {
    return [...this.byKind.keys()];
  }
}

/** One outcome per item over several routes: a start matters most, then a running sync, then the route settings. */
export function combinedOutcome(outcomes: ResyncItemOutcome[]): ResyncItemOutcome {
  const order: ResyncItemOutcome[] = ['started', 'in_progress', 'already_done', 'before_start_date', 'kind_off'];
  return order.find((outcome) => outcomes.includes(outcome)) ?? 'kind_off';
}
