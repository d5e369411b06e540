import { FaultInjector } from '../common/fault-injector.js';
import { CostBucket, STANDARD_BUCKET, type BucketSettings, type ThrottleStatus } from './cost-bucket.js';
import type { EmulatedCustomer, EmulatedOrder, EmulatedProduct, EmulatedToken } from './model.js';
import { restCustomer, restOrder, restProduct, restRefund, restShop } from './rest-payloads.js';
import { recordRefund, type RefundInput } from './refunds.js';
import { recordPayout, type EmulatedPayout, type PayoutInput } from './payouts.js';
import type { EmulatedRefund } from './model.js';
import { validateOrderInput, validateShopInput } from './control-validation.js';
import type { CustomerInput, OrderInput, OrderPatch, ProductInput, ProductPatch, ShopData, ShopInput, ShopifyStore } from './store.js';
import {
  complianceTopicFromName,
  type RedeliveryOptions,
  type WebhookDelivery,
  type WebhookDispatcher,
  type WebhookEvent,
  type WebhookTopic,
} from './webhook-dispatcher.js';
import { dataFields, type PersistedParts } from '../common/persisted-state.js';

/** Every control method takes an optional shop domain; without it the emulator's default shop is meant. */
export interface ShopOption {
  shop?: string;
}

/** Whether a seeding call acts as the merchant and sends the topic's webhook. */
export interface WebhookOption {
  webhook?: boolean;
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
  private complianceUrl: string | null = null;

  constructor(
    readonly store: ShopifyStore,
    readonly webhooks: WebhookDispatcher,
    private readonly bucketSettings: BucketSettings = STANDARD_BUCKET,
  ) {}

  get defaultShop(): string {
    return this.store.defaultShopDomain;
  }

  addShop(input: ShopInput): ShopData {
    validateShopInput(input);
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
    validateOrderInput(input);
    const data = this.store.shop(input.shop);
    const order = this.store.createOrder(data.shop.domain, input);
    this.webhooks.trigger(data.shop.domain, 'ORDERS_CREATE', restOrder(data, order));
    return order;
  }

  /** Changes an order, moves its updated_at forward and sends orders/updated. */
  updateOrder(orderId: string, patch: OrderPatch & ShopOption): EmulatedOrder {
    validateOrderInput(patch);
    const { shop, ...changes } = patch;
    const data = this.store.shop(shop);
    const order = this.store.updateOrder(data.shop.domain, orderId, changes);
    this.webhooks.trigger(data.shop.domain, 'ORDERS_UPDATED', restOrder(data, order));
    return order;
  }

  /**
   * The merchant refunds part or all of an order: records the refund and sends refunds/create (its REST refund), then
   * orders/updated with the lower current total, as Shopify does (the order changed: financial status, current total).
   */
  refundOrder(orderId: string, input: RefundInput & ShopOption): EmulatedRefund {
    const data = this.store.shop(input.shop);
    const order = data.orders.get(orderId);
    if (!order) throw new Error(`unknown order ${orderId}`);
    const refund = recordRefund(this.store, order, input);
    this.webhooks.trigger(data.shop.domain, 'REFUNDS_CREATE', restRefund(order, refund));
    this.webhooks.trigger(data.shop.domain, 'ORDERS_UPDATED', restOrder(data, order));
    return refund;
  }

  /** The merchant cancels an order (without refunding it here): sends orders/cancelled and orders/updated. */
  /** Issues a Shopify Payments payout of these balance transactions (no webhook: Shopify has no payouts topic). */
  createPayout(input: PayoutInput & ShopOption): EmulatedPayout {
    return recordPayout(this.store, this.shop(input.shop), input);
  }

  payouts(shop?: string): EmulatedPayout[] {
    return [...this.shop(shop).payouts.values()];
  }

  cancelOrder(orderId: string, input: ShopOption = {}): EmulatedOrder {
    const data = this.store.shop(input.shop);
    const order = this.store.updateOrder(data.shop.domain, orderId, { cancelledAt: new Date().toISOString() });
    this.webhooks.trigger(data.shop.domain, 'ORDERS_CANCELLED', restOrder(data, order));
    this.webhooks.trigger(data.shop.domain, 'ORDERS_UPDATED', restOrder(data, order));
    return order;
  }

  /**
   * Seeds a product; with `webhook: true` the merchant creates it and products/create is sent. Shopify always sends
   * it; the emulator only when asked, so tests that seed a catalogue start no product syncs they did not ask for
   * (FIDELITY.md, deliberate differences).
   */
  createProduct(input: ProductInput & ShopOption & WebhookOption): EmulatedProduct {
    const product = this.store.createProduct(input.shop, input);
    if (input.webhook) this.webhooks.trigger(this.store.shop(input.shop).shop.domain, 'PRODUCTS_CREATE', restProduct(product));
    return product;
  }

  /** Seeds a customer; with `webhook: true` customers/create is sent (as createProduct). */
  createCustomer(input: CustomerInput & ShopOption & WebhookOption): EmulatedCustomer {
    const customer = this.store.createCustomer(input.shop, input);
    if (input.webhook) this.webhooks.trigger(this.store.shop(input.shop).shop.domain, 'CUSTOMERS_CREATE', restCustomer(customer));
    return customer;
  }

  /** The merchant edits a customer: sends customers/update. */
  updateCustomer(customerId: string, patch: CustomerInput & ShopOption): EmulatedCustomer {
    const data = this.store.shop(patch.shop);
    const customer = this.store.updateCustomer(data.shop.domain, customerId, patch);
    this.webhooks.trigger(data.shop.domain, 'CUSTOMERS_UPDATE', restCustomer(customer));
    return customer;
  }

  /** The merchant edits a product or its variants: sends products/update. */
  updateProduct(productId: string, patch: ProductPatch & ShopOption): EmulatedProduct {
    const data = this.store.shop(patch.shop);
    const product = this.store.updateProduct(data.shop.domain, productId, patch);
    this.webhooks.trigger(data.shop.domain, 'PRODUCTS_UPDATE', restProduct(product));
    return product;
  }

  orders(shop?: string): EmulatedOrder[] {
    return [...this.store.shop(shop).orders.values()];
  }

  /**
   * Where the app's configuration (shopify.app.toml `[webhooks] compliance_topics`) sends the mandatory privacy
   * webhooks. Orders and uninstall webhooks reach an app only through webhookSubscriptionCreate.
   */
  setComplianceUrl(url: string | null): { complianceUrl: string | null } {
    this.complianceUrl = url;
    return { complianceUrl: url };
  }

  /**
   * A merchant's customer asks for their data, or to be forgotten, or the shop is erased 48 h after uninstall:
   * sends the privacy webhook with Shopify's payload shape.
   */
  requestPrivacy(input: { topic: string; customerId?: string; ordersRequested?: string[] } & ShopOption): WebhookEvent {
    const topic = complianceTopicFromName(input.topic);
    if (!topic) throw new Error(`${input.topic} is not a privacy topic (customers/data_request, customers/redact, shop/redact)`);
    if (!this.complianceUrl) throw new Error('no compliance URL configured: POST /_emulator/app/compliance-url first');
    const data = this.store.shop(input.shop);
    const base = { shop_id: Number(data.shop.id), shop_domain: data.shop.domain };
    let payload: Record<string, unknown> = base;
    if (topic !== 'SHOP_REDACT') {
      const customer = input.customerId ? data.customers.get(input.customerId) : undefined;
      if (!customer) throw new Error(`unknown customer ${input.customerId ?? '(none given)'}`);
      const orders = [...data.orders.values()].filter((o) => o.customerId === customer.id).map((o) => BigInt(o.id));
      payload = {
        ...base,
        customer: { id: BigInt(customer.id), email: customer.email, phone: null },
        ...(topic === 'CUSTOMERS_REDACT'
          ? { orders_to_redact: orders }
          : { orders_requested: orders, data_request: { id: Number(this.store.nextId('shop')) } }),
      };
    }
    return this.webhooks.triggerCompliance(data.shop.domain, topic, payload, this.complianceUrl);
  }

  /** Whether the app is approved for protected customer data (names, emails); withheld = ACCESS_DENIED on those fields. */
  setCustomerDataWithheld(withheld: boolean, shop?: string): { customerDataWithheld: boolean } {
    const data = this.store.shop(shop);
    data.shop.customerDataWithheld = withheld;
    return { customerDataWithheld: withheld };
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
    const event = this.webhooks.trigger(data.shop.domain, 'APP_UNINSTALLED', restShop(data.shop));
    // Shopify deletes the app's webhook subscriptions on uninstall; the app/uninstalled delivery already has its address.
    for (const subscription of this.webhooks.listSubscriptions(data.shop.domain)) this.webhooks.unsubscribe(subscription.id);
    return event;
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

  /** The next `count` webhook events are never sent (a webhook lost on the way); redeliverWebhook() still sends one. */
  dropWebhooks(count: number): { dropNext: number } {
    return this.webhooks.dropNext(count);
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

  /** What a demo keeps across restarts (emulators/common/persisted-state.ts): shops, orders, tokens, webhook subscriptions. */
  persistentParts(): PersistedParts {
    return {
      store: dataFields(this.store, ['defaultShopDomain']),
      webhooks: { target: this.webhooks, fields: ['subscriptions', 'eventLog', 'nextSubscriptionId'] },
    };
  }
}

export type { WebhookTopic };
