import { FaultInjector } from '../common/fault-injector.js';
import { CostBucket, STANDARD_BUCKET, type BucketSettings, type ThrottleStatus } from './cost-bucket.js';
import type { EmulatedCustomer, EmulatedOrder, EmulatedProduct, EmulatedToken } from './model.js';
import { restOrder, restShop } from './rest-payloads.js';
import type { CustomerInput, OrderInput, OrderPatch, ProductInput, ShopData, ShopInput, ShopifyStore } from './store.js';
import {
  topicFromName,
  type RedeliveryOptions,
  type WebhookDelivery,
  type WebhookDispatcher,
  type WebhookEvent,
  type WebhookSubscription,
  type WebhookTopic,
} from './webhook-dispatcher.js';

/** Every control method takes an optional shop domain; without it the emulator's default shop is meant. */
export interface ShopOption {
  shop?: string;
}

/**
 * The emulator's control surface, in process. The HTTP control API (/_emulator/*) is a thin layer over this,
 * so tests can set up state without HTTP.
 */
export class ShopifyEmulatorControl {
  readonly faults = new FaultInjector();
  private readonly buckets = new Map<string, CostBucket>();
  /**
   * The account picker: the store the emulated merchant approves the install on, whatever store the authorize
   * URL named (a person signed in to another store, or installing from another store's admin). Null: that store.
   */
  consentShopDomain: string | null = null;

  constructor(
    readonly store: ShopifyStore,
    readonly webhooks: WebhookDispatcher,
    private readonly bucketSettings: BucketSettings = STANDARD_BUCKET,
  ) {}

  get defaultShop(): string {
    return this.store.defaultShopDomain;
  }

  addShop(input: ShopInput): ShopData {
    return this.store.addShop(input);
  }

  /** The next consents approve on `domain` (another shop than the one asked for); null restores the default. */
  consentOnShop(domain: string | null): void {
    if (domain !== null) this.store.shop(domain);
    this.consentShopDomain = domain;
  }

  shop(domain?: string): ShopData {
    return this.store.shop(domain);
  }

  /** Creates an order and sends orders/create. */
  createOrder(input: OrderInput & ShopOption): EmulatedOrder {
    const data = this.store.shop(input.shop);
    const order = this.store.createOrder(data.shop.domain, input);
    this.webhooks.trigger(data.shop.domain, 'ORDERS_CREATE', restOrder(data, order));
    return order;
  }

  /** Changes an order, moves its updated_at forward and sends orders/updated. */
  updateOrder(orderId: string, patch: OrderPatch & ShopOption): EmulatedOrder {
    const { shop, ...changes } = patch;
    const data = this.store.shop(shop);
    const order = this.store.updateOrder(data.shop.domain, orderId, changes);
    this.webhooks.trigger(data.shop.domain, 'ORDERS_UPDATED', restOrder(data, order));
    return order;
  }

  createProduct(input: ProductInput & ShopOption): EmulatedProduct {
    return this.store.createProduct(input.shop, input);
  }

  createCustomer(input: CustomerInput & ShopOption): EmulatedCustomer {
    return this.store.createCustomer(input.shop, input);
  }

  orders(shop?: string): EmulatedOrder[] {
    return [...this.store.shop(shop).orders.values()];
  }

  /** Subscribes a callback URL to a topic ('orders/create' or 'ORDERS_CREATE'), like shopify.app.toml would. */
  subscribeWebhook(input: { topic: string; callbackUrl: string } & ShopOption): WebhookSubscription {
    const topic = topicFromName(input.topic);
    if (!topic) throw new Error(`the emulator does not send ${input.topic} webhooks`);
    return this.webhooks.subscribe(this.store.shop(input.shop).shop.domain, topic, input.callbackUrl);
  }

  /** Installs the app with these scopes and issues a token, skipping the OAuth redirects. */
  issueToken(input: { scopes?: string[]; expiring?: boolean } & ShopOption = {}): EmulatedToken {
    const data = this.store.shop(input.shop);
    data.shop.installed = true;
    if (input.scopes) data.shop.grantedScopes = [...input.scopes];
    return this.store.issueToken(data.shop.domain, input.expiring ? 'expiring' : 'offline');
  }

  tokens(shop?: string): EmulatedToken[] {
    const domain = this.store.shop(shop).shop.domain;
    return [...this.store.tokens.values()].filter((t) => t.shop === domain);
  }

  /** Makes an access token expired now (its refresh token keeps working). */
  expireToken(accessToken: string): EmulatedToken {
    const token = this.token(accessToken);
    token.expiresAt = new Date(Date.now() - 1000).toISOString();
    return token;
  }

  /** Revokes an access token and its refresh token. */
  revokeToken(accessToken: string): EmulatedToken {
    const token = this.token(accessToken);
    token.revoked = true;
    token.revokedHard = true;
    return token;
  }

  /** The merchant uninstalls the app: every token stops working and app/uninstalled is sent. */
  uninstall(shop?: string): WebhookEvent {
    const data = this.store.shop(shop);
    data.shop.installed = false;
    this.store.revokeShopTokens(data.shop.domain);
    return this.webhooks.trigger(data.shop.domain, 'APP_UNINSTALLED', restShop(data.shop));
  }

  /** Changes the scopes the merchant granted (e.g. to provoke ACCESS_DENIED). */
  setScopes(scopes: string[], shop?: string): string[] {
    const data = this.store.shop(shop);
    data.shop.grantedScopes = [...scopes];
    return data.shop.grantedScopes;
  }

  bucket(shop?: string): CostBucket {
    const domain = this.store.shop(shop).shop.domain;
    let bucket = this.buckets.get(domain);
    if (!bucket) {
      bucket = new CostBucket(this.bucketSettings);
      this.buckets.set(domain, bucket);
    }
    return bucket;
  }

  /** Drains or resizes a shop's cost bucket, e.g. `{ currentlyAvailable: 0 }` to provoke THROTTLED. */
  setBucket(patch: Partial<BucketSettings> & { currentlyAvailable?: number }, shop?: string): ThrottleStatus {
    return this.bucket(shop).set(patch);
  }

  redeliverWebhook(eventId: string, options?: RedeliveryOptions): WebhookDelivery[] {
    return this.webhooks.redeliver(eventId, options);
  }

  webhookEvents(shop?: string): WebhookEvent[] {
    return this.webhooks.events(shop);
  }

  webhookDeliveries(filter?: { eventId?: string; shop?: string }): WebhookDelivery[] {
    return this.webhooks.deliveries(filter);
  }

  /** Resolves when no webhook delivery is scheduled or in flight. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  /** Everything, for GET /_emulator/state. */
  snapshot() {
    return {
      shops: [...this.store.shops.values()].map((data) => ({
        ...data.shop,
        orders: [...data.orders.values()],
        customers: [...data.customers.values()],
        products: [...data.products.values()],
        bucket: this.bucket(data.shop.domain).status(),
      })),
      tokens: [...this.store.tokens.values()],
      webhookSubscriptions: this.webhooks.listSubscriptions(),
      webhookEvents: this.webhooks.events(),
      webhookDeliveries: this.webhooks.deliveries(),
      faults: this.faults.current,
    };
  }

  private token(accessToken: string): EmulatedToken {
    const token = this.store.tokens.get(accessToken);
    if (!token) throw new Error('unknown access token');
    return token;
  }
}

export type { WebhookTopic };
