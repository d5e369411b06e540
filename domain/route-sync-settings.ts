/**
 * What a sync route syncs: which entity kinds are on, and from which date its orders are booked. A change applies to
 * what arrives from then on; history is walked again only when an operator runs a full re-sync.
 * Pure data: safe to import from workflow code.
 */

/** The entity kinds a route can sync. Orders today; customers and products plug in (activities/resync-entity-kinds.ts). */
export const ENTITY_KINDS = ['orders', 'customers', 'products'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface RouteSyncSettings {
  /** Every kind, on or off. A kind the route never named is on. */
  entities: Record<EntityKind, boolean>;
  /** Orders placed before this (ISO 8601) are not booked; null = every order. */
  ordersFrom: string | null;
}

/** The order_syncs code of an order skipped because it was placed before its route's start date. */
export const BEFORE_START_DATE_CODE = 'BeforeRouteStartDate';

/** The settings as stored on the route row (only the kinds switched off are kept). */
export function routeSyncSettingsOf(row: { syncEntities: Record<string, boolean>; ordersFrom: Date | null }): RouteSyncSettings {
  const entities = Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, row.syncEntities[kind] !== false])) as Record<EntityKind, boolean>;
  return { entities, ordersFrom: row.ordersFrom ? row.ordersFrom.toISOString() : null };
}

/** What to store for `entities`: only the kinds switched off, so a kind added later starts on. */
export function storedEntities(entities: Partial<Record<EntityKind, boolean>>, current: Record<string, boolean>): Record<string, boolean> {
  const merged: Record<string, boolean> = { ...current, ...entities };
  return Object.fromEntries(Object.entries(merged).filter(([, on]) => on === false));
}

/** True when the order was placed before the route's start date. An order whose placing time is unknown is booked. */
export function placedBeforeStart(ordersFrom: Date | string | null, placedAt: string | null | undefined): boolean {
  if (!ordersFrom || !placedAt) return false;
  const placed = new Date(placedAt).getTime();
  return !Number.isNaN(placed) && placed < new Date(ordersFrom).getTime();
}

/** The sentence an operator reads on a skipped order. */
export function beforeStartDateMessage(orderName: string, placedAt: string, ordersFrom: Date | string): string {
  const day = (at: Date | string) => new Date(at).toISOString().slice(0, 10);
  return (
    `Order ${orderName} was placed on ${day(placedAt)}, before the route's start date (${day(ordersFrom)}): it is not booked. ` +
    'To book it, move the start date in the route\'s sync settings and run a full re-sync.'
  );
}
