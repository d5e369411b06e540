import type { CommerceWebhooks, WebhookRepair, WebhookTopicState } from '../../domain/commerce-webhooks.js';
import type { PlatformConnection } from '../platform.js';
import { SquarespaceRequestRefusedError, type SquarespaceCallContext } from './error-translation.js';
import type { SquarespaceClient } from './squarespace-client.js';
import type { SubscriptionSecrets } from './subscription-secrets.js';

/** Where Squarespace posts every site's notifications, under PUBLIC_BASE_URL: the body names the subscription. */
export const SQUARESPACE_WEBHOOK_PATH = '/webhooks/squarespace';
export const SQUARESPACE_WEBHOOK_TOPICS = ['order.create', 'order.update', 'extension.uninstall'] as const;

export function squarespaceWebhookAddress(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${SQUARESPACE_WEBHOOK_PATH}`;
}

interface Subscription {
  id: string;
  endpointUrl: string;
  topics: string[];
  secret?: string;
}

/**
 * Keeps one subscription per integration to our three topics, pointed at our address, whose secret we hold.
 * Subscriptions never expire, but a site may drop one after repeated failed deliveries, and one whose secret we do
 * not hold (created before a reconnect, or by another install) cannot be verified: every `ensure` (connect, each
 * health check) re-creates what is missing and deletes what we cannot check.
 */
export class SquarespaceWebhookSubscriptions implements CommerceWebhooks {
  constructor(
    private readonly client: SquarespaceClient,
    private readonly connection: PlatformConnection,
    private readonly secrets: SubscriptionSecrets,
    private readonly siteName: string,
  ) {}

  async ensure(publicBaseUrl: string): Promise<WebhookRepair> {
    const address = squarespaceWebhookAddress(publicBaseUrl);
    const websiteId = this.connection.account.websiteId ?? '';
    const existing = await this.list();
    const mine = new Set((await this.secrets.ofIntegration(this.connection.integrationId)).map((s) => s.subscriptionId));
    const knownToUs = await this.secrets.known(existing.map((s) => s.id));
    // Ours whose secret we hold, and subscriptions to our address whose secret nobody here holds (unverifiable).
    const ours = existing.filter((s) => mine.has(s.id));
    const orphans = existing.filter((s) => s.endpointUrl === address && !knownToUs.has(s.id));
    const [keep, ...extra] = ours;
    for (const subscription of [...extra, ...orphans]) await this.delete(subscription.id);
    // What Squarespace no longer has is forgotten here.
    await this.secrets.forget([...mine].filter((id) => !existing.some((s) => s.id === id) || extra.some((s) => s.id === id)));

    const state = (topic: string, value: WebhookTopicState['state'], message: string | null = null): WebhookTopicState => ({ topic, state: value, message });
    try {
      if (keep) {
        const missing = SQUARESPACE_WEBHOOK_TOPICS.filter((topic) => !keep.topics.includes(topic));
        if (keep.endpointUrl === address && missing.length === 0) {
          return { address, topics: SQUARESPACE_WEBHOOK_TOPICS.map((topic) => state(topic, extra.length + orphans.length > 0 ? 'replaced' : 'ok')) };
        }
        await this.client.request('POST', `/1.0/webhook_subscriptions/${keep.id}`, this.ctx(`repairing subscription ${keep.id}`), { body: { endpointUrl: address, topics: [...SQUARESPACE_WEBHOOK_TOPICS] } });
        return { address, topics: SQUARESPACE_WEBHOOK_TOPICS.map((topic) => state(topic, keep.endpointUrl !== address || missing.includes(topic) ? 'replaced' : 'ok')) };
      }
      const created = await this.client.request<Subscription>('POST', '/1.0/webhook_subscriptions', this.ctx('subscribing to order notifications'), { body: { endpointUrl: address, topics: [...SQUARESPACE_WEBHOOK_TOPICS] } });
      if (!created.secret) throw new Error('Squarespace created a webhook subscription without its secret');
      await this.secrets.save({ subscriptionId: created.id, integrationId: this.connection.integrationId, websiteId }, created.secret);
      return { address, topics: SQUARESPACE_WEBHOOK_TOPICS.map((topic) => state(topic, orphans.length > 0 || mine.size > 0 ? 'replaced' : 'created')) };
    } catch (error) {
      if (!(error instanceof SquarespaceRequestRefusedError)) throw error;
      return { address, topics: SQUARESPACE_WEBHOOK_TOPICS.map((topic) => state(topic, 'failed', `${this.siteName} refused to send ${topic} to ${address}: ${error.message}.`)) };
    }
  }

  async remove(): Promise<number> {
    const mine = await this.secrets.ofIntegration(this.connection.integrationId);
    for (const subscription of mine) await this.delete(subscription.subscriptionId);
    await this.secrets.forget(mine.map((s) => s.subscriptionId));
    return mine.length;
  }

  private async list(): Promise<Subscription[]> {
    const answer = await this.client.request<{ webhookSubscriptions?: Subscription[] }>('GET', '/1.0/webhook_subscriptions', this.ctx('reading webhook subscriptions'));
    return answer.webhookSubscriptions ?? [];
  }

  private async delete(id: string): Promise<void> {
    try {
      await this.client.request('DELETE', `/1.0/webhook_subscriptions/${id}`, this.ctx(`deleting subscription ${id}`));
    } catch (error) {
      if (!(error instanceof SquarespaceRequestRefusedError && error.status === 404)) throw error;
    }
  }

  private ctx(action: string): SquarespaceCallContext {
    return { site: this.siteName, action };
  }
}
