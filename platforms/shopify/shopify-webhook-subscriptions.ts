import type { Shopify } from '@shopify/shopify-api';
import type { CommerceWebhooks, WebhookRepair, WebhookTopicState } from '../../domain/commerce-webhooks.js';
import type { PlatformConnection } from '../platform.js';
import { ShopifyAdminClient } from './shopify-admin-client.js';
import type { ShopifyCallContext } from './shopify-error-translation.js';
import { WEBHOOK_SUBSCRIPTION_CREATE, WEBHOOK_SUBSCRIPTION_DELETE, WEBHOOK_SUBSCRIPTIONS_QUERY } from './webhook-documents.js';

/** Where Shopify posts our webhooks, under PUBLIC_BASE_URL. */
export const SHOPIFY_WEBHOOK_PATH = '/webhooks/shopify';

/** The topics the sync needs (GraphQL enum → the name people know). */
export const SHOPIFY_WEBHOOK_TOPICS: Record<string, string> = {
  ORDERS_CREATE: 'orders/create',
  ORDERS_UPDATED: 'orders/updated',
  // A cancelled booked order is reversed in the ledger; orders/updated also says so, this one never misses it.
  ORDERS_CANCELLED: 'orders/cancelled',
  // Each refund becomes the ledger's refund document.
  REFUNDS_CREATE: 'refunds/create',
  APP_UNINSTALLED: 'app/uninstalled',
  // Customers and products sync as entities of their own (workflows/entity-sync.ts).
  CUSTOMERS_CREATE: 'customers/create',
  CUSTOMERS_UPDATE: 'customers/update',
  PRODUCTS_CREATE: 'products/create',
  PRODUCTS_UPDATE: 'products/update',
};

interface SubscriptionNode {
  id: string;
  topic: string;
  uri: string;
}

interface UserError {
  field: string[] | null;
  message: string;
}

export function shopifyWebhookAddress(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${SHOPIFY_WEBHOOK_PATH}`;
}

/** Keeps a shop's subscriptions to our topics pointed at our address, through the Admin API. */
export class ShopifyWebhookSubscriptions implements CommerceWebhooks {
  private readonly client: ShopifyAdminClient;

  constructor(shopify: Shopify, connection: PlatformConnection) {
    this.client = new ShopifyAdminClient(shopify, connection);
  }

  async ensure(publicBaseUrl: string): Promise<WebhookRepair> {
    const address = shopifyWebhookAddress(publicBaseUrl);
    const existing = await this.list();
    const topics: WebhookTopicState[] = [];
    for (const [topic, name] of Object.entries(SHOPIFY_WEBHOOK_TOPICS)) {
      const ours = existing.filter((s) => s.topic === topic);
      const right = ours.find((s) => s.uri === address);
      const wrong = ours.filter((s) => s !== right);
      // A subscription of our app to our topic that points elsewhere (an old address) sends orders nowhere useful.
      for (const stale of wrong) await this.delete(stale.id);
      if (right) {
        topics.push({ topic: name, state: wrong.length ? 'replaced' : 'ok', message: null });
        continue;
      }
      const errors = await this.create(topic, address);
      if (errors.length === 0) {
        topics.push({ topic: name, state: wrong.length ? 'replaced' : 'created', message: null });
      } else {
        topics.push({ topic: name, state: 'failed', message: `Shopify refused to send ${name} to ${address}: ${errors.map((e) => e.message).join('; ')}.` });
      }
    }
    return { address, topics };
  }

  async remove(): Promise<number> {
    const existing = (await this.list()).filter((s) => s.topic in SHOPIFY_WEBHOOK_TOPICS);
    for (const subscription of existing) await this.delete(subscription.id);
    return existing.length;
  }

  private async list(): Promise<SubscriptionNode[]> {
    const all: SubscriptionNode[] = [];
    let after: string | null = null;
    do {
      const { data }: { data: { webhookSubscriptions: { nodes: SubscriptionNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } =
        await this.client.request(WEBHOOK_SUBSCRIPTIONS_QUERY, { after }, this.ctx('reading webhook subscriptions'));
      all.push(...data.webhookSubscriptions.nodes);
      after = data.webhookSubscriptions.pageInfo.hasNextPage ? data.webhookSubscriptions.pageInfo.endCursor : null;
    } while (after);
    return all;
  }

  private async create(topic: string, uri: string): Promise<UserError[]> {
    const { data } = await this.client.request<{ webhookSubscriptionCreate: { userErrors: UserError[] } }>(
      WEBHOOK_SUBSCRIPTION_CREATE,
      { topic, uri },
      this.ctx(`subscribing to ${SHOPIFY_WEBHOOK_TOPICS[topic]}`),
    );
    return data.webhookSubscriptionCreate.userErrors;
  }

  private async delete(id: string): Promise<void> {
    await this.client.request(WEBHOOK_SUBSCRIPTION_DELETE, { id }, this.ctx(`deleting webhook subscription ${id}`));
  }

  private ctx(action: string): ShopifyCallContext {
    return { shop: this.client.shop, action, scope: 'read_orders' };
  }
}
