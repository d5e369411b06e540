/**
 * The order a Shopify order webhook is about. REST order ids can exceed 2^53, where JSON.parse
 * would silently change digits, so the id is read from the raw JSON text (or from the string
 * `admin_graphql_api_id`), never from a parsed number.
 */
export interface ShopifyOrderReference {
  orderId: string;
  orderName: string | null;
  /** The order as this update shows it, for orders already booked (null where the payload does not say). */
  currentTotal: string | null;
  cancelledAt: string | null;
  updatedAt: string | null;
}

/** `rawJson` must already be known to be valid JSON (it was parsed into `parsed`). */
export function shopifyOrderReferenceOf(rawJson: string, parsed: unknown): ShopifyOrderReference | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const body = parsed as Record<string, unknown>;
  const literal = topLevelValueLiteral(rawJson, 'id');
  const fromId = literal !== null && /^\d+$/.test(literal) ? literal : null;
  const gid = typeof body.admin_graphql_api_id === 'string' ? /^gid:\/\/shopify\/Order\/(\d+)$/.exec(body.admin_graphql_api_id)?.[1] ?? null : null;
  const orderId = fromId ?? gid;
  if (!orderId) return null;
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
  return {
    orderId,
    orderName: text('name'),
    currentTotal: text('current_total_price') ?? text('total_price'),
    cancelledAt: text('cancelled_at'),
    updatedAt: text('updated_at'),
  };
}

/** The customer or product a customers/* or products/* webhook is about: its top-level id, read from the raw text. */
export function shopifyRecordIdOf(rawJson: string, parsed: unknown): string | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const literal = topLevelValueLiteral(rawJson, 'id');
  return literal !== null && /^\d+$/.test(literal) ? literal : null;
}

/** The refund a refunds/create webhook is about, ids read from the raw text like order ids. */
export function shopifyRefundReferenceOf(rawJson: string, parsed: unknown): { refundId: string; orderId: string } | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const body = parsed as Record<string, unknown>;
  const numeric = (key: string) => {
    const literal = topLevelValueLiteral(rawJson, key);
    return literal !== null && /^\d+$/.test(literal) ? literal : null;
  };
  const gid = typeof body.admin_graphql_api_id === 'string' ? /^gid:\/\/shopify\/Refund\/(\d+)$/.exec(body.admin_graphql_api_id)?.[1] ?? null : null;
  const refundId = numeric('id') ?? gid;
  const orderId = numeric('order_id');
  return refundId && orderId ? { refundId, orderId } : null;
}

/**
 * The raw text of a top-level member's value when it is a number ("820982911946154508"), or its
 * decoded text when it is a string; null when absent or of another kind. Walks the text once,
 * skipping strings, so ids nested in line items or the customer never match.
 */
export function topLevelValueLiteral(rawJson: string, key: string): string | null {
  let depth = 0;
  let i = 0;
  const n = rawJson.length;
  while (i < n) {
    const c = rawJson[i]!;
    if (c === '"') {
      const end = stringEnd(rawJson, i);
      let next = skipSpace(rawJson, end + 1);
      if (depth === 1 && rawJson[next] === ':' && JSON.parse(rawJson.slice(i, end + 1)) === key) {
        next = skipSpace(rawJson, next + 1);
        if (rawJson[next] === '"') return JSON.parse(rawJson.slice(next, stringEnd(rawJson, next) + 1)) as string;
        return /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rawJson.slice(next, next + 64))?.[0] ?? null;
      }
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return null;
}

/** Index of the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i;
    else i++;
  }
  return text.length;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}
