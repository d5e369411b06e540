import { createHmac } from 'node:crypto';
import { hexId } from './order-builder.js';
import type { SquarespaceSite, Subscription } from './site.js';

export interface DeliveryRecord {
  subscriptionId: string;
  topic: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  /** HTTP status, or null when dropped or the request failed. */
  status: number | null;
  at: string;
  /** When the answer came (its status line), or null: what a test compares with the API requests made meanwhile. */
  answeredAt: string | null;
}

/** hex(HMAC-SHA256(key = hex-DECODED secret, message = raw body)) (FIDELITY: webhook signature [C]). */
export function squarespaceSignature(secretHex: string, body: string): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex')).update(body, 'utf8').digest('hex');
}

/** `2020-04-22T22:18+00:00`: the notification's createdOn has minute precision and an offset [C]. */
const minuteStamp = (date: Date) => `${date.toISOString().slice(0, 16)}+00:00`;

/**
 * Sends notifications as Squarespace does: thin JSON (ids only), `User-Agent: Squarespace/1.0`, signed. Retries of
 * failed deliveries (up to 48 h [S]) are played by `redeliver`; a dropped one is simply never sent.
 */
export class WebhookDeliverer {
  readonly deliveries: DeliveryRecord[] = [];
  /** The next N notifications are lost on the way. */
  dropNext = 0;
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly site: SquarespaceSite) {}

  /** Every subscription to the topic gets a notification (or only `only`: a test notification). */
  notify(topic: string, data: Record<string, unknown>, only?: Subscription): void {
    for (const subscription of only ? [only] : this.site.subscriptions.values()) {
      if (!subscription.topics.includes(topic)) continue;
      const body = JSON.stringify({ id: hexId(), websiteId: this.site.websiteId, subscriptionId: subscription.id, topic, createdOn: minuteStamp(new Date()), data });
      this.send(subscription, topic, body, this.dropNext > 0 ? (this.dropNext--, true) : false);
    }
  }

  /** The same notification again (Squarespace retries; duplicates are possible). */
  redeliver(record: DeliveryRecord): void {
    const subscription = this.site.subscriptions.get(record.subscriptionId);
    if (subscription) this.send(subscription, record.topic, record.body, false);
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }

  private send(subscription: Subscription, topic: string, body: string, drop: boolean): void {
    const headers = { 'content-type': 'application/json', 'user-agent': 'Squarespace/1.0', 'squarespace-signature': squarespaceSignature(subscription.secret, body) };
    const record: DeliveryRecord = { subscriptionId: subscription.id, topic, url: subscription.endpointUrl, body, headers, status: null, at: new Date().toISOString(), answeredAt: null };
    this.deliveries.push(record);
    if (drop || this.closed) return;
    const sending = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      try {
        const response = await fetch(subscription.endpointUrl, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
        record.answeredAt = new Date().toISOString();
        await response.arrayBuffer().catch(() => undefined);
        record.status = response.status;
      } catch {
        record.status = null;
      }
    });
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }
}
