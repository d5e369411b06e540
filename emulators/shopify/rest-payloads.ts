import { amountsIn } from '../../domain/money.js';
import { toGid } from './gid.js';
import type { EmulatedCustomer, EmulatedOrder, EmulatedProduct, EmulatedRefund, EmulatedShop, EmulatedTaxLine } from './model.js';
import { orderTotals, toPresentment } from './order-totals.js';
import type { ShopData } from './store.js';

/**
 * REST-shaped (snake_case) resources as Shopify sends them in webhook bodies. Ids are bigint so they
 * serialize as bare 64-bit numbers (see json-with-big-ids.ts).
 */
export function restOrder(data: ShopData, order: EmulatedOrder): Record<string, unknown> {
  const { minor: toCents, amount: fromCents } = amountsIn(order.currency);
  const totals = orderTotals(order);
  const set = (amount: string) => ({
    shop_money: { amount, currency_code: order.currency },
    presentment_money: { amount: toPresentment(order, amount), currency_code: order.presentmentCurrency },
  });
  const taxLine = (line: EmulatedTaxLine) => ({
    title: line.title,
    rate: line.rate,
    price: line.amount,
    price_set: set(line.amount),
    channel_liable: false,
  });
  const customer = order.customerId ? data.customers.get(order.customerId) : undefined;
  return {
    id: BigInt(order.id),
    admin_graphql_api_id: toGid('Order', order.id),
    name: order.name,
    number: order.number - 1000,
    order_number: order.number,
    email: order.email,
    contact_email: order.email,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.createdAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelledAt ? 'other' : null,
    currency: order.currency,
    presentment_currency: order.presentmentCurrency,
    financial_status: order.financialStatus.toLowerCase(),
    taxes_included: order.taxesIncluded,
    test: false,
    note: order.note,
    subtotal_price: totals.subtotal,
    subtotal_price_set: set(totals.subtotal),
    total_discounts: totals.totalDiscounts,
    total_discounts_set: set(totals.totalDiscounts),
    total_shipping_price_set: set(totals.totalShipping),
    total_tax: totals.totalTax,
    total_tax_set: set(totals.totalTax),
    total_price: totals.total,
    total_price_set: set(totals.total),
    current_total_price: totals.currentTotal,
    current_total_price_set: set(totals.currentTotal),
    tax_lines: totals.taxLines.map(taxLine),
    line_items: order.lineItems.map((line) => ({
      id: BigInt(line.id),
      admin_graphql_api_id: toGid('LineItem', line.id),
      name: line.title,
      title: line.title,
      sku: line.sku,
      variant_id: line.variantId ? BigInt(line.variantId) : null,
      quantity: line.quantity,
      current_quantity: line.currentQuantity,
      price: line.unitPrice,
      price_set: set(line.unitPrice),
      total_discount: line.discount,
      total_discount_set: set(line.discount),
      taxable: line.taxable,
      tax_lines: line.taxLines.map(taxLine),
      discount_allocations:
        toCents(line.discount) > 0 ? [{ amount: line.discount, amount_set: set(line.discount), discount_application_index: 0 }] : [],
    })),
    shipping_lines: order.shippingLines.map((line) => ({
      id: BigInt(line.id),
      title: line.title,
      code: line.code,
      price: line.price,
      price_set: set(line.price),
      discounted_price: line.discountedPrice,
      discounted_price_set: set(line.discountedPrice),
      tax_lines: line.taxLines.map(taxLine),
    })),
    refunds: (order.refunds ?? []).map((refund) => restRefund(order, refund)),
    customer: customer ? restCustomer(customer) : null,
    total_line_items_price: fromCents(order.lineItems.reduce((sum, l) => sum + toCents(l.unitPrice) * l.quantity, 0)),
  };
}

/** The REST customer, the body of customers/create and customers/update (FIDELITY.md: Shopify's REST Customer resource). */
export function restCustomer(customer: EmulatedCustomer): Record<string, unknown> {
  return {
    id: BigInt(customer.id),
    admin_graphql_api_id: toGid('Customer', customer.id),
    email: customer.email,
    first_name: customer.firstName,
    last_name: customer.lastName,
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
  };
}

/** The REST product with its variants, the body of products/create and products/update (REST Product resource). */
export function restProduct(product: EmulatedProduct): Record<string, unknown> {
  return {
    id: BigInt(product.id),
    admin_graphql_api_id: toGid('Product', product.id),
    title: product.title,
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    variants: product.variants.map((variant) => ({
      id: BigInt(variant.id),
      admin_graphql_api_id: toGid('ProductVariant', variant.id),
      product_id: BigInt(product.id),
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
    })),
  };
}

/** The REST shop object, the body of app/uninstalled. */
export function restShop(shop: EmulatedShop): Record<string, unknown> {
  return {
    id: BigInt(shop.id),
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    currency: shop.currencyCode,
    plan_name: 'basic',
  };
}

/** The REST refund, the body of refunds/create (FIDELITY.md: shape from Shopify's REST Refund resource). */
export function restRefund(order: EmulatedOrder, refund: EmulatedRefund): Record<string, unknown> {
  const set = (amount: string) => ({
    shop_money: { amount, currency_code: order.currency },
    presentment_money: { amount: toPresentment(order, amount), currency_code: order.presentmentCurrency },
  });
  return {
    id: BigInt(refund.id),
    admin_graphql_api_id: toGid('Refund', refund.id),
    order_id: BigInt(order.id),
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: refund.note,
    restock: refund.lines.some((line) => line.restockType !== 'NO_RESTOCK'),
    user_id: null,
    refund_line_items: refund.lines.map((line) => ({
      id: BigInt(line.id),
      line_item_id: BigInt(line.lineItemId),
      quantity: line.quantity,
      restock_type: line.restockType.toLowerCase(),
      location_id: null,
      subtotal: line.subtotal,
      subtotal_set: set(line.subtotal),
      total_tax: line.totalTax,
      total_tax_set: set(line.totalTax),
    })),
    refund_shipping_lines: refund.shipping
      ? [{ shipping_line_id: BigInt(refund.shipping.shippingLineId), subtotal_amount_set: set(refund.shipping.subtotal), tax_amount_set: set(refund.shipping.tax) }]
      : [],
    transactions: [
      {
        id: BigInt(refund.transactionId),
        admin_graphql_api_id: toGid('OrderTransaction', refund.transactionId),
        order_id: BigInt(order.id),
        kind: 'refund',
        status: 'success',
        gateway: 'bogus',
        amount: refund.total,
        currency: order.currency,
        created_at: refund.createdAt,
        processed_at: refund.createdAt,
      },
    ],
    order_adjustments: [],
    duties: [],
  };
}
