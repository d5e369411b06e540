import { randomBytes } from 'node:crypto';
import { amountsIn, fromMinor } from '../../domain/money.js';
import { buildOrder, hexId, type Money, type SquarespaceOrderInput } from './order-builder.js';
import { buildProduct, buildProfile, type SquarespaceProductInput, type SquarespaceProfileInput } from './catalog-builder.js';

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
  /**
   * Whether an OAuth token may read Profiles: no OAuth scope names them (FIDELITY: profiles [U]), so both are played;
   * `refused` answers 403 AUTHORIZATION_ERROR/FORBIDDEN_RESOURCE.
   */
  profilesForOAuth?: 'served' | 'refused';
  /**
   * When a refund made in Squarespace is listed in its order's Transactions document (FIDELITY: refunds [U]):
   * `at_once` (the default) with the refund; `later` plays a pending refund, on the order's `refundedTotal` (and its
   * notification sent) at once but listed only when `listPendingRefunds` says so, or by itself after
   * `refundListingDelayMs` when that is set. Listing it moves the document's modifiedOn, not the order's.
   */
  refundListing?: 'at_once' | 'later';
  refundListingDelayMs?: number | null;
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

/** One refund of a payment as the Transactions API lists it (`payments[].refunds[]`). */
export interface SquarespaceRefund {
  id: string;
  amount: Money;
  refundedOn: string;
  externalTransactionId: string;
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
  profilesForOAuth: 'served' | 'refused';
  rateLimit: { requests: number; windowMs: number; coolDownMs: number };
  refundListing: 'at_once' | 'later';
  refundListingDelayMs: number | null;
  /** Refunds on their orders' refundedTotal that the Transactions documents do not list yet, by order id. */
  readonly pendingRefunds = new Map<string, SquarespaceRefund[]>();
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
    this.profilesForOAuth = options.profilesForOAuth ?? 'served';
    this.rateLimit = options.rateLimit ?? { requests: 300, windowMs: 60_000, coolDownMs: 60_000 };
    this.refundListing = options.refundListing ?? 'at_once';
    this.refundListingDelayMs = options.refundListingDelayMs ?? null;
  }

  /** A strictly later millisecond than any change before: modifiedOn orders the changes. */
  private stamp(): string {
    this.lastModified = Math.max(Date.now(), this.lastModified + 1);
    return new Date(this.lastModified).toISOString();
  }

  createOrder(input: SquarespaceOrderInput): Record<string, unknown> {
    const at = this.stamp();
    const { order, document } = buildOrder(input, ++this.orderNumber, this.currency, new Date(at));
    if (input.customer) {
      // A profile has a unique email [C: Profiles overview]: a returning customer's order names the same profile.
      const profile = this.profileByEmail(input.customer.email) ?? this.createProfile({ ...input.customer, isCustomer: true }, order.customerId as string);
      profile.isCustomer = true;
      order.customerId = profile.id;
    }
    this.orders.set(order.id as string, order);
    this.documents.set(order.id as string, document);
    for (const line of order.lineItems as Array<Record<string, unknown>>) this.addProductOfLine(line);
    return order;
  }

  /** A change in the merchant's panel (fulfil, cancel, refund): modifiedOn moves. */
  updateOrder(id: string, patch: Record<string, unknown>): Record<string, unknown> | null {
    const order = this.orders.get(id);
    if (!order) return null;
    Object.assign(order, patch, { modifiedOn: this.stamp() });
    return order;
  }

  /**
   * The merchant refunds `amount` of the order in Squarespace: the order's `refundedTotal` grows and its paymentState
   * is REFUNDED (any refund [S]), and the order's Transactions document lists the refund under its payment
   * (`payments[].refunds[]`: id, amount, refundedOn, externalTransactionId) [C/S]. A refund made at the gateway
   * (in Stripe's dashboard) never reaches the Transactions API [C]; whether the order shows it is not documented
   * [U]: `atGateway: 'shown'` plays an order that does, `'unseen'` one that does not. With refundListing `later` the
   * refund is pending: on the order now, in the Transactions document only once listed [U]. Null: no such order.
   */
  refundOrder(id: string, amount: string, atGateway?: 'shown' | 'unseen'): { order: Record<string, unknown>; refund: SquarespaceRefund | null } | null {
    const order = this.orders.get(id);
    const document = this.documents.get(id);
    if (!order || !document) return null;
    if (atGateway === 'unseen') return { order, refund: null };
    const currency = (order.grandTotal as Money).currency;
    const { minor } = amountsIn(currency);
    const asMoney = (cents: number): Money => ({ currency, value: fromMinor(cents, currency) });
    const cents = minor(amount);
    const refunded = minor((order.refundedTotal as Money).value);
    if (!(cents > 0) || refunded + cents > minor((order.grandTotal as Money).value)) throw new Error(`cannot refund ${amount} of order ${id}: ${(order.refundedTotal as Money).value} of ${(order.grandTotal as Money).value} refunded already`);
    const at = this.stamp();
    let refund: SquarespaceRefund | null = null;
    if (!atGateway) {
      refund = { id: hexId(), amount: asMoney(cents), refundedOn: at, externalTransactionId: `re_${randomBytes(12).toString('hex')}` };
      if (this.refundListing === 'later') {
        this.pendingRefunds.set(id, [...(this.pendingRefunds.get(id) ?? []), refund]);
        if (this.refundListingDelayMs !== null) setTimeout(() => this.listPendingRefunds(id), this.refundListingDelayMs).unref();
      } else {
        this.listRefund(document, refund, at);
      }
    }
    Object.assign(order, { refundedTotal: asMoney(refunded + cents), paymentState: 'REFUNDED', modifiedOn: at });
    return { order, refund };
  }

  /**
   * Pending refunds (refundListing `later`) appear in their orders' Transactions documents now; the orders themselves
   * do not change (their modifiedOn stays). Returns how many were listed.
   */
  listPendingRefunds(orderId?: string): number {
    let listed = 0;
    for (const [id, refunds] of [...this.pendingRefunds]) {
      if (orderId !== undefined && id !== orderId) continue;
      this.pendingRefunds.delete(id);
      const document = this.documents.get(id);
      if (!document) continue;
      for (const refund of refunds) this.listRefund(document, refund, this.stamp());
      listed += refunds.length;
    }
    return listed;
  }

  /** A refund under the document's payment (`payments[].refunds[]`), with the payment's and document's sums following. */
  private listRefund(document: Record<string, unknown>, refund: SquarespaceRefund, at: string): void {
    const { minor } = amountsIn(refund.amount.currency);
    const asMoney = (cents: number): Money => ({ currency: refund.amount.currency, value: fromMinor(cents, refund.amount.currency) });
    const cents = minor(refund.amount.value);
    const [payment] = document.payments as Array<Record<string, unknown>>;
    (payment!.refunds as SquarespaceRefund[]).push(refund);
    payment!.refundedAmount = asMoney(minor((payment!.refundedAmount as Money).value) + cents);
    payment!.netAmount = asMoney(minor((payment!.netAmount as Money).value) - cents);
    document.totalNetPayment = asMoney(minor((document.totalNetPayment as Money).value) - cents);
    document.modifiedOn = at;
  }

  /** A site user (customer, subscriber, donor) as the Profiles panel has it. */
  createProfile(input: SquarespaceProfileInput, id = hexId()): Record<string, unknown> {
    const profile = buildProfile(input, id, this.stamp(), this.currency);
    this.profiles.set(id, profile);
    return profile;
  }

  profileByEmail(email: string): Record<string, unknown> | undefined {
    return [...this.profiles.values()].find((p) => String(p.email).toLowerCase() === email.toLowerCase());
  }

  /** A product added in the merchant's panel, with its variants. */
  createProduct(input: SquarespaceProductInput): Record<string, unknown> {
    const product = buildProduct(input, this.stamp(), this.currency);
    this.products.push(product);
    return product;
  }

  /** The merchant edits a product: modifiedOn moves. */
  updateProduct(id: string, patch: Record<string, unknown>): Record<string, unknown> | null {
    const product = this.products.find((p) => p.id === id);
    if (!product) return null;
    Object.assign(product, patch, { modifiedOn: this.stamp() });
    return product;
  }

  /** An order's line names a product the site sells: one is made for a SKU the site does not have yet. */
  private addProductOfLine(line: Record<string, unknown>): void {
    if (this.products.some((p) => (p.variants as Array<{ sku: string | null }>).some((v) => v.sku !== null && v.sku === line.sku))) return;
    const price = (line.unitPricePaid as { value: string }).value;
    this.products.push(buildProduct({ name: String(line.productName), id: String(line.productId), variants: [{ id: String(line.variantId), sku: (line.sku as string | null) ?? null, price }] }, this.stamp(), this.currency));
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
