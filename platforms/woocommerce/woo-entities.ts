import type { StoreCustomer, StoreProduct, StoreRecordPage } from '../../domain/commerce-entities.js';
import type { WooClient } from './woo-client.js';
import { WooRequestRefusedError, type WooCallContext } from './woo-error-translation.js';
import { storeCurrency } from './store-currency.js';

/** WooCommerce's most per page (per_page 1..100). */
const PAGE_SIZE = 100;

interface WooCustomer {
  id: number;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
}

interface WooProduct {
  id: number;
  name: string;
  type: string;
  sku: string | null;
  price: string | null;
}

interface WooVariation {
  id: number;
  sku: string | null;
  price: string | null;
  attributes?: Array<{ option?: string }>;
}

/**
 * A store's customers and products through wc/v3 (woocommerce.md §4): `customers/{id}`, `products/{id}` and, for a
 * variable product, `products/{id}/variations`. A customer's sales come in the store's one currency (system_status).
 */
export class WooEntityReader {
  constructor(
    private readonly client: WooClient,
    private readonly ctx: (action: string) => WooCallContext,
  ) {}

  async customer(customerId: string): Promise<StoreCustomer | null> {
    const found = await this.readOrNull<WooCustomer>(`customers/${customerId}`, `reading customer ${customerId}`);
    if (!found) return null;
    const currency = await storeCurrency(this.client, this.ctx);
    return { id: String(found.id), email: found.email || null, firstName: found.first_name || null, lastName: found.last_name || null, currency };
  }

  async product(productId: string): Promise<StoreProduct | null> {
    const found = await this.readOrNull<WooProduct>(`products/${productId}`, `reading product ${productId}`);
    if (!found) return null;
    if (found.type !== 'variable') {
      // A simple product is its own (only) variant.
      return { id: String(found.id), title: found.name, variants: [{ id: String(found.id), title: 'Default Title', sku: found.sku || null, price: found.price || '0.00' }] };
    }
    const variations: WooVariation[] = [];
    for (let page = 1; ; page++) {
      const { data, headers } = await this.client.request<WooVariation[]>('get', `products/${found.id}/variations`, this.ctx(`reading the variations of product ${productId}`), { params: { per_page: PAGE_SIZE, page } });
      variations.push(...data);
      if (page >= Number(headers['x-wp-totalpages'] ?? 1)) break;
    }
    return {
      id: String(found.id),
      title: found.name,
      variants: variations.map((v) => ({ id: String(v.id), title: (v.attributes ?? []).map((a) => a.option).filter(Boolean).join(' / ') || `Variation ${v.id}`, sku: v.sku || null, price: v.price || '0.00' })),
    };
  }

  async page(resource: 'customers' | 'products', pageCursor?: string): Promise<StoreRecordPage> {
    const page = pageCursor ? Number(pageCursor) : 1;
    const { data, headers } = await this.client.request<Array<{ id: number }>>('get', resource, this.ctx(`listing ${resource}`), { params: { per_page: PAGE_SIZE, page, orderby: 'id', order: 'asc' } });
    const ids = data.map((record) => String(record.id));
    return page < Number(headers['x-wp-totalpages'] ?? 1) ? { ids, nextPageCursor: String(page + 1) } : { ids };
  }

  private async readOrNull<T>(endpoint: string, action: string): Promise<T | null> {
    if (!/^\w+\/\d+$/.test(endpoint)) return null;
    try {
      return (await this.client.request<T>('get', endpoint, this.ctx(action))).data;
    } catch (error) {
      // "Invalid ID." / "Invalid resource ID.": deleted, or never there.
      if (error instanceof WooRequestRefusedError && error.status === 404) return null;
      throw error;
    }
  }
}
