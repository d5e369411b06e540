import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The subset of Shopify's Admin GraphQL schema the emulator serves. Names and nullability follow the real
 * schema so queries written against Shopify validate here unchanged.
 */
export const ADMIN_SCHEMA_SDL = /* GraphQL */ `
  scalar DateTime
  scalar Decimal
  scalar URL
  scalar UnsignedInt64

  enum CurrencyCode { USD EUR GBP CAD AUD JPY CHF SEK NOK DKK NZD PLN MXN BRL INR }

  enum OrderDisplayFinancialStatus {
    AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED
  }

  enum OrderSortKeys { ID CREATED_AT UPDATED_AT PROCESSED_AT ORDER_NUMBER }
  enum ProductSortKeys { ID TITLE UPDATED_AT CREATED_AT }
  enum CustomerSortKeys { ID UPDATED_AT CREATED_AT NAME }

  enum WebhookSubscriptionTopic { ORDERS_CREATE ORDERS_UPDATED APP_UNINSTALLED }
  enum WebhookSubscriptionFormat { JSON XML }

  interface Node { id: ID! }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
  type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }

  type TaxLine {
    title: String!
    rate: Float
    ratePercentage: Float
    priceSet: MoneyBag!
    channelLiable: Boolean
  }

  type DiscountAllocation { allocatedAmountSet: MoneyBag! }

  type Shop implements Node {
    id: ID!
    name: String!
    email: String!
    currencyCode: CurrencyCode!
    myshopifyDomain: String!
  }

  type AccessScope { handle: String! description: String! }
  type AppInstallation implements Node { id: ID! accessScopes: [AccessScope!]! }

  type Customer implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    email: String
    firstName: String
    lastName: String
    displayName: String!
    createdAt: DateTime!
    updatedAt: DateTime!
  }
  type CustomerEdge { cursor: String! node: Customer! }
  type CustomerConnection { edges: [CustomerEdge!]! nodes: [Customer!]! pageInfo: PageInfo! }

  type ProductVariant implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    title: String!
    sku: String
    price: Money!
    product: Product!
  }
  scalar Money
  type ProductVariantEdge { cursor: String! node: ProductVariant! }
  type ProductVariantConnection { edges: [ProductVariantEdge!]! nodes: [ProductVariant!]! pageInfo: PageInfo! }

  type Product implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    title: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    variants(first: Int, after: String, last: Int, before: String): ProductVariantConnection!
  }
  type ProductEdge { cursor: String! node: Product! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }

  type LineItem implements Node {
    id: ID!
    name: String!
    title: String!
    sku: String
    variant: ProductVariant
    quantity: Int!
    currentQuantity: Int!
    taxable: Boolean!
    isGiftCard: Boolean!
    originalUnitPriceSet: MoneyBag!
    originalTotalSet: MoneyBag!
    discountedTotalSet: MoneyBag!
    discountAllocations: [DiscountAllocation!]!
    taxLines(first: Int): [TaxLine!]!
  }
  type LineItemEdge { cursor: String! node: LineItem! }
  type LineItemConnection { edges: [LineItemEdge!]! nodes: [LineItem!]! pageInfo: PageInfo! }

  type ShippingLine {
    id: ID
    title: String!
    code: String
    originalPriceSet: MoneyBag!
    discountedPriceSet: MoneyBag!
    taxLines: [TaxLine!]!
  }
  type ShippingLineEdge { cursor: String! node: ShippingLine! }
  type ShippingLineConnection { edges: [ShippingLineEdge!]! nodes: [ShippingLine!]! pageInfo: PageInfo! }

  type Order implements Node {
    id: ID!
    legacyResourceId: UnsignedInt64!
    name: String!
    createdAt: DateTime!
    updatedAt: DateTime!
    processedAt: DateTime!
    cancelledAt: DateTime
    displayFinancialStatus: OrderDisplayFinancialStatus
    currencyCode: CurrencyCode!
    presentmentCurrencyCode: CurrencyCode!
    taxesIncluded: Boolean!
    test: Boolean!
    note: String
    email: String
    customer: Customer
    lineItems(first: Int, after: String, last: Int, before: String): LineItemConnection!
    shippingLines(first: Int, after: String, last: Int, before: String): ShippingLineConnection!
    taxLines: [TaxLine!]!
    subtotalPriceSet: MoneyBag
    totalDiscountsSet: MoneyBag
    totalShippingPriceSet: MoneyBag!
    totalTaxSet: MoneyBag
    totalPriceSet: MoneyBag!
    currentSubtotalPriceSet: MoneyBag!
    currentTotalPriceSet: MoneyBag!
  }
  type OrderEdge { cursor: String! node: Order! }
  type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }

  type WebhookHttpEndpoint { callbackUrl: URL! }
  union WebhookSubscriptionEndpoint = WebhookHttpEndpoint
  type WebhookSubscription implements Node {
    id: ID!
    topic: WebhookSubscriptionTopic!
    uri: String!
    callbackUrl: URL
    endpoint: WebhookSubscriptionEndpoint!
    format: WebhookSubscriptionFormat!
    createdAt: DateTime!
  }
  input WebhookSubscriptionInput {
    uri: String
    callbackUrl: URL
    format: WebhookSubscriptionFormat
    includeFields: [String!]
  }
  type UserError { field: [String!] message: String! }
  type WebhookSubscriptionCreatePayload { userErrors: [UserError!]! webhookSubscription: WebhookSubscription }

  type QueryRoot {
    shop: Shop!
    currentAppInstallation: AppInstallation!
    order(id: ID!): Order
    orders(first: Int, after: String, last: Int, before: String, query: String, sortKey: OrderSortKeys, reverse: Boolean): OrderConnection!
    products(first: Int, after: String, last: Int, before: String, query: String, sortKey: ProductSortKeys, reverse: Boolean): ProductConnection!
    customers(first: Int, after: String, last: Int, before: String, query: String, sortKey: CustomerSortKeys, reverse: Boolean): CustomerConnection!
  }

  type Mutation {
    webhookSubscriptionCreate(topic: WebhookSubscriptionTopic!, webhookSubscription: WebhookSubscriptionInput!): WebhookSubscriptionCreatePayload
  }

  schema { query: QueryRoot mutation: Mutation }
`;

export function buildAdminSchema(): GraphQLSchema {
  return buildSchema(ADMIN_SCHEMA_SDL);
}
