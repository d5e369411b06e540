import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { FaultInjector, registerFaultRoutes } from '../common/fault-injector.js';
import { listenOnLoopback, type RunningServer } from '../common/listen.js';
import { dataFields, type PersistedParts } from '../common/persisted-state.js';
import { answerApi, type ApiOptions } from './api-routes.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import type { SquarespaceOrderInput } from './order-builder.js';
import type { SquarespaceProductInput, SquarespaceProfileInput } from './catalog-builder.js';
import { authenticate, RateLimiter, squarespaceError, userAgentRefusal, type SquarespaceError } from './request-gate.js';
import { SquarespaceSite, type SiteOptions } from './site.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

export interface SquarespaceEmulatorOptions extends SiteOptions, Partial<ApiOptions> {
  port?: number;
  logger?: boolean;
}

/** In-process control of the emulated site (the same as its HTTP control API under /_emulator). */
export class SquarespaceEmulatorControl {
  /** Every API request, with its User-Agent (the product must always send one). */
  readonly requests: Array<{ method: string; url: string; userAgent: string | null; status: number; at: string }> = [];
  readonly consent = { denyNextConsent: false };
  /** Faults of the Commerce APIs (the site down, 5xx, slow): latency, failNext, throttleNext; OAuth is not affected. */
  readonly faults = new FaultInjector();

  constructor(
    readonly site: SquarespaceSite,
    readonly webhooks: WebhookDeliverer,
    readonly limiter: RateLimiter,
  ) {}

  /** What of the site outlives a restart of the demo: its id, orders, tokens and subscriptions (not its settings). */
  persistentParts(): PersistedParts {
    return {
      site: dataFields(this.site, ['clientId', 'clientSecret', 'siteTitle', 'currency', 'accessTokenTtlMs', 'refreshTokenTtlMs', 'pageSize', 'listOrder', 'profilesForOAuth', 'rateLimit', 'refundListing', 'refundListingDelayMs']),
    };
  }

  /** A customer checks out: the order exists and order.create is sent. */
  createOrder(input: SquarespaceOrderInput): Record<string, unknown> {
    const order = this.site.createOrder(input);
    this.webhooks.notify('order.create', { orderId: order.id });
    return order;
  }

  /** The merchant changes the order (`update`: FULFILLED, CANCELED, REFUNDED…): order.update is sent. */
  updateOrder(id: string, patch: Record<string, unknown>, update = 'FULFILLED'): Record<string, unknown> | null {
    const order = this.site.updateOrder(id, patch);
    if (order) this.webhooks.notify('order.update', { orderId: id, update });
    return order;
  }

  /**
   * The merchant refunds part or all of the order (SquarespaceSite.refundOrder): order.update with REFUNDED is sent,
   * except for a gateway refund Squarespace never sees.
   */
  refundOrder(id: string, amount: string, atGateway?: 'shown' | 'unseen'): ReturnType<SquarespaceSite['refundOrder']> {
    const refunded = this.site.refundOrder(id, amount, atGateway);
    if (refunded && atGateway !== 'unseen') this.webhooks.notify('order.update', { orderId: id, update: 'REFUNDED' });
    return refunded;
  }

  /** Pending refunds (the site's refundListing `later`) appear in their Transactions documents now; no notification. */
  listPendingRefunds(orderId?: string): number {
    return this.site.listPendingRefunds(orderId);
  }

  /**
   * A product added in the panel, or a site user who subscribed or registered without buying. Squarespace has no
   * notification topic for either (FIDELITY: webhooks): nothing is sent.
   */
  createProduct(input: SquarespaceProductInput): Record<string, unknown> {
    return this.site.createProduct(input);
  }

  createProfile(input: SquarespaceProfileInput): Record<string, unknown> {
    return this.site.createProfile(input);
  }

  /** The merchant removes the extension: extension.uninstall is sent, then every token is dead [S/U]. */
  uninstall(): void {
    this.webhooks.notify('extension.uninstall', { clientId: this.site.clientId, websiteId: this.site.websiteId });
    this.site.revokeAll();
  }

  /** The grant is gone without a notification (revoked in the panel, or the notification lost). */
  revokeTokens(): number {
    return this.site.revokeAll();
  }

  expireAccessTokens(): void {
    this.site.expireAccessTokens();
  }

  /** The site's clients are over the limit now: a cool-down starts. */
  throttle(): void {
    this.limiter.lockOut();
  }

  dropNextWebhooks(count: number): void {
    this.webhooks.dropNext += count;
  }

  /** Deletes a subscription as Squarespace may after repeated failures [S]. */
  removeSubscription(id?: string): number {
    const ids = id ? [id] : [...this.site.subscriptions.keys()];
    for (const each of ids) this.site.subscriptions.delete(each);
    return ids.length;
  }
}

export interface SquarespaceEmulator extends RunningServer {
  control: SquarespaceEmulatorControl;
  app: FastifyInstance;
}

function sendError(reply: FastifyReply, error: SquarespaceError): FastifyReply {
  return reply.code(error.status).type('application/json').send(error.body);
}

/**
 * Starts a Squarespace emulator on 127.0.0.1: the OAuth provider (login.squarespace.com) and the Commerce APIs
 * (api.squarespace.com) on one origin, the webhook sender, and a control API under /_emulator.
 */
export async function startSquarespaceEmulator(options: SquarespaceEmulatorOptions = {}): Promise<SquarespaceEmulator> {
  const site = new SquarespaceSite(options);
  const deliverer = new WebhookDeliverer(site);
  const limiter = new RateLimiter(site);
  const control = new SquarespaceEmulatorControl(site, deliverer, limiter);
  const apiOptions: ApiOptions = { httpEndpointHosts: options.httpEndpointHosts ?? [] };
  const app = Fastify({ logger: options.logger ?? false });
  app.addContentTypeParser(/^application\/json/, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (!text.trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, { __invalidJson: true });
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));

  registerOAuthRoutes(app, site, control.consent, sendError);

  const api = async (request: import('fastify').FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.raw.url ?? '/', 'http://emulator');
    const at = new Date().toISOString();
    const userAgent = request.headers['user-agent'] ?? null;
    const fault = await control.faults.before();
    const answer = (() => {
      // 500 SERVER_ERROR / 503 SERVICE_UNAVAILABLE (FIDELITY: requests [S]).
      if (fault === 'fail') return squarespaceError(control.faults.current.failStatus, control.faults.current.failStatus === 503 ? 'SERVICE_UNAVAILABLE' : 'SERVER_ERROR', null, 'The service is unavailable. Try again later.');
      if (fault === 'throttle') return squarespaceError(429, 'TOO_MANY_REQUESTS', null, 'Too many requests. Try again in a minute.');
      const refused = userAgentRefusal(userAgent ?? undefined);
      if (refused) return refused;
      const auth = authenticate(site, request.headers.authorization);
      if ('error' in auth) return auth.error;
      // The limit counts authenticated calls of the site's clients.
      if (!limiter.admit()) return squarespaceError(429, 'TOO_MANY_REQUESTS', null, 'Too many requests. Try again in a minute.');
      if ((request.body as { __invalidJson?: boolean } | undefined)?.__invalidJson) return squarespaceError(400, 'INVALID_REQUEST_ERROR', 'INVALID_ARGUMENT', 'The request body is not valid JSON.');
      if (request.body !== undefined && !/^application\/json/.test(request.headers['content-type'] ?? '')) {
        return squarespaceError(400, 'INVALID_REQUEST_ERROR', 'INVALID_CONTENT_TYPE', 'Content-Type must be application/json.');
      }
      return answerApi(site, { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: request.body, token: auth.token }, apiOptions, {
        subscriptionTest: (subscription, topic) => deliverer.notify(topic, { orderId: 'test', update: 'TEST' }, subscription),
      });
    })();
    control.requests.push({ method: request.method, url: request.raw.url ?? '', userAgent, status: answer.status, at });
    if (answer.status === 204) return reply.code(204).send();
    return reply.code(answer.status).type('application/json').send(JSON.stringify(answer.body));
  };
  for (const prefix of ['/1.0/*', '/v2/*']) app.all(prefix, api);

  registerControlRoutes(app, control);
  const server = await listenOnLoopback(app, options.port ?? 0);
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

function registerControlRoutes(app: FastifyInstance, control: SquarespaceEmulatorControl): void {
  const body = (request: { body: unknown }) => (request.body ?? {}) as Record<string, unknown>;
  app.post('/_emulator/orders', async (request, reply) => reply.code(201).send(control.createOrder(request.body as SquarespaceOrderInput)));
  app.post('/_emulator/orders/:id', async (request, reply) => {
    const { update, ...patch } = body(request);
    const order = control.updateOrder((request.params as { id: string }).id, patch, typeof update === 'string' ? update : 'FULFILLED');
    return order ?? reply.code(404).send({ error: 'no such order' });
  });
  app.post('/_emulator/orders/:id/refunds', async (request, reply) => {
    const { amount, atGateway } = body(request);
    if (typeof amount !== 'string') return reply.code(400).send({ error: 'amount (a decimal string) is required' });
    try {
      const refunded = control.refundOrder((request.params as { id: string }).id, amount, atGateway === 'shown' || atGateway === 'unseen' ? atGateway : undefined);
      return refunded ? reply.code(201).send(refunded) : reply.code(404).send({ error: 'no such order' });
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  app.post('/_emulator/refunds/list-pending', async (request) => ({ listed: control.listPendingRefunds(body(request).orderId as string | undefined) }));
  app.post('/_emulator/refund-listing', async (request, reply) => {
    const { mode, delayMs } = body(request);
    if (mode !== 'at_once' && mode !== 'later') return reply.code(400).send({ error: "mode is 'at_once' or 'later'" });
    control.site.refundListing = mode;
    control.site.refundListingDelayMs = typeof delayMs === 'number' ? delayMs : null;
    return { mode, delayMs: control.site.refundListingDelayMs };
  });
  registerFaultRoutes(app, control.faults);
  app.post('/_emulator/products', async (request, reply) => reply.code(201).send(control.createProduct(request.body as SquarespaceProductInput)));
  app.post('/_emulator/profiles', async (request, reply) => reply.code(201).send(control.createProfile(request.body as SquarespaceProfileInput)));
  app.post('/_emulator/uninstall', async () => (control.uninstall(), { uninstalled: true }));
  app.post('/_emulator/tokens/revoke', async () => ({ revoked: control.revokeTokens() }));
  app.post('/_emulator/tokens/expire', async () => (control.expireAccessTokens(), { expired: true }));
  app.post('/_emulator/throttle', async () => (control.throttle(), { coolingDownUntil: new Date(control.limiter.coolingDownUntil).toISOString() }));
  app.post('/_emulator/webhooks/drop', async (request) => {
    control.dropNextWebhooks(Number(body(request).count ?? 1));
    return { dropNext: control.webhooks.dropNext };
  });
  app.post('/_emulator/subscriptions/remove', async (request) => ({ removed: control.removeSubscription(body(request).id as string | undefined) }));
  app.get('/_emulator/subscriptions', async () => [...control.site.subscriptions.values()].map(({ secret: _secret, ...rest }) => rest));
  app.get('/_emulator/deliveries', async () => control.webhooks.deliveries);
  app.get('/_emulator/requests', async () => control.requests);
}
