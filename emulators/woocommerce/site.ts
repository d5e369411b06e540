import { createHash, randomBytes } from 'node:crypto';
import { WooPaymentsAccount } from './woopayments.js';
import { buildOrder, gmtDate, siteDate, type WooOrderInput } from './order-builder.js';

export type KeyPermissions = 'read' | 'write' | 'read_write';

/** A REST API key as WooCommerce keeps it (class-wc-auth.php create_keys): tied to a user, with a permission. */
export interface ApiKey {
  keyId: number;
  userId: number;
  description: string;
  permissions: KeyPermissions;
  consumerKey: string;
  consumerSecret: string;
}

export interface Webhook {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  deliveryUrl: string;
  secret: string;
  createdAt: Date;
  modifiedAt: Date;
  /** Consecutive failed deliveries (class-wc-webhook.php failed_delivery). */
  failureCount: number;
}

export interface WooProductInput {
  name: string;
  sku: string;
  price: string;
}

export interface WooCustomerInput {
  email: string;
  firstName: string;
  lastName: string;
}

export interface SiteOptions {
  /** Shown by system_status and the grant page. */
  name?: string;
  /** The site's timezone as an offset from UTC, in minutes: dates without `_gmt` are in it (default +60). */
  utcOffsetMinutes?: number;
  /** The site has the WooPayments extension: its deposits and transactions routes answer (default: it has not). */
  wooPayments?: boolean;
}

/** The topics WooCommerce accepts (wc_is_webhook_valid_topic: resource.event, or action.*). */
const RESOURCES = ['order', 'product', 'customer', 'coupon'];
const EVENTS = ['created', 'updated', 'deleted', 'restored'];
export function isValidTopic(topic: string): boolean {
  const [resource, event, ...rest] = topic.toLowerCase().split('.');
  if (rest.length > 0 || !resource || !event) return false;
  if (resource === 'action') return true;
  return RESOURCES.includes(resource) && EVENTS.includes(event);
}

/** One WordPress + WooCommerce site: keys, orders, products, customers, webhooks. */
export class WooSite {
  readonly name: string;
  readonly utcOffsetMinutes: number;
  readonly keys = new Map<string, ApiKey>();
  readonly orders = new Map<number, Record<string, unknown>>();
  readonly refunds = new Map<number, Array<Record<string, unknown>>>();
  readonly products = new Map<number, Record<string, unknown>>();
  readonly variations = new Map<number, Array<Record<string, unknown>>>();
  readonly customers = new Map<number, Record<string, unknown>>();
  readonly webhooks = new Map<number, Webhook>();
  /** WooPayments, when the site has it: null answers its routes rest_no_route, as WordPress does without the plugin. */
  wooPayments: WooPaymentsAccount | null;
  /** OAuth nonces seen per key, with their timestamps (class-wc-rest-authentication.php check_oauth_timestamp_and_nonce). */
  readonly nonces = new Map<string, Map<string, number>>();
  private lastId = 100;
  private lastKeyId = 0;
  private lastWebhookId = 0;

  constructor(options: SiteOptions = {}) {
    this.name = options.name ?? 'Test Woo Store';
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? 60;
    this.wooPayments = options.wooPayments ? new WooPaymentsAccount() : null;
  }

  nextId(): number {
    return ++this.lastId;
  }

  /** `ck_` + 40 hex and `cs_` + 40 hex (wc_rand_hash), as create_keys makes them. */
  createKey(userId: number, description: string, permissions: KeyPermissions): ApiKey {
    const key: ApiKey = {
      keyId: ++this.lastKeyId,
      userId,
      description,
      permissions,
      consumerKey: `ck_${randomBytes(20).toString('hex')}`,
      consumerSecret: `cs_${randomBytes(20).toString('hex')}`,
    };
    // WooCommerce keeps wc_api_hash(ck) (a sha256 HMAC); a lookup by the hash of the key stands in for it.
    this.keys.set(hashKey(key.consumerKey), key);
    return key;
  }

  findKey(consumerKey: string): ApiKey | null {
    return this.keys.get(hashKey(consumerKey)) ?? null;
  }

  /** The admin deletes the key ("Revoke"): the next call is 401 "Consumer key is invalid.". */
  revokeKey(consumerKey?: string): number {
    let revoked = 0;
    for (const [hash, key] of this.keys) {
      if (!consumerKey || key.consumerKey === consumerKey) {
        this.keys.delete(hash);
        revoked++;
      }
    }
    return revoked;
  }

  createOrder(input: WooOrderInput, at = new Date()): Record<string, unknown> {
    const id = this.nextId();
    const order = buildOrder(id, input, { next: () => this.nextId() }, at, this.utcOffsetMinutes);
    this.orders.set(id, order);
    return order;
  }

  /** Changes an order the way a save in wp-admin does: the fields, and date_modified. */
  updateOrder(id: number, patch: Record<string, unknown>, at = new Date()): Record<string, unknown> | null {
    const order = this.orders.get(id);
    if (!order) return null;
    Object.assign(order, patch, { date_modified: siteDate(at, this.utcOffsetMinutes), date_modified_gmt: gmtDate(at) });
    return order;
  }

  /** A refund: the refund resource has a positive `amount`; the order lists it with a negative `total`. */
  refundOrder(id: number, amount: string, reason: string, at = new Date(), items: RefundItemInput[] = []): Record<string, unknown> | null {
    const order = this.orders.get(id);
    if (!order) return null;
    const lineItems = refundLineItems(order, items, () => this.nextId());
    const refund = {
      id: this.nextId(),
      date_created: siteDate(at, this.utcOffsetMinutes),
      date_created_gmt: gmtDate(at),
      amount: Number(amount).toFixed(2),
      reason,
      refunded_by: 1,
      refunded_payment: false,
      meta_data: [],
      line_items: lineItems,
    };
    this.refunds.set(id, [...(this.refunds.get(id) ?? []), refund]);
    const refunds = (order.refunds as Array<Record<string, unknown>>) ?? [];
    refunds.push({ id: refund.id, reason, total: `-${refund.amount}` });
    const refundedAll = refunds.reduce((sum, r) => sum - Number(r.total), 0) >= Number(order.total);
    this.updateOrder(id, { refunds, ...(refundedAll ? { status: 'refunded' } : {}) }, at);
    return refund;
  }

  /** A new id and `date_modified`/`_gmt` of now, as every saved resource carries them. */
  private savedNow(): { id: number; date_modified: string; date_modified_gmt: string } {
    const now = new Date();
    return { id: this.nextId(), date_modified: siteDate(now, this.utcOffsetMinutes), date_modified_gmt: gmtDate(now) };
  }

  /**
   * A simple product as `GET /wc/v3/products/{id}` shows it (docs `_products.md`, the fields a webhook payload carries
   * too: woocommerce.md §8 builds it from the same endpoint). Variable products are not made here.
   */
  addProduct(input: WooProductInput): Record<string, unknown> {
    const saved = this.savedNow();
    const slug = input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const product = {
      id: saved.id,
      name: input.name,
      slug,
      date_created: saved.date_modified,
      date_created_gmt: saved.date_modified_gmt,
      date_modified: saved.date_modified,
      date_modified_gmt: saved.date_modified_gmt,
      type: 'simple',
      status: 'publish',
      featured: false,
      catalog_visibility: 'visible',
      description: '',
      short_description: '',
      sku: input.sku,
      price: input.price,
      regular_price: input.price,
      sale_price: '',
      on_sale: false,
      purchasable: true,
      total_sales: 0,
      virtual: false,
      downloadable: false,
      tax_status: 'taxable',
      tax_class: '',
      manage_stock: false,
      stock_quantity: null,
      stock_status: 'instock',
      parent_id: 0,
      categories: [{ id: 15, name: 'Uncategorized', slug: 'uncategorized' }],
      tags: [],
      images: [],
      attributes: [],
      default_attributes: [],
      variations: [],
      grouped_products: [],
      menu_order: 0,
      meta_data: [],
    };
    this.products.set(product.id, product);
    this.variations.set(product.id, []);
    return product;
  }

  /** A customer as `GET /wc/v3/customers/{id}` shows it (docs `_customers.md`). */
  addCustomer(input: WooCustomerInput): Record<string, unknown> {
    const saved = this.savedNow();
    const address = { first_name: input.firstName, last_name: input.lastName, company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '' };
    const customer = {
      id: saved.id,
      date_created: saved.date_modified,
      date_created_gmt: saved.date_modified_gmt,
      date_modified: saved.date_modified,
      date_modified_gmt: saved.date_modified_gmt,
      email: input.email,
      first_name: input.firstName,
      last_name: input.lastName,
      role: 'customer',
      username: input.email.split('@')[0]!,
      billing: { ...address, email: input.email, phone: '' },
      shipping: address,
      is_paying_customer: false,
      avatar_url: `https://secure.gravatar.com/avatar/${createHash('md5').update(input.email.trim().toLowerCase()).digest('hex')}?s=96`,
      meta_data: [],
    };
    this.customers.set(customer.id, customer);
    return customer;
  }

  /** Changes a product or customer the way a save in wp-admin does: the fields, and date_modified. */
  updateRecord(resource: 'products' | 'customers', id: number, patch: Record<string, unknown>, at = new Date()): Record<string, unknown> | null {
    const record = this[resource].get(id);
    if (!record) return null;
    Object.assign(record, patch, { date_modified: siteDate(at, this.utcOffsetMinutes), date_modified_gmt: gmtDate(at) });
    return record;
  }

  createWebhook(input: { name?: string; topic: string; deliveryUrl: string; secret?: string; status?: Webhook['status'] }): Webhook {
    const now = new Date();
    const webhook: Webhook = {
      id: ++this.lastWebhookId,
      name: input.name ?? `Webhook created on ${now.toUTCString()}`,
      status: input.status ?? 'active',
      topic: input.topic.toLowerCase(),
      deliveryUrl: input.deliveryUrl,
      // Without one, WooCommerce derives a secret; we make a random one the creator cannot know.
      secret: input.secret ?? randomBytes(16).toString('hex'),
      createdAt: now,
      modifiedAt: now,
      failureCount: 0,
    };
    this.webhooks.set(webhook.id, webhook);
    return webhook;
  }

  /** A webhook as GET /webhooks shows it (the secret is write-only in the schema). */
  webhookJson(webhook: Webhook): Record<string, unknown> {
    const [resource, event] = webhook.topic.split('.');
    return {
      id: webhook.id,
      name: webhook.name,
      status: webhook.status,
      topic: webhook.topic,
      resource,
      event,
      hooks: [`woocommerce_${event === 'created' ? 'new' : event === 'updated' ? 'update' : event}_${resource}`],
      delivery_url: webhook.deliveryUrl,
      date_created: siteDate(webhook.createdAt, this.utcOffsetMinutes),
      date_created_gmt: gmtDate(webhook.createdAt),
      date_modified: siteDate(webhook.modifiedAt, this.utcOffsetMinutes),
      date_modified_gmt: gmtDate(webhook.modifiedAt),
    };
  }
}

function hashKey(consumerKey: string): string {
  return createHash('sha256').update(consumerKey).digest('hex');
}

/** A line given back by a refund, as `POST orders/{id}/refunds` takes it: the order item, units and amount before tax. */
export interface RefundItemInput {
  id: number;
  quantity: number;
  refund_total: string;
  refund_tax?: string;
}

/**
 * The refund's line items as WooCommerce lists them: negative quantity and amounts, the order item's name and
 * product, and `_refunded_item_id` naming the order item (woocommerce.md §3; the meta key [U]).
 */
function refundLineItems(order: Record<string, unknown>, items: RefundItemInput[], nextId: () => number): Array<Record<string, unknown>> {
  const sold = (order.line_items as Array<Record<string, unknown>>) ?? [];
  return items.flatMap((item) => {
    const line = sold.find((candidate) => candidate.id === item.id);
    if (!line) return [];
    const total = Number(item.refund_total).toFixed(2);
    const tax = Number(item.refund_tax ?? 0).toFixed(2);
    return [{
      id: nextId(),
      name: line.name,
      product_id: line.product_id,
      variation_id: line.variation_id,
      quantity: -Math.abs(item.quantity),
      subtotal: `-${total}`,
      subtotal_tax: `-${tax}`,
      total: `-${total}`,
      total_tax: `-${tax}`,
      sku: line.sku,
      meta_data: [{ id: nextId(), key: '_refunded_item_id', value: String(item.id) }],
    }];
  });
}
