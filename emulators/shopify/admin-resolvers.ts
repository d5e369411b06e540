import { GraphQLError, type GraphQLFieldResolver, type GraphQLTypeResolver } from 'graphql';
import { amountsIn } from '../../domain/money.js';
import { paginate, type ConnectionArgs } from './connection.js';
import { idFromGid, toGid } from './gid.js';
import type { EmulatedCustomer, EmulatedOrder, EmulatedProduct, EmulatedRefund, EmulatedTaxLine, EmulatedVariant } from './model.js';
import { inPresentment, orderTotals, toPresentment } from './order-totals.js';
import { shopifyPaymentsAccountView } from './payouts.js';
import { matchesSearch, parseSearchQuery } from './search-query.js';
import type { ShopData } from './store.js';
import { isDeliverableTopic, type WebhookDispatcher, type WebhookSubscription, type WebhookTopic } from './webhook-dispatcher.js';

/** What one GraphQL request runs with: the shop it addresses and what its token may do. */
export interface AdminRequestContext {
  shop: ShopData;
  grantedScopes: string[];
  /** Orders older than this many days are invisible without read_all_orders; null = no window. */
  orderWindowDays: number | null;
  /** Subscriptions live here; the mutations and the query below are the only way in. */
  webhooks: WebhookDispatcher;
}

interface WebhookInput {
  uri?: string | null;
  callbackUrl?: string | null;
}

type Resolver = GraphQLFieldResolver<unknown, AdminRequestContext, any>;

/**
 * Resolves every field of Shopify's real schema: root fields from the table below, nested fields from the view
 * objects. A field we do not implement is a GraphQL error naming it, never a silent null.
 */
export const adminFieldResolver: GraphQLFieldResolver<unknown, AdminRequestContext, any> = (source, args, ctx, info) => {
  const typeName = info.parentType.name;
  if (typeName === 'QueryRoot' || typeName === 'Mutation') {
    const resolve = ROOT_RESOLVERS[typeName][info.fieldName];
    if (!resolve) throw notImplemented(`${typeName}.${info.fieldName}`);
    return resolve(source, args, ctx, info);
  }
  if (source === null || typeof source !== 'object' || !(info.fieldName in source)) throw notImplemented(`${typeName}.${info.fieldName}`);
  const value = (source as Record<string, unknown>)[info.fieldName];
  return typeof value === 'function' ? value(args, ctx, info) : value;
};

/** Interfaces and unions: every view of an abstract type says what it is. */
export const adminTypeResolver: GraphQLTypeResolver<unknown, AdminRequestContext> = (value) =>
  (value as { __typename?: string } | null)?.__typename;

function notImplemented(field: string): GraphQLError {
  return new GraphQLError(`${field} is in Shopify's schema but not implemented by the ledgerbridge Shopify emulator`, {
    extensions: { code: 'NOT_IMPLEMENTED_BY_EMULATOR', field },
  });
}

const ROOT_RESOLVERS: Record<'QueryRoot' | 'Mutation', Record<string, Resolver>> = {
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
    shopifyPaymentsAccount: (_root, _args, ctx) => shopifyPaymentsAccountView(ctx.shop, ctx.grantedScopes),
    refund: (_root, args: { id: string }, ctx) => {
      requireScope(ctx, 'read_orders', 'refund');
      const id = idFromGid('Refund', args.id);
      for (const order of ctx.shop.orders.values()) {
        const refund = order.refunds?.find((r) => r.id === id);
        if (refund) return visible(ctx, order) ? refundView(ctx.shop, order, refund) : null;
      }
      return null;
    },
    // QueryRoot.customer(id: ID!) and QueryRoot.product(id: ID!): null for an unknown id, as for order (schema).
    customer: (_root, args: { id: string }, ctx) => {
      requireScope(ctx, 'read_customers', 'customer');
      const id = idFromGid('Customer', args.id);
      const customer = id ? ctx.shop.customers.get(id) : undefined;
      return customer ? customerView(customer, ctx.shop.shop.customerDataWithheld) : null;
    },
    product: (_root, args: { id: string }, ctx) => {
      requireScope(ctx, 'read_products', 'product');
      const id = idFromGid('Product', args.id);
      const product = id ? ctx.shop.products.get(id) : undefined;
      return product ? productView(product) : null;
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
    webhookSubscriptions: (_root, args: ConnectionArgs & { topics?: string[] | null; uri?: string | null; callbackUrl?: string | null }, ctx) => {
      const wanted = args.uri ?? args.callbackUrl ?? null;
      const subscriptions = ctx.webhooks
        .listSubscriptions(ctx.shop.shop.domain)
        .filter((s) => (!args.topics || args.topics.includes(s.topic)) && (!wanted || s.callbackUrl === wanted));
      const page = paginate(subscriptions, args, (s) => s.id, (s) => s.createdAt + s.id.padStart(20, '0'));
      return mapConnection(page, webhookSubscriptionView);
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
      return mapConnection(page, (customer) => customerView(customer, ctx.shop.shop.customerDataWithheld));
    },
  },
  Mutation: {
    webhookSubscriptionCreate: (_root, args: { topic: string; webhookSubscription: WebhookInput }, ctx) => {
      const topic = deliverableTopic(args.topic);
      if (topic.startsWith('ORDERS_') || topic === 'REFUNDS_CREATE') requireScope(ctx, 'read_orders', 'webhookSubscriptionCreate');
      if (topic.startsWith('CUSTOMERS_')) requireScope(ctx, 'read_customers', 'webhookSubscriptionCreate');
      if (topic.startsWith('PRODUCTS_')) requireScope(ctx, 'read_products', 'webhookSubscriptionCreate');
      const uri = args.webhookSubscription.uri ?? args.webhookSubscription.callbackUrl ?? null;
      const problem = addressProblem(uri);
      if (problem) return { userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: problem }], webhookSubscription: null };
      if (ctx.webhooks.listSubscriptions(ctx.shop.shop.domain).some((s) => s.topic === topic && s.callbackUrl === uri)) {
        return { userErrors: [{ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' }], webhookSubscription: null };
      }
      const subscription = ctx.webhooks.subscribe(ctx.shop.shop.domain, topic, uri!);
      return { userErrors: [], webhookSubscription: webhookSubscriptionView(subscription) };
    },
    webhookSubscriptionDelete: (_root, args: { id: string }, ctx) => {
      const id = idFromGid('WebhookSubscription', args.id);
      const subscription = id ? ctx.webhooks.listSubscriptions(ctx.shop.shop.domain).find((s) => s.id === id) : undefined;
      if (!subscription) {
        return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
      }
      ctx.webhooks.unsubscribe(subscription.id);
      return { deletedWebhookSubscriptionId: toGid('WebhookSubscription', subscription.id), userErrors: [] };
    },
  },
};

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

function customerView(customer: EmulatedCustomer, withheld: boolean) {
  const displayName = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || (customer.email ?? '');
  return {
    __typename: 'Customer',
    id: toGid('Customer', customer.id),
    legacyResourceId: customer.id,
    email: protectedField(withheld, 'email', customer.email),
    defaultEmailAddress: protectedField(withheld, 'email', customer.email ? { emailAddress: customer.email } : null),
    firstName: protectedField(withheld, 'name', customer.firstName),
    lastName: protectedField(withheld, 'name', customer.lastName),
    displayName: protectedField(withheld, 'name', displayName),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

/**
 * Protected customer data: an app not approved for names or emails gets ACCESS_DENIED on each such field and
 * null in its place; the rest of the order still answers.
 */
function protectedField<T>(withheld: boolean, kind: 'name' | 'email', value: T): T | (() => never) {
  if (!withheld) return value;
  return () => {
    throw new GraphQLError(
      `This app is not approved to access the ${kind === 'name' ? 'name' : 'email'} fields of the Customer object. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.`,
      { extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/docs/apps/launch/protected-customer-data' } },
    );
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
  const money = (amount: string, presentment = toPresentment(order, amount)) => ({
    shopMoney: { amount, currencyCode: order.currency },
    presentmentMoney: { amount: presentment, currencyCode: order.presentmentCurrency },
  });
  const { minor: toCents, amount: fromCents } = amountsIn(order.currency);
  const taxLine = (line: EmulatedTaxLine) => ({
    title: line.title,
    rate: line.rate,
    ratePercentage: Math.round(line.rate * 100_000) / 1000,
    priceSet: money(line.amount),
    channelLiable: false,
  });
  const totals = orderTotals(order);
  // The buyer's totals add up their own converted parts, as a checkout in their currency does.
  const shown = orderTotals(inPresentment(order));
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
    __typename: 'Order',
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
    email: protectedField(data.shop.customerDataWithheld, 'email', order.email),
    customer: customer ? customerView(customer, data.shop.customerDataWithheld) : null,
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
    taxLines: totals.taxLines.map((line, index) => ({ ...taxLine(line), priceSet: money(line.amount, shown.taxLines[index]?.amount) })),
    subtotalPriceSet: money(totals.subtotal, shown.subtotal),
    totalDiscountsSet: money(totals.totalDiscounts, shown.totalDiscounts),
    totalShippingPriceSet: money(totals.totalShipping, shown.totalShipping),
    totalTaxSet: money(totals.totalTax, shown.totalTax),
    totalPriceSet: money(totals.total, shown.total),
    currentSubtotalPriceSet: money(totals.subtotal, shown.subtotal),
    currentTotalPriceSet: money(totals.currentTotal, shown.currentTotal),
    // A list, not a connection, in Shopify's schema: `first` caps it.
    refunds: (args: { first?: number | null }) => (order.refunds ?? []).slice(0, args.first ?? undefined).map((refund) => refundView(data, order, refund)),
  };
}

/** Shopify's Refund: its lines (with their line item), shipping, the REFUND transaction and totals, as moneyBags. */
function refundView(data: ShopData, order: EmulatedOrder, refund: EmulatedRefund) {
  const money = (amount: string) => ({
    shopMoney: { amount, currencyCode: order.currency },
    presentmentMoney: { amount: toPresentment(order, amount), currencyCode: order.presentmentCurrency },
  });
  const lineItemOf = (lineItemId: string) => {
    const lines = orderView(data, order).lineItems({ first: 250 }).nodes as Array<{ id: string }>;
    return lines.find((line) => line.id === toGid('LineItem', lineItemId)) ?? null;
  };
  const shippingLine = refund.shipping ? order.shippingLines.find((l) => l.id === refund.shipping!.shippingLineId) : undefined;
  return {
    __typename: 'Refund',
    id: toGid('Refund', refund.id),
    legacyResourceId: refund.id,
    createdAt: refund.createdAt,
    updatedAt: refund.createdAt,
    processedAt: refund.createdAt,
    note: refund.note,
    totalRefundedSet: money(refund.total),
    totalRefunded: { amount: refund.total, currencyCode: order.currency },
    refundLineItems: (args: ConnectionArgs) =>
      mapConnection(
        paginate(refund.lines, args, (l) => l.id, (l) => l.id.padStart(20, '0')),
        (line) => ({
          id: toGid('RefundLineItem', line.id),
          lineItem: lineItemOf(line.lineItemId),
          quantity: line.quantity,
          restockType: line.restockType,
          restocked: line.restockType !== 'NO_RESTOCK',
          priceSet: money(line.price),
          subtotalSet: money(line.subtotal),
          totalTaxSet: money(line.totalTax),
        }),
      ),
    refundShippingLines: (args: ConnectionArgs) =>
      mapConnection(
        paginate(refund.shipping && shippingLine ? [refund.shipping] : [], args, (l) => l.shippingLineId, (l) => l.shippingLineId.padStart(20, '0')),
        (line) => ({
          id: toGid('RefundShippingLine', line.shippingLineId),
          shippingLine: { id: toGid('ShippingLine', line.shippingLineId), title: shippingLine?.title ?? '' },
          subtotalAmountSet: money(line.subtotal),
          taxAmountSet: money(line.tax),
        }),
      ),
    orderAdjustments: (args: ConnectionArgs) => mapConnection(paginate([] as Array<{ id: string }>, args, (a) => a.id, (a) => a.id), (a) => a),
    transactions: (args: ConnectionArgs) =>
      mapConnection(
        paginate([refund], args, (r) => r.transactionId, (r) => r.transactionId.padStart(20, '0')),
        (r) => ({
          id: toGid('OrderTransaction', r.transactionId),
          kind: 'REFUND',
          status: 'SUCCESS',
          gateway: 'bogus',
          amountSet: money(r.total),
          createdAt: r.createdAt,
          processedAt: r.createdAt,
          test: true,
        }),
      ),
  };
}

/** Topics the emulator can send; any other enum value is refused as one we do not implement. */
function deliverableTopic(topic: string): WebhookTopic {
  if (!isDeliverableTopic(topic)) throw notImplemented(`webhookSubscriptionCreate(topic: ${topic})`);
  return topic;
}

/**
 * Shopify wants an HTTPS address for an HTTP endpoint. The emulator also takes plain http on loopback, where
 * tests and the demo listen (a deliberate difference, recorded in FIDELITY.md).
 */
function addressProblem(uri: string | null): string | null {
  if (!uri) return 'Address is invalid';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'Address is invalid';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return null;
  return `Address protocol ${url.protocol}// is not supported`;
}

function webhookSubscriptionView(subscription: WebhookSubscription) {
  return {
    __typename: 'WebhookSubscription',
    id: toGid('WebhookSubscription', subscription.id),
    legacyResourceId: subscription.id,
    topic: subscription.topic,
    uri: subscription.callbackUrl,
    callbackUrl: subscription.callbackUrl,
    endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: subscription.callbackUrl },
    format: 'JSON',
    includeFields: [],
    metafieldNamespaces: [],
    filter: null,
    createdAt: subscription.createdAt,
    updatedAt: subscription.createdAt,
  };
}
