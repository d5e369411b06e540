import { createHash, createHmac } from 'node:crypto';
import type { Webhook, WooSite } from './site.js';

/** The resources whose saves the emulator delivers (topics `<resource>.created|updated`). */
export type WebhookResource = 'order' | 'product' | 'customer';
const RECORDS = { order: 'orders', product: 'products', customer: 'customers' } as const;

/** What the control API sees of each delivery. */
export interface DeliveryRecord {
  webhookId: number;
  deliveryId: string;
  topic: string;
  url: string;
  body: string;
  /** The headers sent (a test replays a delivery with them). */
  headers: Record<string, string>;
  /** HTTP status, or null when the request failed (refused, timed out, dropped by a fault). */
  status: number | null;
  at: string;
}

export interface DelivererOptions {
  /** WooCommerce's filter woocommerce_max_webhook_delivery_failures (default 5). */
  maxFailures?: number;
  /**
   * `code` (default): class-wc-webhook.php failed_delivery disables when the count is already above the maximum
   * (the 7th consecutive failure with 5); `docs`: the docs' "disabled after 5 retries" (the 5th failure).
   */
  disableRule?: 'code' | 'docs';
  timeoutMs?: number;
}

/**
 * Sends webhooks as WC_Webhook::deliver does: POST of the resource's wc/v3 JSON built at delivery time,
 * signed with base64 HMAC-SHA256 of the exact body and the webhook's secret; success is 200–302; no retries;
 * repeated failures disable the webhook; a success resets the count.
 */
export class WebhookDeliverer {
  readonly deliveries: DeliveryRecord[] = [];
  /** The next N deliveries are lost on the way (the site's cron died, a proxy dropped them). */
  dropNext = 0;
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly site: WooSite,
    private readonly siteUrl: () => string,
    private readonly options: DelivererOptions = {},
  ) {}

  /**
   * An order, product or customer was saved: every active webhook on the topic (only those, made through
   * `POST /webhooks`) gets a delivery, sent asynchronously (Action Scheduler).
   */
  saved(resource: WebhookResource, id: number, event: 'created' | 'updated'): void {
    for (const webhook of this.site.webhooks.values()) {
      if (webhook.status !== 'active' || webhook.topic !== `${resource}.${event}`) continue;
      const sending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliver(webhook, resource, id));
      this.pending.add(sending);
      void sending.finally(() => this.pending.delete(sending));
    }
  }

  /** The ping WooCommerce sends when a webhook is created active: form body `webhook_id=N`, no X-WC headers. */
  async ping(webhook: Webhook): Promise<number | null> {
    try {
      const response = await fetch(webhook.deliveryUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': this.userAgent(),
        },
        body: `webhook_id=${webhook.id}`,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
      return response.status;
    } catch {
      return null;
    }
  }

  /** Every delivery still on its way has been tried. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }

  private async deliver(webhook: Webhook, resource: WebhookResource, id: number): Promise<void> {
    if (this.closed || webhook.status !== 'active') return;
    const record = this.site[RECORDS[resource]].get(id);
    // Built now, not when the record was saved: a later change is already in it (the same JSON as GET {resource}s/{id}).
    const body = record ? JSON.stringify(record) : JSON.stringify({ id });
    const deliveryId = createHash('md5')
      .update(`${webhook.id}${Math.floor(Date.now() / 1000)}`)
      .digest('hex');
    const [topicResource, event] = webhook.topic.split('.');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': this.userAgent(),
      'x-wc-webhook-source': `${this.siteUrl()}/`,
      'x-wc-webhook-topic': webhook.topic,
      'x-wc-webhook-resource': topicResource!,
      'x-wc-webhook-event': event!,
      'x-wc-webhook-signature': createHmac('sha256', webhook.secret).update(body).digest('base64'),
      'x-wc-webhook-id': String(webhook.id),
      'x-wc-webhook-delivery-id': deliveryId,
    };
    const delivery: DeliveryRecord = {
      webhookId: webhook.id,
      deliveryId,
      topic: webhook.topic,
      url: webhook.deliveryUrl,
      body,
      headers,
      status: null,
      at: new Date().toISOString(),
    };
    this.deliveries.push(delivery);
    if (this.dropNext > 0) {
      this.dropNext--;
      this.failed(webhook);
      return;
    }
    try {
      const response = await fetch(webhook.deliveryUrl, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        headers,
        body,
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.status = response.status;
      if (response.status >= 200 && response.status <= 302) webhook.failureCount = 0;
      else this.failed(webhook);
    } catch {
      this.failed(webhook);
    }
  }

  private failed(webhook: Webhook): void {
    const max = this.options.maxFailures ?? 5;
    if (this.options.disableRule === 'docs') {
      webhook.failureCount++;
      if (webhook.failureCount >= max) webhook.status = 'disabled';
      return;
    }
    if (webhook.failureCount > max) webhook.status = 'disabled';
    else webhook.failureCount++;
  }

  private userAgent(): string {
    return 'WooCommerce/9.4.0 Hookshot (WordPress/6.7.0)';
  }
}
