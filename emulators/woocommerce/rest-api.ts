import type { WebhookDeliverer } from './webhook-deliverer.js';
import { isValidTopic, type WooSite } from './site.js';
import type { ApiKey } from './site.js';
import { lastWins, type WooError } from './rest-authentication.js';

/** One wc/v3 request after authentication: the route below `/wc/v3`, its query (last value wins) and JSON body. */
export interface RestCall {
  method: string;
  route: string;
  query: Array<[string, string]>;
  body: unknown;
  /** null: nobody authenticated (no credentials reached WooCommerce). */
  key: ApiKey | null;
  /** `${origin}/wp-json/wc/v3` or the ?rest_route= form, for Link headers. */
  linkBase: (route: string, params: Record<string, string>) => string;
}

export interface RestAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAX_PER_PAGE = 100;

export function wooError(error: WooError, extra: Record<string, unknown> = {}): RestAnswer {
  return { status: error.status, body: { code: error.code, message: error.message, data: { status: error.status, ...extra } }, ...(error.headers ? { headers: error.headers } : {}) };
}

/** The capability check each controller makes when no user is logged in: 401 with its own code. */
function notAllowed(method: string, collection: boolean): RestAnswer {
  const verb = method.toUpperCase();
  if (verb === 'POST') return wooError({ status: 401, code: 'woocommerce_rest_cannot_create', message: 'Sorry, you are not allowed to create resources.' });
  if (verb === 'PUT' || verb === 'PATCH') return wooError({ status: 401, code: 'woocommerce_rest_cannot_edit', message: 'Sorry, you are not allowed to edit this resource.' });
  if (verb === 'DELETE') return wooError({ status: 401, code: 'woocommerce_rest_cannot_delete', message: 'Sorry, you are not allowed to delete this resource.' });
  return wooError({ status: 401, code: 'woocommerce_rest_cannot_view', message: collection ? 'Sorry, you cannot list resources.' : 'Sorry, you cannot view this resource.' });
}

const noRoute = (): RestAnswer => wooError({ status: 404, code: 'rest_no_route', message: 'No route was found matching the URL and request method.' });

function invalidParam(name: string, why: string): RestAnswer {
  return wooError({ status: 400, code: 'rest_invalid_param', message: `Invalid parameter(s): ${name}` }, { params: { [name]: why }, details: {} });
}

/** wc/v3 routes the emulator serves (schema-facts.json). */
export function answerRest(site: WooSite, webhooks: WebhookDeliverer, siteUrl: string, call: RestCall): Promise<RestAnswer> | RestAnswer {
  const { method, route } = call;
  const verb = method.toUpperCase();
  const parts = route.replace(/^\/+|\/+$/g, '').split('/');
  const [resource, id, sub] = parts;
  const collection = id === undefined;
  // WooPayments' routes exist only with the plugin; its permission check is current_user_can('manage_woocommerce').
  if (resource === 'payments') {
    if (!site.wooPayments) return noRoute();
    if (!call.key) return wooError({ status: 401, code: 'rest_forbidden', message: 'Sorry, you are not allowed to do that.' });
    return site.wooPayments.answer(verb, parts.slice(1), lastWins(call.query)) ?? noRoute();
  }
  if (!call.key) return resource && ['orders', 'products', 'customers', 'webhooks', 'system_status'].includes(resource) ? notAllowed(method, collection) : noRoute();
  const params = lastWins(call.query);

  if (resource === 'orders' && collection && verb === 'GET') return listOrders(site, params, call);
  if (resource === 'orders' && id && !sub && verb === 'GET') {
    const order = site.orders.get(Number(id));
    return order ? { status: 200, body: order } : wooError({ status: 404, code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' });
  }
  if (resource === 'orders' && id && sub === 'refunds' && verb === 'GET') {
    if (!site.orders.has(Number(id))) return wooError({ status: 404, code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' });
    return { status: 200, body: site.refunds.get(Number(id)) ?? [] };
  }
  if (resource === 'products' && collection && verb === 'GET') {
    const all = [...site.products.values()].filter((p) => !params.sku || p.sku === params.sku);
    return paged(all, params, call, 'products');
  }
  if (resource === 'products' && id && sub === 'variations' && verb === 'GET') {
    const variations = site.variations.get(Number(id));
    return variations ? paged(variations, params, call, `products/${id}/variations`) : wooError({ status: 404, code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.' });
  }
  if (resource === 'customers' && collection && verb === 'GET') return paged([...site.customers.values()], params, call, 'customers');
  if (resource === 'customers' && id && !sub && verb === 'GET') {
    const customer = site.customers.get(Number(id));
    return customer ? { status: 200, body: customer } : wooError({ status: 404, code: 'woocommerce_rest_invalid_id', message: 'Invalid resource ID.' });
  }
  if (resource === 'products' && id && !sub && verb === 'GET') {
    const product = site.products.get(Number(id));
    return product ? { status: 200, body: product } : wooError({ status: 404, code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.' });
  }
  if (resource === 'system_status' && collection && verb === 'GET') {
    return { status: 200, body: { environment: { home_url: siteUrl, site_url: siteUrl, version: '9.4.0', wp_version: '6.7.0' }, settings: { currency: 'GBP' } } };
  }
  if (resource === 'webhooks') return answerWebhooks(site, webhooks, verb, id, params, call);
  return noRoute();
}

function listOrders(site: WooSite, params: Record<string, string>, call: RestCall): RestAnswer {
  const gmt = params.dates_are_gmt === 'true' || params.dates_are_gmt === '1';
  const bound = (name: string): number | null | RestAnswer => {
    const text = params[name];
    if (text === undefined) return null;
    const at = parseRestDate(text, gmt ? 0 : site.utcOffsetMinutes);
    return at === null ? invalidParam(name, `Invalid date.`) : at;
  };
  const after = bound('modified_after');
  const before = bound('modified_before');
  if (after !== null && typeof after === 'object') return after;
  if (before !== null && typeof before === 'object') return before;
  const orderby = params.orderby ?? 'date';
  if (!['date', 'id', 'include', 'title', 'slug', 'modified'].includes(orderby)) {
    return invalidParam('orderby', 'orderby is not one of date, id, include, title, slug, and modified.');
  }
  const order = params.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') return invalidParam('order', 'order is not one of asc and desc.');
  const modifiedAt = (o: Record<string, unknown>) => Date.parse(`${o.date_modified_gmt as string}Z`);
  let orders = [...site.orders.values()].filter((o) => (after === null || modifiedAt(o) > after) && (before === null || modifiedAt(o) < before));
  if (params.status && params.status !== 'any') orders = orders.filter((o) => o.status === params.status);
  const key = (o: Record<string, unknown>): number =>
    orderby === 'id' ? (o.id as number) : orderby === 'modified' ? modifiedAt(o) : Date.parse(`${o.date_created_gmt as string}Z`) * 1000 + (o.id as number) / 1e6;
  orders.sort((a, b) => (order === 'asc' ? key(a) - key(b) : key(b) - key(a)) || (a.id as number) - (b.id as number));
  return paged(orders, params, call, 'orders');
}

/** rest_parse_date: an ISO 8601 date; without an offset it is read in `offsetMinutes` (site time, or UTC with dates_are_gmt). */
function parseRestDate(text: string, offsetMinutes: number): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) return null;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(text);
  const at = Date.parse(hasOffset ? text : `${text}Z`);
  if (Number.isNaN(at)) return null;
  return hasOffset ? at : at - offsetMinutes * 60_000;
}

function paged(items: unknown[], params: Record<string, string>, call: RestCall, route: string): RestAnswer {
  const perPage = params.per_page === undefined ? 10 : Number(params.per_page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    return invalidParam('per_page', `per_page must be between 1 (inclusive) and ${MAX_PER_PAGE} (inclusive)`);
  }
  const page = params.page === undefined ? 1 : Number(params.page);
  if (!Number.isInteger(page) || page < 1) return invalidParam('page', 'page must be greater than or equal to 1');
  const totalPages = Math.ceil(items.length / perPage);
  const { oauth_consumer_key, oauth_nonce, oauth_signature, oauth_signature_method, oauth_timestamp, oauth_version, consumer_key, consumer_secret, ...kept } = params;
  const links: string[] = [];
  if (page > 1) links.push(`<${call.linkBase(route, { ...kept, page: String(page - 1) })}>; rel="prev"`);
  if (page < totalPages) links.push(`<${call.linkBase(route, { ...kept, page: String(page + 1) })}>; rel="next"`);
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: { 'X-WP-Total': String(items.length), 'X-WP-TotalPages': String(totalPages), ...(links.length ? { Link: links.join(', ') } : {}) },
  };
}

async function answerWebhooks(
  site: WooSite,
  deliverer: WebhookDeliverer,
  verb: string,
  id: string | undefined,
  params: Record<string, string>,
  call: RestCall,
): Promise<RestAnswer> {
  const body = (call.body ?? {}) as Record<string, unknown>;
  const invalidId = () => wooError({ status: 404, code: 'woocommerce_rest_shop_webhook_invalid_id', message: 'Invalid ID.' });
  if (id === undefined && verb === 'GET') {
    const all = [...site.webhooks.values()].filter((w) => !params.status || params.status === 'all' || w.status === params.status);
    return paged(all.map((w) => site.webhookJson(w)), params, call, 'webhooks');
  }
  if (id === undefined && verb === 'POST') {
    const topic = typeof body.topic === 'string' ? body.topic : '';
    if (!topic || !isValidTopic(topic)) return wooError({ status: 400, code: 'woocommerce_rest_shop_webhook_invalid_topic', message: 'Webhook topic is required and must be valid.' });
    const url = typeof body.delivery_url === 'string' ? body.delivery_url : '';
    if (!/^https?:\/\/[^\s]+$/i.test(url)) {
      return wooError({ status: 400, code: 'woocommerce_rest_shop_webhook_invalid_delivery_url', message: 'Webhook delivery URL must be a valid URL starting with http:// or https://.' });
    }
    const status = body.status === 'paused' || body.status === 'disabled' ? body.status : 'active';
    const webhook = site.createWebhook({ topic, deliveryUrl: url, status, ...(typeof body.name === 'string' ? { name: body.name } : {}), ...(typeof body.secret === 'string' && body.secret ? { secret: body.secret } : {}) });
    // The ping's answer does not decide anything for a REST create.
    if (webhook.status === 'active') await deliverer.ping(webhook);
    return { status: 201, body: site.webhookJson(webhook) };
  }
  const webhook = id === undefined ? undefined : site.webhooks.get(Number(id));
  if (!webhook) return invalidId();
  if (verb === 'GET') return { status: 200, body: site.webhookJson(webhook) };
  if (verb === 'PUT' || verb === 'PATCH' || verb === 'POST') {
    if (body.topic !== undefined && (typeof body.topic !== 'string' || !isValidTopic(body.topic))) {
      return wooError({ status: 400, code: 'woocommerce_rest_shop_webhook_invalid_topic', message: 'Webhook topic is required and must be valid.' });
    }
    if (typeof body.status === 'string' && ['active', 'paused', 'disabled'].includes(body.status)) {
      webhook.status = body.status as typeof webhook.status;
      // Re-activating starts counting failures afresh.
      if (webhook.status === 'active') webhook.failureCount = 0;
    }
    if (typeof body.delivery_url === 'string') webhook.deliveryUrl = body.delivery_url;
    if (typeof body.secret === 'string' && body.secret) webhook.secret = body.secret;
    if (typeof body.topic === 'string') webhook.topic = body.topic.toLowerCase();
    if (typeof body.name === 'string') webhook.name = body.name;
    webhook.modifiedAt = new Date();
    return { status: 200, body: site.webhookJson(webhook) };
  }
  if (verb === 'DELETE') {
    if (params.force !== 'true' && params.force !== '1') {
      return wooError({ status: 501, code: 'woocommerce_rest_trash_not_supported', message: 'Webhooks do not support trashing.' });
    }
    site.webhooks.delete(webhook.id);
    return { status: 200, body: site.webhookJson(webhook) };
  }
  return noRoute();
}
