import { GraphQLError, type GraphQLSchema, isObjectType, type GraphQLFieldResolver } from 'graphql';
import { fromCents, toCents } from '../../domain/money.js';
import { paginate, type ConnectionArgs } from './connection.js';
import { idFromGid, toGid } from './gid.js';
import type { EmulatedCustomer, EmulatedOrder, EmulatedProduct, EmulatedTaxLine, EmulatedVariant } from './model.js';
import { orderTotals, toPresentment } from './order-totals.js';
import { matchesSearch, parseSearchQuery } from './search-query.js';
import type { ShopData } from './store.js';
import type { WebhookTopic, WebhookSubscription } from './webhook-dispatcher.js';

/** What one GraphQL request runs with: the shop it addresses and what its token may do. */
export interface AdminRequestContext {
  shop: ShopData;
  grantedScopes: string[];
  /** Orders older than this many days are invisible without read_all_orders; null = no window. */
  orderWindowDays: number | null;
  subscribe(topic: WebhookTopic, callbackUrl: string): WebhookSubscription;
}

type Resolver = GraphQLFieldResolver<unknown, AdminRequestContext, any>;

/** Puts the root resolvers on a schema built from SDL; nested fields resolve from the view objects below. */
export function attachAdminResolvers(schema: GraphQLSchema): GraphQLSchema {
  const resolvers: Record<string, Record<string, Resolver>> = {
    QueryRoot: {
      shop: (_root, _args, ctx) => shopView(ctx.shop),
      currentAppInstallation: (_root, _args, ctx) => ({
        id: toGid('AppInstallation', ctx.shop.shop.id),
        accessScopes: ctx.grantedScopes.map((handle) => ({ handle, description: handle })),
      }),
      order: (_root, args: { id: string }, ctx) => {
        requireScope(ctx, 'read_orders', 'orders');
        const id = idFromGid('Order', args.id);
        const order = id ? ctx.shop.orders.get(id) : undefined;
        return order && visible(ctx, order) ? orderView(ctx.shop, order) : null;
      },
      orders: (_root, args: ListArgs, ctx) => {
        requireScope(ctx, 'read_orders', 'orders');
        const terms = parseSearchQuery(args.query);
        const orders = [...ctx.shop.orders.values()].filter(
          (order) =>
            visible(ctx, order) &&
            matchesSearch(
              terms,
              {
                updated_at: order.updatedAt,
                created_at: order.createdAt,
                processed_at: order.createdAt,
                name: order.name,
                email: order.email,
                id: order.id,
                financial_status: order.financialStatus.toLowerCase(),
              },
              DATE_FIELDS,
            ),
        );
        const sortValue = orderSortValue(args.sortKey);
        const page = paginate(sortItems(orders, sortValue, args.reverse), args, (o) => o.id, sortValue);
        return mapConnection(page, (order) => orderView(ctx.shop, order));
      },
      products: (_root, args: ListArgs, ctx) => {
        requireScope(ctx, 'read_products', 'products');
        const terms = parseSearchQuery(args.query);
        const products = [...ctx.shop.products.values()].filter((product) =>
          matchesSearch(
            terms,
            {
              updated_at: product.updatedAt,
              created_at: product.createdAt,
              title: product.title,
              id: product.id,
              sku: product.variants.find((v) => terms.some((t) => t.field === 'sku' && t.value === v.sku))?.sku ?? '',
            },
            DATE_FIELDS,
          ),
        );
        const sortValue = (p: EmulatedProduct) =>
          args.sortKey === 'UPDATED_AT' ? p.updatedAt : args.sortKey === 'TITLE' ? p.title : p.id.padStart(20, '0');
        const page = paginate(sortItems(products, sortValue, args.reverse), args, (p) => p.id, sortValue);
        return mapConnection(page, productView);
      },
      customers: (_root, args: ListArgs, ctx) => {
        requireScope(ctx, 'read_customers', 'customers');
        const terms = parseSearchQuery(args.query);
        const customers = [...ctx.shop.customers.values()].filter((customer) =>
          matchesSearch(
            terms,
            { updated_at: customer.updatedAt, created_at: customer.createdAt, email: customer.email, id: customer.id },
            DATE_FIELDS,
          ),
        );
        const sortValue = (c: EmulatedCustomer) => (args.sortKey === 'UPDATED_AT' ? c.updatedAt : c.id.padStart(20, '0'));
        const page = paginate(sortItems(customers, sortValue, args.reverse), args, (c) => c.id, sortValue);
        return mapConnection(page, customerView);
      },
    },
    Mutation: {
      webhookSubscriptionCreate: (
        _root,
        args: { topic: WebhookTopic; webhookSubscription: { uri?: string | null; callbackUrl?: string | null } },
        ctx,
      ) => {
        if (args.topic.startsWith('ORDERS_')) requireScope(ctx, 'read_orders', 'webhookSubscriptionCreate');
        const uri = args.webhookSubscription.uri ?? args.webhookSubscription.callbackUrl;
        if (!uri || !/^https?:\/\//.test(uri)) {
          return {
            userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address is invalid' }],
            webhookSubscription: null,
          };
        }
        const subscription = ctx.subscribe(args.topic, uri);
        return {
          userErrors: [],
          webhookSubscription: {
            id: toGid('WebhookSubscription', subscription.id),
            topic: subscription.topic,
            uri: subscription.callbackUrl,
            callbackUrl: subscription.callbackUrl,
            endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: subscription.callbackUrl },
            format: 'JSON',
            createdAt: subscription.createdAt,
          },
        };
      },
    },
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`schema has no object type ${typeName}`);
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`schema has no field ${typeName}.${fieldName}`);
      field.resolve = resolve;
    }
  }
  const endpoint = schema.getType('WebhookSubscriptionEndpoint');
  if (endpoint && 'resolveType' in endpoint) endpoint.resolveType = () => 'WebhookHttpEndpoint';
  return schema;
}

interface ListArgs extends ConnectionArgs {
  query?: string | null;
  sortKey?: string | null;
  reverse?: boolean | null;
}

const DATE_FIELDS = new Set(['updated_at', 'created_at', 'processed_at']);

function requireScope(ctx: AdminRequestContext, scope: string, field: string): void {
  // read_all_orders implies read_orders; write_x implies read_x.
  const granted = ctx.grantedScopes;
  const implied = granted.includes(scope) || granted.includes(scope.replace('read_', 'write_')) || (scope === 'read_orders' && granted.includes('read_all_orders'));
  if (!implied) {
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
      extensions: {
        code: 'ACCESS_DENIED',
        documentation: 'https://shopify.dev/api/usage/access-scopes',
        requiredAccess: `\`${scope}\` access scope.`,
      },
    });
  }
}

function visible(ctx: AdminRequestContext, order: EmulatedOrder): boolean {
  if (ctx.orderWindowDays == null || ctx.grantedScopes.includes('read_all_orders')) return true;
  return Date.parse(order.createdAt) >= Date.now() - ctx.orderWindowDays * 86_400_000;
}

function orderSortValue(sortKey: string | null | undefined): (order: EmulatedOrder) => string {
  switch (sortKey) {
    case 'UPDATED_AT':
      return (o) => o.updatedAt;
    case 'CREATED_AT':
    case 'PROCESSED_AT':
      return (o) => o.createdAt;
    case 'ORDER_NUMBER':
      return (o) => String(o.number).padStart(12, '0');
    default:
      return (o) => o.id.padStart(20, '0');
  }
}

function sortItems<T>(items: T[], sortValue: (item: T) => string, reverse: boolean | null | undefined): T[] {
  const sorted = [...items].sort((a, b) => (sortValue(a) < sortValue(b) ? -1 : sortValue(a) > sortValue(b) ? 1 : 0));
  return reverse ? sorted.reverse() : sorted;
}

function mapConnection<T, V>(page: ReturnType<typeof paginate<T>>, view: (item: T) => V) {
  return {
    nodes: page.nodes.map(view),
    edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: view(edge.node) })),
    pageInfo: page.pageInfo,
  };
}

function shopView(data: ShopData) {
  const { shop } = data;
  return { id: toGid('Shop', shop.id), name: shop.name, email: shop.email, currencyCode: shop.currencyCode, myshopifyDomain: shop.domain };
}

function customerView(customer: EmulatedCustomer) {
  return {
    id: toGid('Customer', customer.id),
    legacyResourceId: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName: [customer.firstName, customer.lastName].filter(Boolean).join(' ') || (customer.email ?? ''),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

function variantView(variant: EmulatedVariant, product: EmulatedProduct): Record<string, unknown> {
  return {
    id: toGid('ProductVariant', variant.id),
    legacyResourceId: variant.id,
    title: variant.title,
    sku: variant.sku,
    price: variant.price,
    product: () => productView(product),
  };
}

function productView(product: EmulatedProduct): Record<string, unknown> {
  return {
    id: toGid('Product', product.id),
    legacyResourceId: product.id,
    title: product.title,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    variants: (args: ConnectionArgs) =>
      mapConnection(
        paginate(product.variants, args, (v) => v.id, (v) => v.id.padStart(20, '0')),
        (variant) => variantView(variant, product),
      ),
  };
}

function orderView(data: ShopData, order: EmulatedOrder) {
  const money = (amount: string) => ({
    shopMoney: { amount, currencyCode: order.currency },
    presentmentMoney: { amount: toPresentment(order, amount), currencyCode: order.presentmentCurrency },
  });
  const taxLine = (line: EmulatedTaxLine) => ({
    title: line.title,
    rate: line.rate,
    ratePercentage: Math.round(line.rate * 100_000) / 1000,
    priceSet: money(line.amount),
    channelLiable: false,
  });
  const totals = orderTotals(order);
  const customer = order.customerId ? data.customers.get(order.customerId) : undefined;
  const findVariant = (variantId: string | null) => {
    if (!variantId) return null;
    for (const product of data.products.values()) {
      const variant = product.variants.find((v) => v.id === variantId);
      if (variant) return variantView(variant, product);
    }
    return null;
  };
  return {
    id: toGid('Order', order.id),
    legacyResourceId: order.id,
    name: order.name,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    processedAt: order.createdAt,
    cancelledAt: order.cancelledAt,
    displayFinancialStatus: order.financialStatus,
    currencyCode: order.currency,
    presentmentCurrencyCode: order.presentmentCurrency,
    taxesIncluded: order.taxesIncluded,
    test: false,
    note: order.note,
    email: order.email,
    customer: customer ? customerView(customer) : null,
    lineItems: (args: ConnectionArgs) =>
      mapConnection(
        paginate(order.lineItems, args, (l) => l.id, (l) => l.id.padStart(20, '0')),
        (line) => {
          const originalTotalCents = toCents(line.unitPrice) * line.quantity;
          return {
            id: toGid('LineItem', line.id),
            name: line.title,
            title: line.title,
            sku: line.sku,
            variant: findVariant(line.variantId),
            quantity: line.quantity,
            currentQuantity: line.currentQuantity,
            taxable: line.taxable,
            isGiftCard: false,
            originalUnitPriceSet: money(line.unitPrice),
            originalTotalSet: money(fromCents(originalTotalCents)),
            discountedTotalSet: money(fromCents(originalTotalCents - toCents(line.discount))),
            discountAllocations: (line.discountAllocations ?? (toCents(line.discount) > 0 ? [line.discount] : [])).map((amount) => ({ allocatedAmountSet: money(amount) })),
            taxLines: line.taxLines.map(taxLine),
          };
        },
      ),
    shippingLines: (args: ConnectionArgs) =>
      mapConnection(
        paginate(order.shippingLines, args, (l) => l.id, (l) => l.id.padStart(20, '0')),
        (line) => ({
          id: toGid('ShippingLine', line.id),
          title: line.title,
          code: line.code,
          originalPriceSet: money(line.price),
          discountedPriceSet: money(line.discountedPrice),
          taxLines: line.taxLines.map(taxLine),
        }),
      ),
    taxLines: totals.taxLines.map(taxLine),
    subtotalPriceSet: money(totals.subtotal),
    totalDiscountsSet: money(totals.totalDiscounts),
    totalShippingPriceSet: money(totals.totalShipping),
    totalTaxSet: money(totals.totalTax),
    totalPriceSet: money(totals.total),
    currentSubtotalPriceSet: money(totals.subtotal),
    currentTotalPriceSet: money(totals.total),
  };
}
