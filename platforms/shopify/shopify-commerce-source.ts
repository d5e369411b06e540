import { Session, type Shopify } from '@shopify/shopify-api';
import type { CommerceOrder } from '../../domain/commerce-order.js';
import type { CommerceSource } from '../../domain/commerce-source.js';
import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import type { PlatformConnection } from '../platform.js';
import { toCommerceOrder } from './order-mapping.js';
import {
  CONNECTION_PROBE_QUERY,
  ORDER_LINE_ITEMS_QUERY,
  ORDER_QUERY,
  type LineItemData,
  type LineItemPage,
  type OrderData,
} from './order-query.js';
import { credentialsRejected, translateShopifyError, type ShopifyCallContext } from './shopify-error-translation.js';

const FEW_SHIPPING_LINES = 5;
const MANY_SHIPPING_LINES = 250;

export interface ShopifyCommerceSourceOptions {
  /** Line items fetched per request; Shopify allows 250, we stay well under the 1000-point query cost limit. */
  lineItemPageSize?: number;
}

/** Reads orders from one connected Shopify store through the SDK's GraphQL Admin client. */
export class ShopifyCommerceSource implements CommerceSource {
  private readonly lineItemPageSize: number;

  constructor(
    private readonly shopify: Shopify,
    private readonly connection: PlatformConnection,
    options: ShopifyCommerceSourceOptions = {},
  ) {
    // Shopify reserves first × per-line cost up front: small pages keep a busy shop out of THROTTLED.
    this.lineItemPageSize = options.lineItemPageSize ?? 20;
  }

  get shop(): string {
    const shop = this.connection.account.shop;
    if (!shop) throw new Error(`integration ${this.connection.integrationId} has no Shopify shop in its account`);
    return shop;
  }

  async getOrder(orderId: string): Promise<CommerceOrder | null> {
    const id = orderId.startsWith('gid://') ? orderId : `gid://shopify/Order/${orderId}`;
    const ctx: ShopifyCallContext = { shop: this.shop, action: `reading order ${orderId}`, scope: 'read_orders' };
    let first = await this.request<{ order: OrderData | null }>(ORDER_QUERY, { id, lineItemsFirst: this.lineItemPageSize, shippingLinesFirst: FEW_SHIPPING_LINES }, ctx);
    // Shopify reserves cost for every shipping line asked for; ask for many only for the rare order that has them.
    if (first.order?.shippingLines.pageInfo.hasNextPage) {
      first = await this.request<{ order: OrderData | null }>(ORDER_QUERY, { id, lineItemsFirst: this.lineItemPageSize, shippingLinesFirst: MANY_SHIPPING_LINES }, ctx);
    }
    if (!first.order) return null;
    const lineItems: LineItemData[] = [...first.order.lineItems.nodes];
    let page: LineItemPage = first.order.lineItems;
    while (page.pageInfo.hasNextPage) {
      const next = await this.request<{ order: { lineItems: LineItemPage } | null }>(
        ORDER_LINE_ITEMS_QUERY,
        { id, lineItemsFirst: this.lineItemPageSize, lineItemsAfter: page.pageInfo.endCursor },
        ctx,
      );
      // Deleted between pages: report what Shopify says now.
      if (!next.order) return null;
      page = next.order.lineItems;
      lineItems.push(...page.nodes);
    }
    return toCommerceOrder(first.order, lineItems);
  }

  async checkConnection(): Promise<ConnectionProbe> {
    const data = await this.request<{ shop: { name: string }; currentAppInstallation: { accessScopes: Array<{ handle: string }> } }>(
      CONNECTION_PROBE_QUERY,
      {},
      { shop: this.shop, action: 'checking the connection' },
    );
    return { accountName: data.shop.name, grantedScopes: data.currentAppInstallation.accessScopes.map((s) => s.handle) };
  }

  /** One GraphQL call; a 401 gets one retry with a refreshed token when the token provider has one. */
  private async request<T>(query: string, variables: Record<string, unknown>, ctx: ShopifyCallContext): Promise<T> {
    const token = await this.connection.tokens.getAccessToken();
    try {
      return await this.requestWith<T>(token, query, variables, ctx);
    } catch (error) {
      if (!isCredentialsRejection(error)) throw error;
      const refreshed = await this.connection.tokens.refreshAfterRejection(token);
      if (!refreshed) throw error;
      try {
        return await this.requestWith<T>(refreshed, query, variables, ctx);
      } catch (retryError) {
        if (isCredentialsRejection(retryError)) throw credentialsRejected(ctx, `HTTP 401 again after refreshing the token`);
        throw retryError;
      }
    }
  }

  private async requestWith<T>(accessToken: string, query: string, variables: Record<string, unknown>, ctx: ShopifyCallContext): Promise<T> {
    const session = new Session({ id: `offline_${this.shop}`, shop: this.shop, state: '', isOnline: false, accessToken });
    const client = new this.shopify.clients.Graphql({ session });
    try {
      const response = await client.request<T>(query, { variables });
      if (!response.data) throw new Error(`Shopify answered ${ctx.action} without data`);
      return response.data;
    } catch (error) {
      throw translateShopifyError(error, ctx);
    }
  }
}

function isCredentialsRejection(error: unknown): boolean {
  return error instanceof CredentialsInvalidError && error.problem === 'revoked';
}
