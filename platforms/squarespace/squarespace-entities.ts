import type { StoreCustomer, StoreProduct, StoreProductVariant, StoreRecordPage } from '../../domain/commerce-entities.js';
import { fromMinor } from '../../domain/money.js';
import { MissingScopeError } from '../../domain/platform-errors.js';
import { SquarespaceRequestRefusedError, type SquarespaceCallContext } from './error-translation.js';
import { cents } from './order-mapping.js';
import type { SquarespaceMoney, SquarespaceOrder } from './order-shape.js';
import type { SquarespaceClient } from './squarespace-client.js';

/** Every payment state: omitted, Squarespace lists only NOT_CHARGED, AUTHORIZED, PAID and REFUNDED [S]. */
export const ALL_PAYMENT_STATES = 'NOT_CHARGED,AUTHORIZED,PAID,PARTIALLY_PAID,PENDING,FAILED,REFUND_PENDING,REFUNDED,REFUND_FAILED';
/** The product types Squarespace's v2 listing supports [C: retrieve-all-products]; `type` is required on a first page. */
const PRODUCT_TYPES = 'PHYSICAL,DIGITAL';
/** Order pages read per call when customers are found through orders (Profiles refused). */
const MAX_ORDER_PAGES = 20;
/** A cursor of the fallback listing (customers through their orders), told apart from a Profiles cursor. */
const ORDERS_CURSOR = 'orders:';

const isSquarespaceId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

interface Profile {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

interface ProductV2 {
  id: string;
  name: string | null;
  variants: Array<{ id: string; sku: string | null; pricing?: { basePrice?: SquarespaceMoney | null } | null; attributes?: Record<string, string> | null }> | null;
}

interface ListPage {
  pagination?: { hasNextPage?: boolean; nextPageCursor?: string | null };
  profiles?: Profile[];
  products?: ProductV2[];
  result?: SquarespaceOrder[];
}

const nextOf = (page: ListPage) => (page.pagination?.hasNextPage ? page.pagination.nextPageCursor ?? undefined : undefined);

/**
 * A site's customers (Profiles 1.0, `isCustomer`) and products (Products v2 with their variants). Squarespace sends
 * no notification for either (its topics are order.create, order.update, extension.uninstall), so they sync by a
 * full re-sync and when an order names them. No OAuth scope names Profiles [U]: a site that refuses them
 * (403) has its customers read from their orders (the Orders API shows name and email) instead.
 */
export class SquarespaceEntityReader {
  private currency: string | null = null;

  constructor(
    private readonly client: SquarespaceClient,
    private readonly ctx: (action: string) => SquarespaceCallContext,
  ) {}

  async customer(customerId: string): Promise<StoreCustomer | null> {
    if (!isSquarespaceId(customerId)) return null;
    let profile: Profile | null;
    try {
      const answer = await this.client.request<ListPage>('GET', `/1.0/profiles/${customerId}`, this.ctx(`reading customer ${customerId}`));
      profile = answer.profiles?.find((p) => p.id === customerId) ?? null;
    } catch (error) {
      if (error instanceof SquarespaceRequestRefusedError && error.status === 404) return null;
      if (!profilesRefused(error)) throw error;
      profile = await this.customerOfOrders(customerId);
    }
    if (!profile) return null;
    return { id: profile.id, email: profile.email || null, firstName: profile.firstName || null, lastName: profile.lastName || null, currency: await this.siteCurrency() };
  }

  async product(productId: string): Promise<StoreProduct | null> {
    if (!isSquarespaceId(productId)) return null;
    let found: ProductV2 | undefined;
    try {
      const answer = await this.client.request<ListPage>('GET', `/v2/commerce/products/${productId}`, this.ctx(`reading product ${productId}`));
      found = answer.products?.find((p) => p.id === productId);
    } catch (error) {
      // Whether Squarespace answers an unknown id with 404 or an empty list is not documented [U]: both are "none".
      if (error instanceof SquarespaceRequestRefusedError && error.status === 404) return null;
      throw error;
    }
    return found ? toStoreProduct(found, await this.siteCurrency()) : null;
  }

  /** The site's customers: profiles with orders or donations (a newsletter subscriber is no ledger customer). */
  async customerPage(pageCursor?: string): Promise<StoreRecordPage> {
    if (pageCursor?.startsWith(ORDERS_CURSOR)) return this.customersOfOrders(pageCursor.slice(ORDERS_CURSOR.length));
    try {
      const page = await this.client.request<ListPage>('GET', '/1.0/profiles', this.ctx('listing customers'), { query: pageCursor ? { cursor: pageCursor } : { filter: 'isCustomer,true' } });
      const next = nextOf(page);
      return { ids: (page.profiles ?? []).map((p) => p.id), ...(next ? { nextPageCursor: next } : {}) };
    } catch (error) {
      if (!profilesRefused(error) || pageCursor) throw error;
      return this.customersOfOrders();
    }
  }

  /** The site's products, every page of 50 in Squarespace's order (by modification); later pages carry only the cursor [C]. */
  async productPage(pageCursor?: string): Promise<StoreRecordPage> {
    const page = await this.client.request<ListPage>('GET', '/v2/commerce/products', this.ctx('listing products'), { query: pageCursor ? { cursor: pageCursor } : { type: PRODUCT_TYPES } });
    const next = nextOf(page);
    return { ids: (page.products ?? []).map((p) => p.id), ...(next ? { nextPageCursor: next } : {}) };
  }

  /** The store's one currency (one per site [S]), read once: what a customer's sales come in. */
  private async siteCurrency(): Promise<string> {
    this.currency ??= (await this.client.request<{ currency?: string }>('GET', '/1.0/authorization/website', this.ctx("reading the site's currency"))).currency ?? 'USD';
    return this.currency;
  }

  /** A customer as their newest order shows them (`customerId` filter [S]); null without orders. */
  private async customerOfOrders(customerId: string): Promise<Profile | null> {
    const page = await this.client.request<ListPage>('GET', '/1.0/commerce/orders', this.ctx(`reading the orders of customer ${customerId}`), { query: { customerId, paymentStates: ALL_PAYMENT_STATES } });
    const newest = [...(page.result ?? [])].sort((a, b) => (a.modifiedOn < b.modifiedOn ? 1 : -1))[0];
    if (!newest) return null;
    return { id: customerId, email: newest.customerEmail, firstName: newest.billingAddress?.firstName ?? null, lastName: newest.billingAddress?.lastName ?? null };
  }

  /** The customers named by orders, up to 20 order pages a call, each customer once per call. */
  private async customersOfOrders(ordersCursor?: string): Promise<StoreRecordPage> {
    const ids = new Set<string>();
    let query: Record<string, string> = ordersCursor ? { cursor: ordersCursor } : { paymentStates: ALL_PAYMENT_STATES };
    for (let pages = 1; ; pages++) {
      const page = await this.client.request<ListPage>('GET', '/1.0/commerce/orders', this.ctx('listing customers through their orders'), { query });
      for (const order of page.result ?? []) if (order.customerId) ids.add(order.customerId);
      const next = nextOf(page);
      if (!next) return { ids: [...ids] };
      if (pages >= MAX_ORDER_PAGES) return { ids: [...ids], nextPageCursor: ORDERS_CURSOR + next };
      query = { cursor: next };
    }
  }
}

/** A 403 on Profiles: the token may read orders but not site users (no scope asks for them [U]). */
function profilesRefused(error: unknown): boolean {
  return error instanceof MissingScopeError || (error instanceof SquarespaceRequestRefusedError && error.status === 403);
}

/** Product v2 → StoreProduct: a variant's name is its attribute values ("Blue / Large"), its price the base price. */
export function toStoreProduct(product: ProductV2, currency: string): StoreProduct {
  const variants = product.variants ?? [];
  const title = product.name || `Product ${product.id}`;
  return {
    id: product.id,
    title,
    variants: variants.map((variant, i): StoreProductVariant => {
      const named = Object.values(variant.attributes ?? {}).filter(Boolean).join(' / ');
      const base = variant.pricing?.basePrice ?? null;
      return {
        id: variant.id,
        title: named || (variants.length === 1 ? 'Default Title' : `Variant ${i + 1}`),
        // SKUs are optional in Squarespace; an empty one is none.
        sku: variant.sku ? variant.sku : null,
        price: fromMinor(cents(base), base?.currency ?? currency),
      };
    }),
  };
}
