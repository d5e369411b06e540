import { fromMinor, toMinor } from '../domain/money.js';

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
  /** When the order was placed: a route's start date is checked against it. */
  createdAt: string | null;
  /** What the payload's `refunds` gave back (null when it carries none): tells a refund's update from an edit. */
  refunded: { lines: string; total: string } | null;
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
    createdAt: text('created_at'),
    refunded: refundedIn(body),
  };
}

/**
 * The REST order's `refunds[]`: refunded units (`refund_line_items[]` subtotal, plus `total_tax` unless prices include
 * it) and all money given back (successful `refund` transactions). Amounts are decimal strings; nothing else is read.
 */
function refundedIn(body: Record<string, unknown>): { lines: string; total: string } | null {
  if (!Array.isArray(body.refunds) || body.refunds.length === 0) return null;
  const taxesIncluded = body.taxes_included === true;
  const currency = typeof body.currency === 'string' ? body.currency : 'USD';
  const cents = (value: unknown) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? toMinor(value, currency) : 0);
  let lines = 0;
  let total = 0;
  for (const refund of body.refunds as Array<Record<string, unknown>>) {
    for (const line of arrayOf(refund?.refund_line_items)) lines += cents(line.subtotal) + (taxesIncluded ? 0 : cents(line.total_tax));
    for (const transaction of arrayOf(refund?.transactions)) {
      if (transaction.kind === 'refund' && transaction.status === 'success') total += cents(transaction.amount);
    }
  }
  return { lines: fromMinor(lines, currency), total: fromMinor(total, currency) };
}

function arrayOf(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? (value.filter((item) => typeof item === 'object' && item !== null) as Array<Record<string, unknown>>) : [];
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
