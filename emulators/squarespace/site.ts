import { randomBytes } from 'node:crypto';
import { buildOrder, hexId, type SquarespaceOrderInput } from './order-builder.js';

export interface SiteOptions {
  clientId?: string;
  clientSecret?: string;
  websiteId?: string;
  siteTitle?: string;
  currency?: string;
  /** Access token lifetime; Squarespace's is 30 minutes (FIDELITY: OAuth). */
  accessTokenTtlMs?: number;
  refreshTokenTtlMs?: number;
  /** Requests per window per website; Squarespace's is 300 a minute. */
  rateLimit?: { requests: number; windowMs: number; coolDownMs: number };
  /** Orders per page; Squarespace's is 50, not configurable by a client. */
  pageSize?: number;
  /** Which way lists run: undocumented, so both can be played (FIDELITY: pagination). */
  listOrder?: 'ascending' | 'descending';
}

export interface Token {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
  scopes: string[];
  /** Revoked (uninstall, the merchant disconnecting, the revoke endpoint): every use is a 401. */
  revoked: boolean;
  /** This pair's refresh token was traded; it stays usable until the new access token is used (rotation). */
  replacedBy: string | null;
  used: boolean;
}

export interface Subscription {
  id: string;
  endpointUrl: string;
  topics: string[];
  secret: string;
  createdOn: string;
  updatedOn: string;
}

/** One Squarespace website as its APIs see it: orders, transactions, products, profiles, grants, subscriptions. */
export class SquarespaceSite {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly websiteId: string;
  readonly siteTitle: string;
  readonly currency: string;
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  readonly pageSize: number;
  listOrder: 'ascending' | 'descending';
  rateLimit: { requests: number; windowMs: number; coolDownMs: number };
  readonly orders = new Map<string, Record<string, unknown>>();
  readonly documents = new Map<string, Record<string, unknown>>();
  readonly products: Record<string, unknown>[] = [];
  readonly profiles = new Map<string, Record<string, unknown>>();
  readonly tokens = new Map<string, Token>();
  readonly codes = new Map<string, { redirectUri: string; scopes: string[]; expiresAt: number; used: boolean }>();
  readonly subscriptions = new Map<string, Subscription>();
  private orderNumber = 1000;
  private lastModified = 0;

  constructor(options: SiteOptions = {}) {
    this.clientId = options.clientId ?? 'squarespace-client';
    this.clientSecret = options.clientSecret ?? 'squarespace-secret';
    this.websiteId = options.websiteId ?? hexId();
    this.siteTitle = options.siteTitle ?? 'Emulated Squarespace Site';
    this.currency = options.currency ?? 'USD';
    this.accessTokenTtlMs = options.accessTokenTtlMs ?? 30 * 60_000;
    this.refreshTokenTtlMs = options.refreshTokenTtlMs ?? 7 * 24 * 3_600_000;
    this.pageSize = options.pageSize ?? 50;
    this.listOrder = options.listOrder ?? 'ascending';
    this.rateLimit = options.rateLimit ?? { requests: 300, windowMs: 60_000, coolDownMs: 60_000 };
  }

  /** A strictly later millisecond than any change before: modifiedOn orders the changes. */
  private stamp(): string {
    this.lastModified = Math.max(Date.now(), this.lastModified + 1);
    return new Date(this.lastModified).toISOString();
  }

  createOrder(input: SquarespaceOrderInput): Record<string, unknown> {
    const at = this.stamp();
    const { order, document } = buildOrder(input, ++this.orderNumber, this.currency, new Date(at));
    this.orders.set(order.id as string, order);
    this.documents.set(order.id as string, document);
    if (input.customer && order.customerId) {
      this.profiles.set(order.customerId as string, {
        id: order.customerId,
        firstName: input.customer.firstName ?? null,
        lastName: input.customer.lastName ?? null,
        email: input.customer.email,
        hasAccount: false,
        isCustomer: true,
        createdOn: at,
        address: order.billingAddress,
        acceptsMarketing: false,
      });
    }
    for (const line of order.lineItems as Array<Record<string, unknown>>) this.addProduct(line);
    return order;
  }

  /** A change in the merchant's panel (fulfil, cancel, refund): modifiedOn moves. */
  updateOrder(id: string, patch: Record<string, unknown>): Record<string, unknown> | null {
    const order = this.orders.get(id);
    if (!order) return null;
    Object.assign(order, patch, { modifiedOn: this.stamp() });
    return order;
  }

  private addProduct(line: Record<string, unknown>): void {
    if (this.products.some((p) => (p.variants as Array<{ sku: string | null }>).some((v) => v.sku !== null && v.sku === line.sku))) return;
    const price = line.unitPricePaid;
    this.products.push({
      id: line.productId,
      type: 'PHYSICAL',
      storePageId: hexId(),
      name: line.productName,
      description: '',
      url: `/store/p/${String(line.productName).toLowerCase().replace(/\W+/g, '-')}`,
      urlSlug: String(line.productName).toLowerCase().replace(/\W+/g, '-'),
      tags: [],
      isVisible: true,
      createdOn: new Date().toISOString(),
      modifiedOn: new Date().toISOString(),
      variants: [{ id: line.variantId, sku: line.sku, pricing: { basePrice: price, salePrice: price, onSale: false }, stock: { quantity: 10, unlimited: false }, attributes: {}, shippingMeasurements: null, image: null }],
      images: [],
    });
  }

  issueToken(scopes: string[]): Token {
    const token: Token = {
      accessToken: randomBytes(24).toString('base64url'),
      refreshToken: randomBytes(24).toString('base64url'),
      accessExpiresAt: Date.now() + this.accessTokenTtlMs,
      refreshExpiresAt: Date.now() + this.refreshTokenTtlMs,
      scopes,
      revoked: false,
      replacedBy: null,
      used: false,
    };
    this.tokens.set(token.accessToken, token);
    return token;
  }

  /** The merchant disconnects the extension: every grant dies at once. */
  revokeAll(): number {
    let count = 0;
    for (const token of this.tokens.values()) {
      if (!token.revoked) count++;
      token.revoked = true;
    }
    return count;
  }

  /** Expires every access token now (the 30 minutes passed): the next call must refresh. */
  expireAccessTokens(): void {
    for (const token of this.tokens.values()) token.accessExpiresAt = Date.now() - 1;
  }

  createSubscription(endpointUrl: string, topics: string[]): Subscription {
    const now = new Date().toISOString();
    const subscription = { id: hexId(), endpointUrl, topics, secret: randomBytes(32).toString('hex'), createdOn: now, updatedOn: now };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }
}
