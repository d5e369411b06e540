import { GraphQLError } from 'graphql';

/** Arguments every Shopify connection field takes. */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Connection<T> {
  nodes: T[];
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 250;

/** Opaque base64 cursor, shaped like Shopify's (`{"last_id":…,"last_value":…}`). */
export function encodeCursor(id: string, sortValue: string): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: sortValue })).toString('base64');
}

interface DecodedCursor {
  id: string;
  value: string | null;
}

function decodeCursor(cursor: string): DecodedCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === 'string' || typeof parsed.last_id === 'number') {
      return { id: String(parsed.last_id), value: typeof parsed.last_value === 'string' ? parsed.last_value : null };
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
}

/**
 * Where a page after `cursor` starts. Shopify's cursors are keyset positions (the sort value and id of the last
 * item), not offsets: an item that changed since (an order updated between pages of an UPDATED_AT listing) moved
 * in the sort, and the next page goes on after the position the cursor names, not after the item's new place.
 */
function startAfter<T>(items: T[], cursor: DecodedCursor, idOf: (item: T) => string, sortValueOf: (item: T) => string, reverse: boolean): number {
  const index = items.findIndex((item) => idOf(item) === cursor.id);
  if (cursor.value === null || (index >= 0 && sortValueOf(items[index]!) === cursor.value)) return index + 1;
  const key = (value: string, id: string) => `${value}\u0000${id.padStart(20, '0')}`;
  const at = key(cursor.value, cursor.id);
  const next = items.findIndex((item) => (reverse ? key(sortValueOf(item), idOf(item)) < at : key(sortValueOf(item), idOf(item)) > at));
  return next < 0 ? items.length : next;
}

/** One page of an already filtered and sorted list. */
export function paginate<T>(
  items: T[],
  args: ConnectionArgs & { reverse?: boolean | null },
  idOf: (item: T) => string,
  sortValueOf: (item: T) => string,
): Connection<T> {
  const { first, last, after, before } = args;
  if (first == null && last == null) {
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  }
  for (const size of [first, last]) {
    if (size != null && (size < 0 || size > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`The page size must be between 0 and ${MAX_PAGE_SIZE}.`, {
        extensions: { code: 'BAD_REQUEST' },
      });
    }
  }
  let start = 0;
  let end = items.length;
  if (after) start = startAfter(items, decodeCursor(after), idOf, sortValueOf, args.reverse === true);
  if (before) {
    const { id } = decodeCursor(before);
    const index = items.findIndex((item) => idOf(item) === id);
    if (index >= 0) end = index;
  }
  let window = items.slice(start, Math.max(start, end));
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (first != null) {
    hasNextPage = hasNextPage || window.length > first;
    window = window.slice(0, first);
  }
  if (last != null) {
    hasPreviousPage = hasPreviousPage || window.length > last;
    window = window.slice(Math.max(0, window.length - last));
  }
  const edges = window.map((node) => ({ cursor: encodeCursor(idOf(node), sortValueOf(node)), node }));
  return {
    nodes: window,
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
