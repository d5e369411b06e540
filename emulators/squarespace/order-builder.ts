import { randomBytes, randomUUID } from 'node:crypto';
import { amountsIn, fromMinor, spreadCents } from '../../domain/money.js';

/** Squarespace's Money: `{currency, value}`, value a decimal string (FIDELITY: money). */
export interface Money {
  currency: string;
  value: string;
}

/** What a test or the demo asks for; the emulator computes every total the way the order would show them. */
export interface SquarespaceOrderInput {
  currency?: string;
  lines: Array<{ productName: string; sku?: string | null; quantity: number; price: string; variantId?: string }>;
  /** An order-level promotion (discountLines[]), spread over the lines in the transaction document. */
  discount?: { name: string; promoCode?: string; amount: string };
  shipping?: { method: string; amount: string };
  /** One rate on every line (and shipping), as a site's tax rules would give a single jurisdiction. */
  taxRate?: { name: string; rate: string; jurisdiction?: string };
  priceTaxInterpretation?: 'EXCLUSIVE' | 'INCLUSIVE';
  customer?: { email: string; firstName?: string; lastName?: string } | null;
  testmode?: boolean;
  paymentState?: string;
}

/** 24 hex digits, as Squarespace's object ids are. */
export const hexId = (): string => randomBytes(12).toString('hex');

const money = (currency: string, cents: number): Money => ({ currency, value: fromMinor(cents, currency) });

/** Tax of an amount at `rate`: added on top (EXCLUSIVE) or contained in it (INCLUSIVE). */
function taxOf(cents: number, rate: number, inclusive: boolean): number {
  return Math.round(inclusive ? (cents * rate) / (1 + rate) : cents * rate);
}

/**
 * Builds an order (`GET /1.0/commerce/orders/{id}`) and its Transactions document. Orders carry only `taxTotal`;
 * per-line taxes and discounts live in the document (FIDELITY: order shape, transactions).
 */
export function buildOrder(input: SquarespaceOrderInput, orderNumber: number, websiteCurrency: string, now: Date): { order: Record<string, unknown>; document: Record<string, unknown> } {
  const currency = input.currency ?? websiteCurrency;
  const { minor: toCents } = amountsIn(currency);
  const inclusive = input.priceTaxInterpretation === 'INCLUSIVE';
  const rate = input.taxRate ? Number(input.taxRate.rate) : 0;
  const id = hexId();
  const created = now.toISOString();
  const lines = input.lines.map((line) => ({ ...line, id: hexId(), cents: toCents(line.price) * line.quantity }));
  const subtotal = lines.reduce((sum, line) => sum + line.cents, 0);
  const discount = input.discount ? toCents(input.discount.amount) : 0;
  const lineDiscounts = spreadCents(discount, lines.map((line) => line.cents));
  const shipping = input.shipping ? toCents(input.shipping.amount) : 0;
  const lineTaxes = lines.map((line, i) => (input.taxRate ? taxOf(line.cents - lineDiscounts[i]!, rate, inclusive) : 0));
  const shippingTax = input.taxRate && shipping > 0 ? taxOf(shipping, rate, inclusive) : 0;
  const taxTotal = lineTaxes.reduce((a, b) => a + b, 0) + shippingTax;
  const grandTotal = subtotal - discount + shipping + (inclusive ? 0 : taxTotal);
  const taxEntry = (cents: number) => (input.taxRate ? [{ amount: money(currency, cents), rate: input.taxRate.rate, name: input.taxRate.name, jurisdiction: input.taxRate.jurisdiction ?? input.taxRate.name }] : []);
  const customerId = input.customer ? hexId() : null;
  const address = input.customer
    ? { firstName: input.customer.firstName ?? null, lastName: input.customer.lastName ?? null, address1: '1 Main St', address2: null, city: 'London', state: null, postalCode: 'N1 1AA', countryCode: 'GB', phone: null }
    : null;
  const order: Record<string, unknown> = {
    id,
    orderNumber: String(orderNumber),
    createdOn: created,
    modifiedOn: created,
    channel: 'web',
    channelName: 'Squarespace',
    externalOrderReference: null,
    testmode: input.testmode ?? false,
    customerEmail: input.customer?.email ?? null,
    customerId,
    billingAddress: address,
    shippingAddress: address,
    fulfillmentStatus: 'PENDING',
    paymentState: input.paymentState ?? 'PAID',
    priceTaxInterpretation: inclusive ? 'INCLUSIVE' : 'EXCLUSIVE',
    lineItems: lines.map((line) => ({
      id: line.id,
      lineItemType: 'PHYSICAL_PRODUCT',
      productId: hexId(),
      productName: line.productName,
      variantId: line.variantId ?? randomUUID(),
      // SKUs are optional in Squarespace: a product without one has null here.
      sku: line.sku ?? null,
      quantity: line.quantity,
      unitPricePaid: money(currency, toCents(line.price)),
      variantOptions: [],
      customizations: null,
      imageUrl: null,
    })),
    internalNotes: [],
    shippingLines: input.shipping ? [{ method: input.shipping.method, amount: money(currency, shipping) }] : [],
    discountLines: input.discount ? [{ name: input.discount.name, description: null, promoCode: input.discount.promoCode ?? null, amount: money(currency, discount) }] : [],
    formSubmission: null,
    fulfillments: [],
    subtotal: money(currency, subtotal),
    shippingTotal: money(currency, shipping),
    discountTotal: money(currency, discount),
    taxTotal: money(currency, taxTotal),
    refundedTotal: money(currency, 0),
    grandTotal: money(currency, grandTotal),
    fulfilledOn: null,
  };
  const document: Record<string, unknown> = {
    id: hexId(),
    createdOn: created,
    modifiedOn: created,
    customerEmail: input.customer?.email ?? null,
    salesOrderId: id,
    voided: false,
    totalSales: money(currency, subtotal),
    totalNetSales: money(currency, subtotal - discount),
    totalNetShipping: money(currency, shipping),
    totalTaxes: money(currency, taxTotal),
    total: money(currency, grandTotal),
    totalNetPayment: money(currency, grandTotal),
    // The transaction's line ids are the order's line item ids [U]: the product falls back to order-level tax without them.
    salesLineItems: lines.map((line, i) => ({
      id: line.id,
      discountAmount: money(currency, lineDiscounts[i]!),
      totalSales: money(currency, line.cents),
      totalNetSales: money(currency, line.cents - lineDiscounts[i]!),
      total: money(currency, line.cents - lineDiscounts[i]! + (inclusive ? 0 : lineTaxes[i]!)),
      taxes: taxEntry(lineTaxes[i]!),
    })),
    shippingLineItems: input.shipping
      ? [{ id: hexId(), amount: money(currency, shipping), discountAmount: money(currency, 0), netAmount: money(currency, shipping), description: input.shipping.method, taxes: taxEntry(shippingTax) }]
      : [],
    discounts: input.discount ? [{ name: input.discount.name, description: null, amount: money(currency, discount) }] : [],
    payments: [
      {
        id: hexId(),
        amount: money(currency, grandTotal),
        refundedAmount: money(currency, 0),
        netAmount: money(currency, grandTotal),
        creditCardType: 'VISA',
        provider: 'STRIPE',
        paidOn: created,
        externalTransactionId: `ch_${randomBytes(12).toString('hex')}`,
        externalTransactionProperties: [],
        externalCustomerId: null,
        giftCardId: null,
        refunds: [],
        processingFees: [],
      },
    ],
    paymentGatewayError: null,
  };
  return { order, document };
}
