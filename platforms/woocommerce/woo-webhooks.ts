import type { CommerceWebhooks, WebhookRepair, WebhookTopicState } from '../../domain/commerce-webhooks.js';
import type { PlatformConnection } from '../platform.js';
import { unpackStoreKeys } from './store-keys.js';
import type { WooClient } from './woo-client.js';
import { WooRequestRefusedError, type WooCallContext } from './woo-error-translation.js';
import { secretFingerprint, webhookSecretFor } from './webhook-secret.js';

/** Where WooCommerce posts an integration's webhooks, under PUBLIC_BASE_URL: the address names the integration. */
export const WOOCOMMERCE_WEBHOOK_PATH = '/webhooks/woocommerce';
/** Orders, and the customers and products the entity syncs keep in the ledger (workflows/entity-sync.ts). */
export const WOOCOMMERCE_WEBHOOK_TOPICS = ['order.created', 'order.updated', 'customer.created', 'customer.updated', 'product.created', 'product.updated'] as const;

export function wooWebhookAddress(publicBaseUrl: string, integrationId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${WOOCOMMERCE_WEBHOOK_PATH}/${encodeURIComponent(integrationId)}`;
}

interface WooWebhook {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  delivery_url: string;
}

/**
 * Keeps a store's webhooks for our topics active, pointed at this integration's address and signed with its
 * secret. WooCommerce disables a webhook after repeated failed deliveries and never turns it back on: every
 * `ensure` (connect, each health check) does. Ours are known by their name, which also carries the secret's
 * fingerprint (WooCommerce never shows a secret back), so a reconnect's new secret is set on them.
 */
export class WooWebhookSubscriptions implements CommerceWebhooks {
  constructor(
    private readonly client: WooClient,
    private readonly connection: PlatformConnection,
    private readonly storeName: string,
  ) {}

  async ensure(publicBaseUrl: string): Promise<WebhookRepair> {
    const address = wooWebhookAddress(publicBaseUrl, this.connection.integrationId);
    const secret = webhookSecretFor(unpackStoreKeys(await this.connection.tokens.getAccessToken()).consumerSecret, this.connection.integrationId);
    const existing = (await this.list()).filter((w) => this.isOurs(w, address));
    const topics: WebhookTopicState[] = [];
    for (const topic of WOOCOMMERCE_WEBHOOK_TOPICS) {
      const name = this.nameFor(topic, secret);
      const ours = existing.filter((w) => w.topic === topic);
      const right = ours.find((w) => w.delivery_url === address && w.status === 'active' && w.name === name);
      const repairable = right ?? ours.find((w) => w.delivery_url === address);
      for (const other of ours.filter((w) => w !== repairable)) await this.delete(other.id);
      if (right) {
        topics.push({ topic, state: ours.length > 1 ? 'replaced' : 'ok', message: null });
        continue;
      }
      try {
        if (repairable) {
          await this.client.request('put', `webhooks/${repairable.id}`, this.ctx(`repairing webhook ${repairable.id}`), { data: { name, status: 'active', secret, delivery_url: address } });
          topics.push({
            topic,
            state: 'replaced',
            message:
              repairable.status === 'disabled'
                ? `${this.storeName} had disabled ${topic} after repeated failed deliveries; ledgerbridge turned it back on (orders changed meanwhile may need a replay).`
                : repairable.status === 'paused'
                  ? `${topic} was paused in WooCommerce; ledgerbridge turned it back on.`
                  : null,
          });
        } else {
          await this.client.request('post', 'webhooks', this.ctx(`subscribing to ${topic}`), { data: { name, topic, delivery_url: address, secret, status: 'active' } });
          topics.push({ topic, state: ours.length > 0 ? 'replaced' : 'created', message: null });
        }
      } catch (error) {
        if (!(error instanceof WooRequestRefusedError)) throw error;
        topics.push({ topic, state: 'failed', message: `${this.storeName} refused to send ${topic} to ${address}: ${error.message}.` });
      }
    }
    return { address, topics };
  }

  async remove(): Promise<number> {
    const ours = (await this.list()).filter((w) => this.isOurs(w, null));
    for (const webhook of ours) await this.delete(webhook.id);
    return ours.length;
  }

  private nameFor(topic: string, secret: string): string {
    return `ledgerbridge ${this.connection.integrationId} ${topic} (${secretFingerprint(secret)})`;
  }

  private isOurs(webhook: WooWebhook, address: string | null): boolean {
    return webhook.name.startsWith(`ledgerbridge ${this.connection.integrationId} `) || (address !== null && webhook.delivery_url === address);
  }

  private async list(): Promise<WooWebhook[]> {
    const all: WooWebhook[] = [];
    for (let page = 1; ; page++) {
      const { data, headers } = await this.client.request<WooWebhook[]>('get', 'webhooks', this.ctx('reading webhooks'), { params: { per_page: 100, page } });
      all.push(...data);
      if (page >= Number(headers['x-wp-totalpages'] ?? 1)) return all;
    }
  }

  private async delete(id: number): Promise<void> {
    try {
      await this.client.request('delete', `webhooks/${id}`, this.ctx(`deleting webhook ${id}`), { params: { force: true } });
    } catch (error) {
      // Already gone.
      if (!(error instanceof WooRequestRefusedError && error.status === 404)) throw error;
    }
  }

  private ctx(action: string): WooCallContext {
    return { store: this.storeName, action };
  }
}
