import { createHmac, randomUUID } from 'node:crypto';
import { stringifyWithBigInts } from './json-with-big-ids.js';

/** Topics an app subscribes to through webhookSubscriptionCreate (and the emulator sends). */
export type WebhookTopic =
  | 'ORDERS_CREATE'
  | 'ORDERS_UPDATED'
  | 'ORDERS_CANCELLED'
  | 'REFUNDS_CREATE'
  | 'APP_UNINSTALLED'
  | 'CUSTOMERS_CREATE'
  | 'CUSTOMERS_UPDATE'
  | 'PRODUCTS_CREATE'
  | 'PRODUCTS_UPDATE';
/** Mandatory privacy topics: not subscribable through the API, sent to the URLs in the app's configuration. */
export type ComplianceTopic = 'CUSTOMERS_DATA_REQUEST' | 'CUSTOMERS_REDACT' | 'SHOP_REDACT';
type AnyTopic = WebhookTopic | ComplianceTopic;

/** GraphQL enum → the REST name Shopify puts in X-Shopify-Topic. */
export const TOPIC_NAMES: Record<AnyTopic, string> = {
  ORDERS_CREATE: 'orders/create',
  ORDERS_UPDATED: 'orders/updated',
  ORDERS_CANCELLED: 'orders/cancelled',
  REFUNDS_CREATE: 'refunds/create',
  APP_UNINSTALLED: 'app/uninstalled',
  CUSTOMERS_CREATE: 'customers/create',
  CUSTOMERS_UPDATE: 'customers/update',
  PRODUCTS_CREATE: 'products/create',
  PRODUCTS_UPDATE: 'products/update',
  CUSTOMERS_DATA_REQUEST: 'customers/data_request',
  CUSTOMERS_REDACT: 'customers/redact',
  SHOP_REDACT: 'shop/redact',
};

const DELIVERABLE: readonly string[] = [
  'ORDERS_CREATE',
  'ORDERS_UPDATED',
  'ORDERS_CANCELLED',
  'REFUNDS_CREATE',
  'APP_UNINSTALLED',
  'CUSTOMERS_CREATE',
  'CUSTOMERS_UPDATE',
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
];

export function isDeliverableTopic(topic: string): topic is WebhookTopic {
  return DELIVERABLE.includes(topic);
}

export function complianceTopicFromName(name: string): ComplianceTopic | null {
  const entry = Object.entries(TOPIC_NAMES).find(([enumName, restName]) => (restName === name || enumName === name) && !DELIVERABLE.includes(enumName));
  return entry ? (entry[0] as ComplianceTopic) : null;
}

export interface WebhookSubscription {
  id: string;
  shop: string;
  topic: WebhookTopic;
  callbackUrl: string;
  createdAt: string;
}

/** Something that happened in a shop; every delivery of it carries the same event id. */
export interface WebhookEvent {
  eventId: string;
  shop: string;
  topic: AnyTopic;
  /** The exact body sent (and signed) on every delivery. */
  body: string;
  triggeredAt: string;
}

export interface DeliveryAttempt {
  at: string;
  /** HTTP status, or null when the request failed (refused, reset, timed out). */
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  webhookId: string;
  eventId: string;
  /** The subscription delivered to; "compliance" for the privacy topics (app configuration). */
  subscriptionId: string;
  shop: string;
  topic: AnyTopic;
  callbackUrl: string;
  kind: 'original' | 'redelivery';
  /** dropped: never sent (the `dropNext` fault), as when Shopify loses an event; a redelivery still sends it. */
  state: 'scheduled' | 'in_flight' | 'retrying' | 'delivered' | 'failed' | 'dropped';
  attempts: DeliveryAttempt[];
}

export interface RedeliveryOptions {
  /** How many extra deliveries to send (default 1). */
  times?: number;
  /** Wait before sending, to arrive late and out of order (default 0). */
  delayMs?: number;
  /** Reuse the original delivery's X-Shopify-Webhook-Id, as a Shopify retry does (default: a new id). */
  sameWebhookId?: boolean;
}

export interface WebhookDispatcherOptions {
  apiSecret: string;
  apiVersion: string;
  /**
   * Waits between retries of a failed delivery. Shopify retries 8 times over 4 hours with exponential
   * backoff; the default keeps the count and the shape but compresses it to about 4 minutes.
   */
  retryDelaysMs?: number[];
  /** Shopify gives up on a delivery after 5 s. */
  timeoutMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000];

/** Signs and POSTs webhooks to subscriptions, retrying failures, and keeps a log of every attempt. */
export class WebhookDispatcher {
  private readonly subscriptions = new Map<string, WebhookSubscription>();
  private readonly eventLog = new Map<string, WebhookEvent>();
  private readonly deliveryLog: WebhookDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private nextSubscriptionId = 1_000_000_001;
  /** Events still to drop (see dropNext). */
  private eventsToDrop = 0;
  private readonly retryDelaysMs: number[];
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  subscribe(shop: string, topic: WebhookTopic, callbackUrl: string): WebhookSubscription {
    const subscription = { id: String(this.nextSubscriptionId++), shop, topic, callbackUrl, createdAt: new Date().toISOString() };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  unsubscribe(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  listSubscriptions(shop?: string): WebhookSubscription[] {
    return [...this.subscriptions.values()].filter((s) => !shop || s.shop === shop);
  }

  /**
   * The next `count` events (any topic, any shop) are recorded but never sent: a webhook that never arrives, which
   * Shopify does not promise against. Their deliveries show `dropped`; redeliver() still sends them (late).
   */
  dropNext(count: number): { dropNext: number } {
    this.eventsToDrop = Math.max(0, Math.floor(count));
    return { dropNext: this.eventsToDrop };
  }

  /** Records an event and delivers it to every subscription of its shop and topic. */
  trigger(shop: string, topic: WebhookTopic, payload: unknown): WebhookEvent {
    const event: WebhookEvent = {
      eventId: randomUUID(),
      shop,
      topic,
      body: stringifyWithBigInts(payload),
      triggeredAt: new Date().toISOString(),
    };
    this.eventLog.set(event.eventId, event);
    const dropped = this.eventsToDrop > 0;
    if (dropped) this.eventsToDrop--;
    for (const subscription of this.listSubscriptions(shop)) {
      if (subscription.topic !== topic) continue;
      const delivery: WebhookDelivery = {
        webhookId: randomUUID(),
        eventId: event.eventId,
        subscriptionId: subscription.id,
        shop,
        topic,
        callbackUrl: subscription.callbackUrl,
        kind: 'original',
        state: dropped ? 'dropped' : 'scheduled',
        attempts: [],
      };
      if (dropped) this.deliveryLog.push(delivery);
      else this.start(event, delivery, 0);
    }
    return event;
  }

  /**
   * A mandatory privacy webhook, sent to the compliance URL of the app's configuration (shopify.app.toml),
   * not to any API subscription.
   */
  triggerCompliance(shop: string, topic: ComplianceTopic, payload: unknown, complianceUrl: string): WebhookEvent {
    const event: WebhookEvent = { eventId: randomUUID(), shop, topic, body: stringifyWithBigInts(payload), triggeredAt: new Date().toISOString() };
    this.eventLog.set(event.eventId, event);
    this.start(event, {
      webhookId: randomUUID(),
      eventId: event.eventId,
      subscriptionId: 'compliance',
      shop,
      topic,
      callbackUrl: complianceUrl,
      kind: 'original',
      state: 'scheduled',
      attempts: [],
    }, 0);
    return event;
  }

  /** Sends an event again to the addresses it originally went to: duplicates, possibly late and out of order. */
  redeliver(eventId: string, options: RedeliveryOptions = {}): WebhookDelivery[] {
    const event = this.eventLog.get(eventId);
    if (!event) throw new Error(`unknown webhook event ${eventId}`);
    const originals = this.deliveryLog.filter((d) => d.eventId === eventId && d.kind === 'original');
    const created: WebhookDelivery[] = [];
    for (let i = 0; i < (options.times ?? 1); i++) {
      for (const original of originals) {
        const delivery: WebhookDelivery = {
          ...original,
          webhookId: options.sameWebhookId ? original.webhookId : randomUUID(),
          kind: 'redelivery',
          state: 'scheduled',
          attempts: [],
        };
        created.push(delivery);
        this.start(event, delivery, options.delayMs ?? 0);
      }
    }
    return created;
  }

  events(shop?: string): WebhookEvent[] {
    return [...this.eventLog.values()].filter((e) => !shop || e.shop === shop);
  }

  deliveries(filter: { eventId?: string; shop?: string } = {}): WebhookDelivery[] {
    return this.deliveryLog.filter(
      (d) => (!filter.eventId || d.eventId === filter.eventId) && (!filter.shop || d.shop === filter.shop),
    );
  }

  /** Resolves once no delivery is scheduled or in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.timers.size > 0) {
      await Promise.race([...this.inFlight, new Promise((resolve) => setTimeout(resolve, 10))]);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private start(event: WebhookEvent, delivery: WebhookDelivery, delayMs: number): void {
    if (!this.deliveryLog.includes(delivery)) this.deliveryLog.push(delivery);
    this.schedule(() => this.attempt(event, delivery), delayMs);
  }

  private schedule(run: () => Promise<void>, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const running = run().finally(() => this.inFlight.delete(running));
      this.inFlight.add(running);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(event: WebhookEvent, delivery: WebhookDelivery): Promise<void> {
    delivery.state = 'in_flight';
    const attempt: DeliveryAttempt = { at: new Date().toISOString(), status: null, error: null };
    try {
      const response = await fetch(delivery.callbackUrl, {
        method: 'POST',
        headers: this.headers(event, delivery),
        body: event.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      attempt.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      attempt.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    delivery.attempts.push(attempt);
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      delivery.state = 'delivered';
      return;
    }
    const retryDelay = this.retryDelaysMs[delivery.attempts.length - 1];
    if (retryDelay === undefined) {
      delivery.state = 'failed';
      return;
    }
    delivery.state = 'retrying';
    // A retry carries the original payload and webhook id, to the address fixed at trigger time.
    this.schedule(() => this.attempt(event, delivery), retryDelay);
  }

  private headers(event: WebhookEvent, delivery: WebhookDelivery): Record<string, string> {
    return {
      'Content-Type': 'application/json',
      'User-Agent': 'Shopify-Captain-Hook',
      'X-Shopify-Topic': TOPIC_NAMES[event.topic],
      'X-Shopify-Hmac-Sha256': createHmac('sha256', this.options.apiSecret).update(event.body, 'utf8').digest('base64'),
      'X-Shopify-Shop-Domain': event.shop,
      'X-Shopify-API-Version': this.options.apiVersion,
      'X-Shopify-Webhook-Id': delivery.webhookId,
      'X-Shopify-Event-Id': event.eventId,
      'X-Shopify-Triggered-At': event.triggeredAt,
    };
  }
}
