import { randomBytes } from 'node:crypto';
import { squarespaceError, scopeRefusal, type SquarespaceError } from './request-gate.js';
import type { SquarespaceSite, Subscription, Token } from './site.js';

export type ApiAnswer = { status: number; body: unknown } | SquarespaceError;

export const WEBHOOK_TOPICS = ['order.create', 'order.update', 'extension.uninstall'] as const;
/** Shown when paymentStates is omitted: PENDING, FAILED, PARTIALLY_PAID and REFUND_* stay hidden [S]. */
const DEFAULT_PAYMENT_STATES = ['NOT_CHARGED', 'AUTHORIZED', 'PAID', 'REFUNDED'];

export interface ApiRequest {
  method: string;
  /** Path without the query: `/1.0/commerce/orders`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  token: Token;
}

export interface ApiOptions {
  /** Hosts whose webhook endpoint may be plain http (a local API in tests and the demo); Squarespace wants HTTPS [S]. */
  httpEndpointHosts: readonly string[];
}

/** A cursor is a position (the last modifiedOn and id seen) and the filters: a "dynamic cursor", not a snapshot [C: FAQ]. */
interface Cursor {
  after: Position | null;
  filters: Record<string, string>;
}
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeCursor(text: string): Cursor | null {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    return parsed && typeof parsed.filters === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

const invalid = (message: string, subtype = 'INVALID_ARGUMENT') => squarespaceError(400, 'INVALID_REQUEST_ERROR', subtype, message);
const notFound = (message: string) => squarespaceError(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', message);

type Position = [string, string];

/** Pages `items` (already filtered) in the site's list order by modification, 50 at a time, after the cursor's position. */
function page<T extends Record<string, unknown>>(site: SquarespaceSite, items: T[], path: string, cursor: Cursor, key: string) {
  const byChange = (item: T): Position => [String(item.modifiedOn ?? item.createdOn ?? ''), String(item.id)];
  return pageBy(items, path, cursor, key, site.pageSize, byChange, site.listOrder === 'ascending' ? 1 : -1);
}

/** Pages `items` sorted by `position` (then id) in `sign`'s direction, continuing after the cursor's position. */
function pageBy<T extends Record<string, unknown>>(items: T[], path: string, cursor: Cursor, key: string, pageSize: number, position: (item: T) => Position, sign: 1 | -1) {
  const compare = (a: Position, b: Position) => sign * (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
  const sorted = [...items].sort((a, b) => compare(position(a), position(b)));
  const rest = cursor.after ? sorted.filter((item) => compare(position(item), cursor.after!) > 0) : sorted;
  const result = rest.slice(0, pageSize);
  const more = rest.length > result.length;
  const next = more ? encodeCursor({ after: position(result[result.length - 1]!), filters: cursor.filters }) : null;
  return { [key]: result, pagination: { hasNextPage: more, nextPageCursor: next, nextPageUrl: next ? `${path}?cursor=${next}` : null } };
}

/** The first page carries the filters; later pages only `cursor`, which cannot be combined with anything [C/S]. */
function startListing(query: Record<string, string>): Cursor | SquarespaceError {
  if (query.cursor !== undefined) {
    if (Object.keys(query).length > 1) return invalid('cursor cannot be combined with other parameters.');
    return decodeCursor(query.cursor) ?? invalid('The cursor is invalid.');
  }
  if ((query.modifiedAfter === undefined) !== (query.modifiedBefore === undefined)) {
    return invalid('modifiedAfter and modifiedBefore must be supplied together.', 'MISSING_ARGUMENT');
  }
  for (const name of ['modifiedAfter', 'modifiedBefore']) {
    if (query[name] !== undefined && Number.isNaN(Date.parse(query[name]!))) return invalid(`${name} must be an ISO 8601 date.`);
  }
  return { after: null, filters: query };
}

/** Bounds: after exclusive, before inclusive [U: undocumented; the product overlaps its windows either way]. */
function modifiedWithin(item: Record<string, unknown>, filters: Record<string, string>): boolean {
  if (filters.modifiedAfter === undefined) return true;
  const at = Date.parse(String(item.modifiedOn));
  return at > Date.parse(filters.modifiedAfter) && at <= Date.parse(filters.modifiedBefore!);
}

export function subscriptionJson(subscription: Subscription, withSecret: boolean) {
  const { secret, ...rest } = subscription;
  return withSecret ? { ...rest, secret } : rest;
}

/** Orders 1.0, Transactions 1.0, Products v2, Profiles 1.0, Authorization 1.0 and Webhook Subscriptions 1.0, as JSON answers. */
export function answerApi(site: SquarespaceSite, request: ApiRequest, options: ApiOptions, events: { subscriptionTest(subscription: Subscription, topic: string): void }): ApiAnswer {
  const { method, path, query, token } = request;
  let match: RegExpExecArray | null;

  if (method === 'GET' && path === '/1.0/authorization/website') {
    return { status: 200, body: { id: site.websiteId, identifier: site.websiteId.slice(0, 8), url: `https://${site.websiteId.slice(0, 8)}.squarespace.com`, siteTitle: site.siteTitle, businessName: site.siteTitle, language: 'en-US', timeZone: 'Europe/London', currency: site.currency } };
  }

  if (method === 'GET' && path === '/1.0/commerce/orders') {
    const refused = scopeRefusal(token, 'website.orders.read');
    if (refused) return refused;
    const cursor = startListing(query);
    if ('status' in cursor) return cursor;
    const states = cursor.filters.paymentStates ? cursor.filters.paymentStates.split(',') : DEFAULT_PAYMENT_STATES;
    const orders = [...site.orders.values()].filter(
      (order) =>
        modifiedWithin(order, cursor.filters) &&
        states.includes(String(order.paymentState)) &&
        (!cursor.filters.fulfillmentStatus || order.fulfillmentStatus === cursor.filters.fulfillmentStatus) &&
        (!cursor.filters.customerId || order.customerId === cursor.filters.customerId),
    );
    return { status: 200, body: page(site, orders, path, cursor, 'result') };
  }
  if (method === 'GET' && (match = /^\/1\.0\/commerce\/orders\/([^/]+)$/.exec(path))) {
    const refused = scopeRefusal(token, 'website.orders.read');
    if (refused) return refused;
    const order = site.orders.get(match[1]!);
    return order ? { status: 200, body: order } : notFound('Order not found.');
  }

  if (method === 'GET' && path === '/1.0/commerce/transactions') {
    const refused = scopeRefusal(token, 'website.transactions.read');
    if (refused) return refused;
    const orderId = query.orderId;
    const cursor = startListing(orderId === undefined ? query : Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'orderId')));
    if ('status' in cursor) return cursor;
    const documents = [...site.documents.values()].filter((doc) => modifiedWithin(doc, cursor.filters) && (orderId === undefined || doc.salesOrderId === orderId));
    return { status: 200, body: page(site, documents, path, cursor, 'documents') };
  }

  if (method === 'GET' && path === '/v2/commerce/products') {
    const refused = scopeRefusal(token, 'website.products.read');
    if (refused) return refused;
    return listProducts(site, query, path);
  }
  if (method === 'GET' && (match = /^\/v2\/commerce\/products\/([^/]+)$/.exec(path))) {
    const refused = scopeRefusal(token, 'website.products.read');
    if (refused) return refused;
    const ids = match[1]!.split(',');
    if (ids.length > 50) return invalid('At most 50 product ids can be requested at once.');
    // Whether an unknown id is a 404 or left out is not documented [U]: left out here (the product reads both).
    return { status: 200, body: { products: site.products.filter((p) => ids.includes(String(p.id))) } };
  }

  if (method === 'GET' && (path === '/1.0/profiles' || path.startsWith('/1.0/profiles/'))) {
    if (site.profilesForOAuth === 'refused') return squarespaceError(403, 'AUTHORIZATION_ERROR', 'FORBIDDEN_RESOURCE', 'This application is not allowed to access profiles.');
    return answerProfiles(site, path, query);
  }

  if (path === '/1.0/webhook_subscriptions' || path.startsWith('/1.0/webhook_subscriptions/')) return answerSubscriptions(site, request, options, events);

  return squarespaceError(404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `No resource at ${method} ${path}.`);
}

/** The product types `type` may name [C: retrieve-all-products names PHYSICAL and DIGITAL; S: SERVICE, GIFT_CARD]. */
const PRODUCT_TYPES = ['PHYSICAL', 'DIGITAL', 'SERVICE', 'GIFT_CARD'];

/** Products v2: `type` required on the first page, an optional modifiedAfter/modifiedBefore pair, ordered by modifiedOn [C]. */
function listProducts(site: SquarespaceSite, query: Record<string, string>, path: string): ApiAnswer {
  if (query.cursor === undefined) {
    if (!query.type) return invalid('type is required unless cursor is given.', 'MISSING_ARGUMENT');
    const unknown = query.type.split(',').filter((t) => !PRODUCT_TYPES.includes(t));
    if (unknown.length > 0) return invalid(`Unsupported product type: ${unknown.join(', ')}.`);
  }
  const cursor = startListing(query);
  if ('status' in cursor) return cursor;
  const types = (cursor.filters.type ?? '').split(',');
  const products = site.products.filter((product) => types.includes(String(product.type)) && modifiedWithin(product, cursor.filters));
  return { status: 200, body: page(site, products, path, cursor, 'products') };
}

const PROFILE_SORT_FIELDS = ['id', 'createdOn', 'email', 'lastName'];

/**
 * Profiles 1.0 [C: retrieve-all-profiles, retrieve-specific-profiles]: up to 50, `filter` a semicolon list of
 * `isCustomer,true` / `hasAccount,true` (false not supported) or `email,<address>` (not with the others),
 * `sortField` (id by default) and `sortDirection` (`asc` / `dsc`, descending by default); no modified filter.
 * By ids: up to 50, comma-separated; an unknown id is a 404 [S: OpenAPI "One or more profiles were not found"].
 */
function answerProfiles(site: SquarespaceSite, path: string, query: Record<string, string>): ApiAnswer {
  const byIds = /^\/1\.0\/profiles\/([^/]+)$/.exec(path);
  if (byIds) {
    const ids = byIds[1]!.split(',');
    if (ids.length > 50) return invalid('At most 50 profile ids can be requested at once.');
    const found = ids.map((id) => site.profiles.get(id));
    if (found.some((profile) => !profile)) return notFound('One or more profiles were not found.');
    return { status: 200, body: { profiles: found } };
  }
  if (path !== '/1.0/profiles') return notFound(`No resource at GET ${path}.`);
  let cursor: Cursor;
  if (query.cursor !== undefined) {
    if (Object.keys(query).length > 1) return invalid('cursor cannot be combined with other parameters.');
    const decoded = decodeCursor(query.cursor);
    if (!decoded) return invalid('The cursor is invalid.');
    cursor = decoded;
  } else {
    cursor = { after: null, filters: query };
  }
  const { filter = '', sortField = 'id', sortDirection = 'dsc' } = cursor.filters;
  if (!PROFILE_SORT_FIELDS.includes(sortField)) return invalid(`sortField must be one of ${PROFILE_SORT_FIELDS.join(', ')}.`);
  if (sortDirection !== 'asc' && sortDirection !== 'dsc') return invalid('sortDirection must be asc or dsc.');
  const conditions = new Map(filter.split(';').filter(Boolean).map((part) => [part.slice(0, part.indexOf(',')), part.slice(part.indexOf(',') + 1)]));
  for (const [name, value] of conditions) {
    if (name === 'email') continue;
    if (name !== 'isCustomer' && name !== 'hasAccount') return invalid(`Unknown filter ${name}.`);
    if (value !== 'true') return invalid(`${name} only supports true.`);
  }
  if (conditions.has('email') && conditions.size > 1) return invalid('The email filter cannot be used with isCustomer or hasAccount.');
  const email = conditions.get('email')?.toLowerCase();
  const profiles = [...site.profiles.values()].filter(
    (profile) =>
      (!conditions.has('isCustomer') || profile.isCustomer === true) &&
      (!conditions.has('hasAccount') || profile.hasAccount === true) &&
      (email === undefined || String(profile.email).toLowerCase() === email),
  );
  const position = (profile: Record<string, unknown>): Position => [String(profile[sortField] ?? ''), String(profile.id)];
  return { status: 200, body: pageBy(profiles, path, cursor, 'profiles', site.pageSize, position, sortDirection === 'asc' ? 1 : -1) };
}

function validEndpoint(url: unknown, options: ApiOptions): string | null {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && options.httpEndpointHosts.includes(parsed.hostname))) return parsed.toString();
  } catch {
    // not a URL
  }
  return null;
}

function validTopics(topics: unknown): string[] | null {
  if (!Array.isArray(topics) || topics.length === 0) return null;
  return topics.every((t) => typeof t === 'string' && (WEBHOOK_TOPICS as readonly string[]).includes(t)) ? [...new Set(topics as string[])] : null;
}

/** Webhook Subscriptions 1.0: OAuth tokens only, an order scope; the secret is shown on create and rotate only [C]. */
function answerSubscriptions(site: SquarespaceSite, request: ApiRequest, options: ApiOptions, events: { subscriptionTest(subscription: Subscription, topic: string): void }): ApiAnswer {
  const { method, path, body, token } = request;
  const refused = scopeRefusal(token, 'website.orders.read');
  if (refused) return refused;
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (method === 'GET' && path === '/1.0/webhook_subscriptions') {
    return { status: 200, body: { webhookSubscriptions: [...site.subscriptions.values()].map((s) => subscriptionJson(s, false)) } };
  }
  if (method === 'POST' && path === '/1.0/webhook_subscriptions') {
    const endpointUrl = validEndpoint(input.endpointUrl, options);
    if (!endpointUrl) return invalid('endpointUrl must be an absolute HTTPS URL.');
    const topics = validTopics(input.topics);
    if (!topics) return invalid(`topics must be a non-empty list of ${WEBHOOK_TOPICS.join(', ')}.`);
    return { status: 200, body: subscriptionJson(site.createSubscription(endpointUrl, topics), true) };
  }
  const match = /^\/1\.0\/webhook_subscriptions\/([^/]+)(\/actions\/(rotateSecret|sendTestNotification))?$/.exec(path);
  const subscription = match ? site.subscriptions.get(match[1]!) : undefined;
  if (!match || !subscription) return notFound('Webhook subscription not found.');
  const action = match[3];
  if (method === 'GET' && !action) return { status: 200, body: subscriptionJson(subscription, false) };
  if (method === 'POST' && !action) {
    if (input.endpointUrl !== undefined) {
      const endpointUrl = validEndpoint(input.endpointUrl, options);
      if (!endpointUrl) return invalid('endpointUrl must be an absolute HTTPS URL.');
      subscription.endpointUrl = endpointUrl;
    }
    if (input.topics !== undefined) {
      const topics = validTopics(input.topics);
      if (!topics) return invalid(`topics must be a non-empty list of ${WEBHOOK_TOPICS.join(', ')}.`);
      subscription.topics = topics;
    }
    subscription.updatedOn = new Date().toISOString();
    return { status: 200, body: subscriptionJson(subscription, false) };
  }
  if (method === 'DELETE' && !action) {
    site.subscriptions.delete(subscription.id);
    return { status: 204, body: null };
  }
  if (method === 'POST' && action === 'rotateSecret') {
    subscription.secret = randomBytes(32).toString('hex');
    return { status: 200, body: { secret: subscription.secret } };
  }
  if (method === 'POST' && action === 'sendTestNotification') {
    const topic = typeof input.topic === 'string' ? input.topic : '';
    if (!subscription.topics.includes(topic)) return invalid('topic must be one of the subscription\'s topics.');
    events.subscriptionTest(subscription, topic);
    return { status: 200, body: { statusCode: 200 } };
  }
  return squarespaceError(405, 'METHOD_NOT_ALLOWED', null, `${method} is not allowed here.`);
}
