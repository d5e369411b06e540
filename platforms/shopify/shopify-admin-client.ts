import { GraphqlQueryError, Session, type Shopify } from '@shopify/shopify-api';
import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { PlatformConnection } from '../platform.js';
import { credentialsRejected, translateShopifyError, type ShopifyCallContext } from './shopify-error-translation.js';

/** One GraphQL error as Shopify reports it next to partial data. */
export interface ShopifyGraphqlError {
  message?: string;
  path?: Array<string | number>;
  extensions?: { code?: string };
}

/** Decides whether errors that came with data still leave the data usable (e.g. withheld customer fields). */
export type PartialDataPolicy = (errors: ShopifyGraphqlError[], data: unknown) => boolean;

export interface ShopifyAnswer<T> {
  data: T;
  /** Errors Shopify sent with the data and the policy accepted; empty for a clean answer. */
  acceptedErrors: ShopifyGraphqlError[];
}

/** GraphQL calls to one connected shop through the SDK, with one refresh-and-retry after a 401. */
export class ShopifyAdminClient {
  constructor(
    private readonly shopify: Shopify,
    private readonly connection: PlatformConnection,
  ) {}

  get shop(): string {
    const shop = this.connection.account.shop;
    if (!shop) throw new Error(`integration ${this.connection.integrationId} has no Shopify shop in its account`);
    return shop;
  }

  async request<T>(query: string, variables: Record<string, unknown>, ctx: ShopifyCallContext, partial?: PartialDataPolicy): Promise<ShopifyAnswer<T>> {
    const token = await this.connection.tokens.getAccessToken();
    try {
      return await this.requestWith<T>(token, query, variables, ctx, partial);
    } catch (error) {
      if (!isCredentialsRejection(error)) throw error;
      const refreshed = await this.connection.tokens.refreshAfterRejection(token);
      if (!refreshed) throw error;
      try {
        return await this.requestWith<T>(refreshed, query, variables, ctx, partial);
      } catch (retryError) {
        if (isCredentialsRejection(retryError)) throw credentialsRejected(ctx, `HTTP 401 again after refreshing the token`);
        throw retryError;
      }
    }
  }

  private async requestWith<T>(
    accessToken: string,
    query: string,
    variables: Record<string, unknown>,
    ctx: ShopifyCallContext,
    partial: PartialDataPolicy | undefined,
  ): Promise<ShopifyAnswer<T>> {
    const session = new Session({ id: `offline_${this.shop}`, shop: this.shop, state: '', isOnline: false, accessToken });
    const client = new this.shopify.clients.Graphql({ session });
    try {
      const response = await client.request<T>(query, { variables });
      if (!response.data) throw new Error(`Shopify answered ${ctx.action} without data`);
      return { data: response.data, acceptedErrors: [] };
    } catch (error) {
      const accepted = partial ? acceptedPartialAnswer<T>(error, partial) : null;
      if (accepted) return accepted;
      throw translateShopifyError(error, ctx);
    }
  }
}

function acceptedPartialAnswer<T>(error: unknown, partial: PartialDataPolicy): ShopifyAnswer<T> | null {
  if (!(error instanceof GraphqlQueryError)) return null;
  const body = (error.body ?? {}) as { data?: T; errors?: { graphQLErrors?: ShopifyGraphqlError[] } };
  const errors = body.errors?.graphQLErrors ?? [];
  if (!body.data || errors.length === 0 || !partial(errors, body.data)) return null;
  return { data: body.data, acceptedErrors: errors };
}

function isCredentialsRejection(error: unknown): boolean {
  return error instanceof CredentialsInvalidError && error.problem === 'revoked';
}
