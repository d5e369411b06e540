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

function decodeCursorId(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    if (typeof parsed.last_id === 'string' || typeof parsed.last_id === 'number') return String(parsed.last_id);
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
}

/** One page of an already filtered and sorted list. */
export function paginate<T>(items: T[], args: ConnectionArgs, idOf: (item: T) => string, sortValueOf: (item: T) => string): Connection<T> {
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
  if (after) {
    const id = decodeCursorId(after);
    start = items.findIndex((item) => idOf(item) === id) + 1;
  }
  if (before) {
    const id = decodeCursorId(before);
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
