import type { CommerceOrder, CommerceOrderLine, CommerceShippingLine, CommerceTaxLine } from '../../domain/commerce-order.js';
import { amountsIn } from '../../domain/money.js';
import type { WooLineTax, WooOrder } from './order-shape.js';

/**
 * WooCommerce order → CommerceOrder, in the order's currency. WooCommerce keeps every line, fee and shipping
 * amount without tax (with `prices_include_tax` it backs the tax out), so the shop's prices are rebuilt from
 * them: with prices including tax, unit price, discount and shipping include their tax, as the customer saw
 * them. Either way the amounts reconcile by construction:
 * Σ(unitPrice × quantity) − totalDiscount + totalShipping + (taxesIncluded ? 0 : totalTax) = total.
 * Fees (gift wrap, a payment surcharge, a manual discount as a negative fee) become lines without a SKU, so
 * they are mapped to ledger items by their name like custom items. An order in another currency than the store's
 * (`storeCurrency`; a multi-currency plugin charged the buyer in theirs) names the store's as `shopCurrency`: its
 * amounts are the buyer's, and there is no store-currency side (woocommerce.md §3).
 */
export function toCommerceOrder(order: WooOrder, storeCurrency?: string): CommerceOrder {
  const inclusive = order.prices_include_tax;
  const money = amountsIn(order.currency);
  const rates = new Map(order.tax_lines.map((line) => [line.rate_id, line]));
  const taxLinesOf = (taxes: WooLineTax[]): CommerceTaxLine[] =>
    taxes.map((tax) => {
      const rate = rates.get(tax.id);
      return { title: rate?.label ?? 'Tax', rate: ratePercent(rate?.rate_percent) / 100, amount: money.amount(money.minor(tax.total || '0')) };
    });
  const gross = (net: string, tax: string) => money.minor(net) + (inclusive ? money.minor(tax) : 0);

  const lines: CommerceOrderLine[] = order.line_items.map((line) => {
    const before = gross(line.subtotal, line.subtotal_tax);
    const after = gross(line.total, line.total_tax);
    return {
      id: String(line.id),
      sku: line.sku ? line.sku : null,
      title: line.name,
      quantity: line.quantity,
      unitPrice: money.amount(Math.round(before / line.quantity)),
      discount: money.amount(before - after),
      taxable: line.taxes.length > 0,
      taxLines: taxLinesOf(line.taxes),
    };
  });
  for (const fee of order.fee_lines) {
    lines.push({
      id: `fee-${fee.id}`,
      sku: null,
      title: fee.name,
      quantity: 1,
      unitPrice: money.amount(gross(fee.total, fee.total_tax)),
      discount: money.amount(0),
      taxable: fee.tax_status === 'taxable' && fee.taxes.length > 0,
      taxLines: taxLinesOf(fee.taxes),
    });
  }
  const shippingLines: CommerceShippingLine[] = order.shipping_lines.map((line) => ({
    title: line.method_title,
    price: money.amount(gross(line.total, line.total_tax)),
    taxLines: taxLinesOf(line.taxes),
  }));
  const refunded = order.refunds.reduce((sum, refund) => sum + Math.abs(money.minor(refund.total)), 0);
  const billing = order.billing ?? {};
  const email = billing.email ? billing.email : null;
  return {
    id: String(order.id),
    name: `#${order.number}`,
    createdAt: utc(order.date_created_gmt),
    updatedAt: utc(order.date_modified_gmt),
    currency: order.currency,
    ...(storeCurrency && storeCurrency !== order.currency ? { shopCurrency: storeCurrency } : {}),
    taxesIncluded: inclusive,
    financialStatus: FINANCIAL_STATUS[order.status] ?? order.status,
    // WooCommerce records no cancellation time: the change that cancelled it is the last modification.
    cancelledAt: order.status === 'cancelled' ? utc(order.date_modified_gmt) : null,
    note: order.customer_note ? order.customer_note : null,
    email,
    customer:
      order.customer_id > 0 || email
        ? { id: order.customer_id > 0 ? String(order.customer_id) : null, email, firstName: billing.first_name || null, lastName: billing.last_name || null }
        : null,
    lines,
    shippingLines,
    taxLines: order.tax_lines.map((line) => ({
      title: line.label,
      rate: ratePercent(line.rate_percent) / 100,
      amount: money.amount(money.minor(line.tax_total) + money.minor(line.shipping_tax_total)),
    })),
    totalDiscount: money.amount(lines.reduce((sum, line) => sum + money.minor(line.discount), 0)),
    totalTax: money.amount(money.minor(order.total_tax)),
    totalShipping: money.amount(shippingLines.reduce((sum, line) => sum + money.minor(line.price), 0)),
    total: money.amount(money.minor(order.total)),
    currentTotal: money.amount(money.minor(order.total) - refunded),
  };
}

/** WooCommerce's order statuses in the words Shopify's financial status uses (the engine's vocabulary). */
const FINANCIAL_STATUS: Record<string, string> = {
  pending: 'pending',
  'on-hold': 'pending',
  processing: 'paid',
  completed: 'paid',
  refunded: 'refunded',
  cancelled: 'voided',
  failed: 'failed',
};

/** `2025-11-02T10:15:00` (a `_gmt` field, no offset) → `2025-11-02T10:15:00Z`. */
function utc(gmt: string | null): string {
  if (!gmt) return new Date(0).toISOString();
  return /(Z|[+-]\d{2}:?\d{2})$/.test(gmt) ? gmt : `${gmt}Z`;
}

/** rate_percent is a number since WooCommerce 3.7; older stores leave it out. */
function ratePercent(value: number | string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}
