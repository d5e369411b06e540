import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { listenOnLoopback, type RunningServer } from '../common/listen.js';
import { registerKeyGrantRoutes, type KeyGrantOptions } from './key-grant-routes.js';
import { authenticate } from './rest-authentication.js';
import { answerRest, wooError, type RestAnswer } from './rest-api.js';
import { WooSite, type KeyPermissions, type RefundItemInput, type SiteOptions, type WooCustomerInput, type WooProductInput } from './site.js';
import { WebhookDeliverer, type DelivererOptions } from './webhook-deliverer.js';
import type { WooOrderInput } from './order-builder.js';
import { WooPaymentsAccount, type WooPaymentsDepositInput } from './woopayments.js';
import { dataFields, type PersistedParts } from '../common/persisted-state.js';

export interface WooCommerceEmulatorOptions extends SiteOptions, KeyGrantOptions {
  port?: number;
  /**
   * is_ssl(): the site is taken as served over HTTPS (a TLS proxy in front with HTTPS=on), so Basic auth and
   * consumer_key/consumer_secret query parameters are accepted. Default false: plain HTTP, OAuth 1.0a only.
   */
  ssl?: boolean;
  webhooks?: DelivererOptions;
  logger?: boolean;
}

/** How the site fails to answer: the connection is reset, or the host answers an HTML 503 (a WAF, a PHP crash). */
export type Unreachable = false | 'reset' | 'html-503';

/** In-process control of the emulated site (the same as its HTTP control API under /_emulator). */
export class WooCommerceEmulatorControl {
  unreachable: Unreachable = false;
  /** Every request the REST API received, with its raw query (repeated keys kept). */
  readonly requests: Array<{ method: string; url: string }> = [];

  constructor(
    readonly site: WooSite,
    readonly webhooks: WebhookDeliverer,
  ) {}

  createOrder(input: WooOrderInput): Record<string, unknown> {
    const order = this.site.createOrder(input);
    this.webhooks.saved('order', order.id as number, 'created');
    return order;
  }

  updateOrder(id: number, patch: Record<string, unknown>): Record<string, unknown> | null {
    const order = this.site.updateOrder(id, patch);
    if (order) this.webhooks.saved('order', id, 'updated');
    return order;
  }

  /** order.updated fires on woocommerce_order_refunded: there is no refund topic. */
  refundOrder(id: number, amount: string, reason = '', items: RefundItemInput[] = []): Record<string, unknown> | null {
    const refund = this.site.refundOrder(id, amount, reason, new Date(), items);
    if (refund) this.webhooks.saved('order', id, 'updated');
    return refund;
  }

  /** A product saved in wp-admin: fires `product.created`. */
  createProduct(input: WooProductInput): Record<string, unknown> {
    const product = this.site.addProduct(input);
    this.webhooks.saved('product', product.id as number, 'created');
    return product;
  }

  /** A customer registered (or added in wp-admin): fires `customer.created`. */
  createCustomer(input: WooCustomerInput): Record<string, unknown> {
    const customer = this.site.addCustomer(input);
    this.webhooks.saved('customer', customer.id as number, 'created');
    return customer;
  }

  /** A product or customer edited: fires `product.updated` / `customer.updated`. */
  updateRecord(resource: 'products' | 'customers', id: number, patch: Record<string, unknown>): Record<string, unknown> | null {
    const record = this.site.updateRecord(resource, id, patch);
    if (record) this.webhooks.saved(resource === 'products' ? 'product' : 'customer', id, 'updated');
    return record;
  }

  /** Installs WooPayments (its routes answer) or removes it (they answer rest_no_route again). */
  setWooPayments(installed: boolean): void {
    this.site.wooPayments = installed ? (this.site.wooPayments ?? new WooPaymentsAccount()) : null;
  }

  /** A WooPayments deposit paid out with its transactions (installs WooPayments if the site had not). */
  createDeposit(input: WooPaymentsDepositInput): Record<string, unknown> {
    this.setWooPayments(true);
    return this.site.wooPayments!.createDeposit(input);
  }

  createKey(permissions: KeyPermissions = 'read_write'): { consumerKey: string; consumerSecret: string } {
    const key = this.site.createKey(1, 'control', permissions);
    return { consumerKey: key.consumerKey, consumerSecret: key.consumerSecret };
  }

  revokeKeys(consumerKey?: string): number {
    return this.site.revokeKey(consumerKey);
  }

  dropNextDeliveries(count: number): void {
    this.webhooks.dropNext += count;
  }

  webhookList() {
    return [...this.site.webhooks.values()];
  }

  /** What a demo keeps across restarts (emulators/common/persisted-state.ts): keys, orders, products, customers, webhooks (not WooPayments: a class, and tests make its deposits). */
  persistentParts(): PersistedParts {
    return { site: dataFields(this.site, ['name', 'utcOffsetMinutes', 'wooPayments']) };
  }
}

export interface WooCommerceEmulator extends RunningServer {
  control: WooCommerceEmulatorControl;
  app: FastifyInstance;
}

/** Starts a WooCommerce site emulator on 127.0.0.1: wc/v3 REST, key grants, webhooks, control API. */
export async function startWooCommerceEmulator(options: WooCommerceEmulatorOptions = {}): Promise<WooCommerceEmulator> {
  const site = new WooSite(options);
  let origin = '';
  const deliverer = new WebhookDeliverer(site, () => origin, options.webhooks);
  const control = new WooCommerceEmulatorControl(site, deliverer);
  const app = Fastify({ logger: options.logger ?? false });
  // WordPress reads the body itself: a malformed one is its own 400, not Fastify's.
  app.addContentTypeParser(/^application\/json/, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, { __invalidJson: true });
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));

  const rest = async (request: FastifyRequest, reply: FastifyReply, route: string, linkForm: 'pretty' | 'plain') => {
    control.requests.push({ method: request.method, url: request.raw.url ?? '' });
    if (control.unreachable === 'reset') {
      request.raw.socket.destroy();
      return reply;
    }
    if (control.unreachable === 'html-503') return reply.code(503).type('text/html').send('<html><body><h1>503 Service Unavailable</h1></body></html>');
    const rawUrl = new URL(request.raw.url ?? '/', 'http://emulator');
    const query = [...rawUrl.searchParams.entries()];
    if ((request.body as { __invalidJson?: boolean } | undefined)?.__invalidJson) {
      return send(reply, wooError({ status: 400, code: 'rest_invalid_json', message: 'Invalid JSON body passed.' }));
    }
    const auth = authenticate(site, {
      method: request.method,
      host: request.headers.host ?? '',
      path: rawUrl.pathname,
      query,
      authorization: request.headers.authorization,
      ssl: options.ssl ?? false,
    });
    if (auth.kind === 'refused') return send(reply, wooError(auth.error));
    const linkBase = (path: string, params: Record<string, string>) => {
      const search = new URLSearchParams(params).toString();
      return linkForm === 'pretty'
        ? `${origin}/wp-json/wc/v3/${path}${search ? `?${search}` : ''}`
        : `${origin}/?rest_route=${encodeURIComponent(`/wc/v3/${path}`)}${search ? `&${search}` : ''}`;
    };
    return send(reply, await answerRest(site, deliverer, origin, { method: request.method, route, query, body: request.body, key: auth.kind === 'key' ? auth.key : null, linkBase }));
  };

  // Pretty permalinks.
  app.all('/wp-json/wc/v3/*', (request, reply) => rest(request, reply, (request.params as { '*': string })['*'], 'pretty'));
  app.all('/wp-json/*', (_request, reply) => send(reply, wooError({ status: 404, code: 'rest_no_route', message: 'No route was found matching the URL and request method.' })));
  // Plain permalinks: ?rest_route=/wc/v3/orders.
  app.all('/', (request, reply) => {
    const route = (request.query as Record<string, string>).rest_route ?? '';
    if (!route.startsWith('/wc/v3/') && route !== '/wc/v3') {
      return send(reply, wooError({ status: 404, code: 'rest_no_route', message: 'No route was found matching the URL and request method.' }));
    }
    return rest(request, reply, route.slice('/wc/v3'.length), 'plain');
  });
  registerKeyGrantRoutes(app, site, options);
  registerControlRoutes(app, control);

  const server = await listenOnLoopback(app, options.port ?? 0);
  origin = server.origin;
  return {
    ...server,
    control,
    app,
    close: async () => {
      deliverer.close();
      await server.close();
    },
  };
}

function send(reply: FastifyReply, answer: RestAnswer) {
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  return reply.code(answer.status).type('application/json; charset=UTF-8').send(JSON.stringify(answer.body));
}

/** The control API a test or the demo drives over HTTP. */
function registerControlRoutes(app: FastifyInstance, control: WooCommerceEmulatorControl): void {
  app.post('/_emulator/orders', async (request, reply) => reply.code(201).send(control.createOrder(request.body as WooOrderInput)));
  app.post('/_emulator/orders/:id', async (request, reply) => {
    const order = control.updateOrder(Number((request.params as { id: string }).id), request.body as Record<string, unknown>);
    return order ? order : reply.code(404).send({ error: 'no such order' });
  });
  app.post('/_emulator/orders/:id/refunds', async (request, reply) => {
    const body = request.body as { amount: string; reason?: string; line_items?: RefundItemInput[] };
    const refund = control.refundOrder(Number((request.params as { id: string }).id), body.amount, body.reason, body.line_items);
    return refund ? refund : reply.code(404).send({ error: 'no such order' });
  });
  app.post('/_emulator/products', async (request, reply) => reply.code(201).send(control.createProduct(request.body as WooProductInput)));
  app.post('/_emulator/customers', async (request, reply) => reply.code(201).send(control.createCustomer(request.body as WooCustomerInput)));
  for (const resource of ['products', 'customers'] as const) {
    app.post(`/_emulator/${resource}/:id`, async (request, reply) => {
      const record = control.updateRecord(resource, Number((request.params as { id: string }).id), request.body as Record<string, unknown>);
      return record ? record : reply.code(404).send({ error: `no such ${resource === 'products' ? 'product' : 'customer'}` });
    });
  }
  app.post('/_emulator/woopayments', async (request) => {
    control.setWooPayments(((request.body ?? {}) as { installed?: boolean }).installed !== false);
    return { installed: control.site.wooPayments !== null };
  });
  app.post('/_emulator/woopayments/deposits', async (request, reply) => reply.code(201).send(control.createDeposit(request.body as WooPaymentsDepositInput)));
  app.post('/_emulator/keys', async (request) => control.createKey(((request.body ?? {}) as { permissions?: KeyPermissions }).permissions));
  app.post('/_emulator/keys/revoke', async (request) => ({ revoked: control.revokeKeys(((request.body ?? {}) as { consumerKey?: string }).consumerKey) }));
  app.post('/_emulator/unreachable', async (request) => {
    control.unreachable = ((request.body ?? {}) as { mode?: Unreachable }).mode ?? 'reset';
    return { unreachable: control.unreachable };
  });
  app.post('/_emulator/reachable', async () => {
    control.unreachable = false;
    return { unreachable: false };
  });
  app.post('/_emulator/webhooks/drop', async (request) => {
    control.dropNextDeliveries(((request.body ?? {}) as { count?: number }).count ?? 1);
    return { dropNext: control.webhooks.dropNext };
  });
  app.get('/_emulator/webhooks', async () => control.webhookList().map((w) => ({ ...control.site.webhookJson(w), failure_count: w.failureCount })));
  app.get('/_emulator/deliveries', async () => control.webhooks.deliveries);
}
