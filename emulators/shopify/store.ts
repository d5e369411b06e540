import type { EmulatedPayout } from './payouts.js';
import { randomBytes } from 'node:crypto';
import { amountsIn } from '../../domain/money.js';
import type {
  AuthorizationCode,
  EmulatedCustomer,
  EmulatedLineItem,
  EmulatedOrder,
  EmulatedProduct,
  EmulatedShippingLine,
  EmulatedShop,
  EmulatedTaxLine,
  EmulatedToken,
  FinancialStatus,
} from './model.js';

export interface ShopInput {
  domain: string;
  name?: string;
  email?: string;
  currencyCode?: string;
  /** Scopes granted before any OAuth happens (e.g. for tokens issued through the control API). */
  grantedScopes?: string[];
  installed?: boolean;
  customerDataWithheld?: boolean;
}

export interface LineItemInput {
  title: string;
  sku?: string | null;
  variantId?: string | null;
  quantity: number;
  currentQuantity?: number;
  unitPrice: string;
  discount?: string;
  /** Several discount applications on the line, as real checkouts stack them; `discount` becomes their sum. */
  discountAllocations?: string[];
  taxable?: boolean;
  taxLines?: EmulatedTaxLine[];
}

export interface ShippingLineInput {
  title: string;
  code?: string | null;
  price: string;
  discountedPrice?: string;
  taxLines?: EmulatedTaxLine[];
}

export interface CustomerInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export interface OrderInput {
  name?: string;
  createdAt?: string;
  financialStatus?: FinancialStatus;
  currency?: string;
  presentmentCurrency?: string;
  presentmentRate?: number;
  taxesIncluded?: boolean;
  note?: string | null;
  email?: string | null;
  /** An existing customer's id, or the details of a new one. */
  customerId?: string | null;
  customer?: CustomerInput;
  lineItems: LineItemInput[];
  shippingLines?: ShippingLineInput[];
}

export type OrderPatch = Partial<Omit<OrderInput, 'customer' | 'customerId'>> & { cancelledAt?: string | null };

export interface ProductInput {
  title: string;
  variants?: Array<{ title?: string; sku?: string | null; price: string }>;
}

export interface ProductPatch {
  title?: string;
  variants?: Array<{ id: string; title?: string; sku?: string | null; price?: string }>;
}

/** updated_at must move forward even when two updates land in the same millisecond. */
function laterThan(previous: string): string {
  return new Date(Math.max(Date.now(), Date.parse(previous) + 1)).toISOString();
}

const ID_BASES = {
  // Order ids start above 2^53 so JSON consumers that parse them as doubles visibly lose digits.
  order: 9_007_199_254_741_000n,
  lineItem: 14_000_000_000_000n,
  shippingLine: 4_100_000_000_000n,
  customer: 7_100_000_000_000n,
  product: 8_100_000_000_000n,
  variant: 44_000_000_000_000n,
  shop: 60_000_000_000n,
  refund: 980_000_000_000n,
  refundLineItem: 650_000_000_000n,
  transaction: 5_500_000_000_000n,
  payout: 81_000_000n,
  balanceTransaction: 3_300_000_000n,
};
type IdKind = keyof typeof ID_BASES;

/** Per-shop data the emulator serves. */
export interface ShopData {
  shop: EmulatedShop;
  orders: Map<string, EmulatedOrder>;
  customers: Map<string, EmulatedCustomer>;
  products: Map<string, EmulatedProduct>;
  /** Shopify Payments payouts, each with its balance transactions (payouts.ts). */
  payouts: Map<string, EmulatedPayout>;
  nextOrderNumber: number;
}

/** In-memory state of every shop the emulator hosts, plus the app's tokens and codes. */
export class ShopifyStore {
  readonly shops = new Map<string, ShopData>();
  readonly tokens = new Map<string, EmulatedToken>();
  readonly codes = new Map<string, AuthorizationCode>();
  private readonly counters = new Map<IdKind, bigint>();

  constructor(readonly defaultShopDomain: string) {}

  nextId(kind: IdKind): string {
    const next = (this.counters.get(kind) ?? ID_BASES[kind]) + 1n;
    this.counters.set(kind, next);
    return next.toString();
  }

  addShop(input: ShopInput): ShopData {
    const domain = input.domain.toLowerCase();
    const handle = domain.split('.')[0] ?? domain;
    const data: ShopData = {
      shop: {
        id: this.nextId('shop'),
        domain,
        name: input.name ?? `${handle[0]?.toUpperCase() ?? ''}${handle.slice(1)} Shop`,
        email: input.email ?? `owner@${domain}`,
        currencyCode: input.currencyCode ?? 'USD',
        installed: input.installed ?? true,
        grantedScopes: input.grantedScopes ?? [],
        customerDataWithheld: input.customerDataWithheld ?? false,
      },
      orders: new Map(),
      customers: new Map(),
      products: new Map(),
      payouts: new Map(),
      nextOrderNumber: 1001,
    };
    this.shops.set(domain, data);
    return data;
  }

  /** The shop by domain, or the default shop when no domain is given. Throws for an unknown shop. */
  shop(domain?: string | null): ShopData {
    const data = this.shops.get((domain ?? this.defaultShopDomain).toLowerCase());
    if (!data) throw new UnknownShopError(domain ?? this.defaultShopDomain);
    return data;
  }

  findShop(domain: string | null | undefined): ShopData | undefined {
    return domain ? this.shops.get(domain.toLowerCase()) : undefined;
  }

  createCustomer(shopDomain: string | undefined, input: CustomerInput): EmulatedCustomer {
    const now = new Date().toISOString();
    const customer: EmulatedCustomer = {
      id: this.nextId('customer'),
      email: input.email ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.shop(shopDomain).customers.set(customer.id, customer);
    return customer;
  }

  createProduct(shopDomain: string | undefined, input: ProductInput): EmulatedProduct {
    const now = new Date().toISOString();
    const variants = (input.variants ?? [{ price: '0.00' }]).map((variant) => ({
      id: this.nextId('variant'),
      title: variant.title ?? 'Default Title',
      sku: variant.sku ?? null,
      price: variant.price,
    }));
    const product: EmulatedProduct = { id: this.nextId('product'), title: input.title, createdAt: now, updatedAt: now, variants };
    this.shop(shopDomain).products.set(product.id, product);
    return product;
  }

  /** The merchant edits a customer: the fields given change, updated_at moves forward. */
  updateCustomer(shopDomain: string | undefined, customerId: string, patch: CustomerInput): EmulatedCustomer {
    const customer = this.shop(shopDomain).customers.get(customerId);
    if (!customer) throw new Error(`unknown customer ${customerId}`);
    for (const key of ['email', 'firstName', 'lastName'] as const) if (patch[key] !== undefined) customer[key] = patch[key] ?? null;
    customer.updatedAt = laterThan(customer.updatedAt);
    return customer;
  }

  /** The merchant edits a product: its title, or a variant's SKU, title or price by variant id. */
  updateProduct(shopDomain: string | undefined, productId: string, patch: ProductPatch): EmulatedProduct {
    const product = this.shop(shopDomain).products.get(productId);
    if (!product) throw new Error(`unknown product ${productId}`);
    if (patch.title !== undefined) product.title = patch.title;
    for (const change of patch.variants ?? []) {
      const variant = product.variants.find((v) => v.id === change.id);
      if (!variant) throw new Error(`product ${productId} has no variant ${change.id}`);
      if (change.title !== undefined) variant.title = change.title;
      if (change.sku !== undefined) variant.sku = change.sku;
      if (change.price !== undefined) variant.price = change.price;
    }
    product.updatedAt = laterThan(product.updatedAt);
    return product;
  }

  createOrder(shopDomain: string | undefined, input: OrderInput): EmulatedOrder {
    const data = this.shop(shopDomain);
    const customerId =
      input.customerId ?? (input.customer ? this.createCustomer(data.shop.domain, input.customer).id : null);
    const customer = customerId ? data.customers.get(customerId) : undefined;
    if (customerId && !customer) throw new Error(`unknown customer ${customerId}`);
    const number = data.nextOrderNumber++;
    const createdAt = input.createdAt ?? new Date().toISOString();
    const currency = input.currency ?? data.shop.currencyCode;
    const order: EmulatedOrder = {
      id: this.nextId('order'),
      name: input.name ?? `#${number}`,
      number,
      createdAt,
      updatedAt: createdAt,
      cancelledAt: null,
      financialStatus: input.financialStatus ?? 'PAID',
      currency,
      presentmentCurrency: input.presentmentCurrency ?? currency,
      presentmentRate: input.presentmentRate ?? 1,
      taxesIncluded: input.taxesIncluded ?? false,
      note: input.note ?? null,
      email: input.email ?? customer?.email ?? null,
      customerId: customerId ?? null,
      lineItems: input.lineItems.map((line) => this.lineItem(line, currency)),
      shippingLines: (input.shippingLines ?? []).map((line) => this.shippingLine(line)),
    };
    data.orders.set(order.id, order);
    return order;
  }

  updateOrder(shopDomain: string | undefined, orderId: string, patch: OrderPatch): EmulatedOrder {
    const data = this.shop(shopDomain);
    const order = data.orders.get(orderId);
    if (!order) throw new Error(`unknown order ${orderId}`);
    const { lineItems, shippingLines, ...scalars } = patch;
    Object.assign(order, scalars);
    if (lineItems) order.lineItems = lineItems.map((line) => this.lineItem(line, order.currency));
    if (shippingLines) order.shippingLines = shippingLines.map((line) => this.shippingLine(line));
    // updated_at must move forward even when two updates land in the same millisecond.
    const previous = Date.parse(order.updatedAt);
    order.updatedAt = new Date(Math.max(Date.now(), previous + 1)).toISOString();
    return order;
  }

  issueToken(shopDomain: string, kind: EmulatedToken['kind']): EmulatedToken {
    const now = Date.now();
    if (kind === 'expiring') {
      // One expiring offline token per app and shop: a new one revokes the previous ones.
      for (const token of this.tokens.values()) {
        if (token.shop === shopDomain && token.kind === 'expiring') token.revoked = true;
      }
    } else {
      // Re-authorizing returns the same non-expiring offline token.
      const existing = [...this.tokens.values()].find((t) => t.shop === shopDomain && t.kind === 'offline' && !t.revoked);
      if (existing) return existing;
    }
    const token: EmulatedToken = {
      accessToken: `shpat_${randomBytes(16).toString('hex')}`,
      shop: shopDomain,
      kind,
      issuedAt: new Date(now).toISOString(),
      expiresAt: kind === 'expiring' ? new Date(now + ACCESS_TOKEN_LIFETIME_S * 1000).toISOString() : null,
      revoked: false,
      refreshToken: kind === 'expiring' ? `shprt_${randomBytes(16).toString('hex')}` : null,
      refreshTokenExpiresAt: kind === 'expiring' ? new Date(now + REFRESH_TOKEN_LIFETIME_S * 1000).toISOString() : null,
      refreshTokenUsed: false,
      replacedBy: null,
      firstUsedAt: null,
    };
    this.tokens.set(token.accessToken, token);
    return token;
  }

  /**
   * Shopify's resilient refreshes (changelog 2026-08-28): a used refresh token keeps working until its
   * replacement is used, so a client that crashed before saving the new pair can refresh again.
   */
  replacementUnused(token: EmulatedToken): boolean {
    if (!token.replacedBy) return false;
    const replacement = this.tokens.get(token.replacedBy);
    return !!replacement && !replacement.firstUsedAt && !replacement.refreshTokenUsed && !replacement.revokedHard;
  }

  /** The token's shop when it is live, else null (unknown, revoked, expired, or app uninstalled). */
  liveToken(accessToken: string | undefined): EmulatedToken | null {
    if (!accessToken) return null;
    const token = this.tokens.get(accessToken);
    if (!token || token.revoked) return null;
    if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return null;
    if (!this.findShop(token.shop)?.shop.installed) return null;
    token.firstUsedAt ??= new Date().toISOString();
    return token;
  }

  revokeShopTokens(shopDomain: string): void {
    for (const token of this.tokens.values()) {
      if (token.shop === shopDomain) {
        token.revoked = true;
        token.revokedHard = true;
      }
    }
  }

  private lineItem(input: LineItemInput, currency: string): EmulatedLineItem {
    const { minor: toCents, amount: fromCents } = amountsIn(currency);
    return {
      id: this.nextId('lineItem'),
      title: input.title,
      sku: input.sku ?? null,
      variantId: input.variantId ?? null,
      quantity: input.quantity,
      currentQuantity: input.currentQuantity ?? input.quantity,
      unitPrice: input.unitPrice,
      discount: input.discountAllocations ? fromCents(input.discountAllocations.reduce((sum, d) => sum + toCents(d), 0)) : (input.discount ?? fromCents(0)),
      ...(input.discountAllocations ? { discountAllocations: [...input.discountAllocations] } : {}),
      taxable: input.taxable ?? (input.taxLines ?? []).length > 0,
      taxLines: input.taxLines ?? [],
    };
  }

  private shippingLine(input: ShippingLineInput): EmulatedShippingLine {
    return {
      id: this.nextId('shippingLine'),
      title: input.title,
      code: input.code ?? null,
      price: input.price,
      discountedPrice: input.discountedPrice ?? input.price,
      taxLines: input.taxLines ?? [],
    };
  }
}

export const ACCESS_TOKEN_LIFETIME_S = 3600;
export const REFRESH_TOKEN_LIFETIME_S = 7_776_000;

export class UnknownShopError extends Error {
  constructor(readonly domain: string) {
    super(`The emulator hosts no shop ${domain}`);
  }
}
