/**
 * Builds a wc/v3 order object the way WooCommerce stores one: line, shipping and fee amounts exclude tax (with
 * `prices_include_tax` the tax is backed out of the shop's prices), coupons are spread over the lines, money is
 * strings with two decimals, `price` a number, dates without an offset in site time and in `_gmt` (schema-facts.json).
 */
export interface WooOrderInput {
  currency?: string;
  status?: string;
  pricesIncludeTax?: boolean;
  /** One rate charged on taxable lines, shipping and taxable fees; none = an untaxed order. */
  taxRate?: { label: string; percent: number; rateCode?: string; compound?: boolean } | null;
  lines: Array<{ name: string; sku?: string; quantity: number; price: string; productId?: number; variationId?: number; taxable?: boolean }>;
  /** A fixed-cart coupon: its amount is spread over the lines in proportion to their subtotals. */
  coupon?: { code: string; amount: string } | null;
  shipping?: { methodTitle: string; methodId?: string; total: string } | null;
  fees?: Array<{ name: string; total: string; taxable?: boolean }>;
  customer?: { id?: number; email: string; firstName: string; lastName: string } | null;
  note?: string;
  paymentMethod?: string;
  meta?: Array<{ key: string; value: string }>;
}

export interface IdSource {
  next(): number;
}

/** Site time: `YYYY-MM-DDTHH:MM:SS`, no offset (WordPress formats local dates so). */
export function siteDate(at: Date, offsetMinutes: number): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
}

export function gmtDate(at: Date): string {
  return at.toISOString().slice(0, 19);
}

const money = (cents: number) => (cents / 100).toFixed(2);
const cents = (text: string) => Math.round(Number(text) * 100);

interface Taxed {
  net: number;
  tax: number;
}

export function buildOrder(id: number, input: WooOrderInput, ids: IdSource, at: Date, offsetMinutes: number): Record<string, unknown> {
  const inclusive = input.pricesIncludeTax ?? false;
  const rate = input.taxRate ?? null;
  const rateId = 1;
  /** The shop's amount → the part before tax and its tax, as WooCommerce rounds them (per line, to the cent). */
  const split = (gross: number, taxable: boolean): Taxed => {
    if (!rate || !taxable) return { net: gross, tax: 0 };
    if (inclusive) {
      const tax = Math.round((gross * rate.percent) / (100 + rate.percent));
      return { net: gross - tax, tax };
    }
    return { net: gross, tax: Math.round((gross * rate.percent) / 100) };
  };

  const subtotals = input.lines.map((line) => cents(line.price) * line.quantity);
  const allSubtotal = subtotals.reduce((a, b) => a + b, 0);
  const couponCents = input.coupon ? Math.min(cents(input.coupon.amount), allSubtotal) : 0;
  let couponLeft = couponCents;
  const lineItems = input.lines.map((line, index) => {
    const subtotalGross = subtotals[index]!;
    const share = index === input.lines.length - 1 ? couponLeft : Math.round((couponCents * subtotalGross) / (allSubtotal || 1));
    couponLeft -= share;
    const taxable = line.taxable ?? true;
    const before = split(subtotalGross, taxable);
    const after = split(subtotalGross - share, taxable);
    return {
      id: ids.next(),
      name: line.name,
      product_id: line.productId ?? 0,
      variation_id: line.variationId ?? 0,
      quantity: line.quantity,
      tax_class: '',
      subtotal: money(before.net),
      subtotal_tax: money(before.tax),
      total: money(after.net),
      total_tax: money(after.tax),
      taxes: rate && taxable ? [{ id: rateId, total: money(after.tax), subtotal: money(before.tax) }] : [],
      meta_data: [],
      sku: line.sku ?? '',
      price: after.net / 100 / line.quantity,
      _discountNet: before.net - after.net,
      _discountTax: before.tax - after.tax,
    };
  });

  const shipping = input.shipping ? split(cents(input.shipping.total), true) : null;
  const shippingLines = input.shipping
    ? [
        {
          id: ids.next(),
          method_title: input.shipping.methodTitle,
          method_id: input.shipping.methodId ?? 'flat_rate',
          instance_id: '1',
          total: money(shipping!.net),
          total_tax: money(shipping!.tax),
          taxes: rate && shipping!.tax ? [{ id: rateId, total: money(shipping!.tax), subtotal: '' }] : [],
          meta_data: [],
        },
      ]
    : [];
  const feeLines = (input.fees ?? []).map((fee) => {
    const taxable = fee.taxable ?? false;
    const amounts = split(cents(fee.total), taxable);
    return {
      id: ids.next(),
      name: fee.name,
      tax_class: '',
      tax_status: taxable ? 'taxable' : 'none',
      total: money(amounts.net),
      total_tax: money(amounts.tax),
      taxes: rate && taxable ? [{ id: rateId, total: money(amounts.tax), subtotal: '' }] : [],
      meta_data: [],
      _tax: amounts.tax,
    };
  });

  const discountNet = lineItems.reduce((sum, line) => sum + line._discountNet, 0);
  const discountTax = lineItems.reduce((sum, line) => sum + line._discountTax, 0);
  const cartTax = lineItems.reduce((sum, line) => sum + cents(line.total_tax), 0) + feeLines.reduce((sum, fee) => sum + fee._tax, 0);
  const shippingTax = shipping?.tax ?? 0;
  const totalTax = cartTax + shippingTax;
  const total =
    lineItems.reduce((sum, line) => sum + cents(line.total), 0) +
    (shipping?.net ?? 0) +
    feeLines.reduce((sum, fee) => sum + cents(fee.total), 0) +
    totalTax;
  const created = siteDate(at, offsetMinutes);
  const createdGmt = gmtDate(at);
  const status = input.status ?? 'processing';
  const paid = status === 'processing' || status === 'completed';
  const customer = input.customer ?? null;
  return {
    id,
    parent_id: 0,
    number: String(id),
    order_key: `wc_order_${id.toString(36)}${'x'.repeat(8)}`,
    created_via: 'checkout',
    version: '9.4.0',
    status,
    currency: input.currency ?? 'GBP',
    currency_symbol: '£',
    date_created: created,
    date_created_gmt: createdGmt,
    date_modified: created,
    date_modified_gmt: createdGmt,
    discount_total: money(discountNet),
    discount_tax: money(discountTax),
    shipping_total: money(shipping?.net ?? 0),
    shipping_tax: money(shippingTax),
    cart_tax: money(cartTax),
    total: money(total),
    total_tax: money(totalTax),
    prices_include_tax: inclusive,
    customer_id: customer?.id ?? 0,
    customer_ip_address: '127.0.0.1',
    customer_user_agent: 'Mozilla/5.0',
    customer_note: input.note ?? '',
    billing: {
      first_name: customer?.firstName ?? '',
      last_name: customer?.lastName ?? '',
      company: '',
      address_1: '',
      address_2: '',
      city: '',
      state: '',
      postcode: '',
      country: 'GB',
      email: customer?.email ?? '',
      phone: '',
    },
    shipping: { first_name: customer?.firstName ?? '', last_name: customer?.lastName ?? '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: 'GB', phone: '' },
    payment_method: input.paymentMethod ?? 'stripe',
    payment_method_title: 'Credit card',
    transaction_id: paid ? `ch_${id}` : '',
    date_paid: paid ? created : null,
    date_paid_gmt: paid ? createdGmt : null,
    date_completed: status === 'completed' ? created : null,
    date_completed_gmt: status === 'completed' ? createdGmt : null,
    cart_hash: '',
    meta_data: (input.meta ?? []).map((meta) => ({ id: ids.next(), key: meta.key, value: meta.value })),
    line_items: lineItems.map(({ _discountNet, _discountTax, ...line }) => line),
    tax_lines: rate
      ? [
          {
            id: ids.next(),
            rate_code: rate.rateCode ?? `GB-${rate.label.toUpperCase()}-1`,
            rate_id: rateId,
            label: rate.label,
            compound: rate.compound ?? false,
            tax_total: money(cartTax),
            shipping_tax_total: money(shippingTax),
            rate_percent: rate.percent,
            meta_data: [],
          },
        ]
      : [],
    shipping_lines: shippingLines,
    fee_lines: feeLines.map(({ _tax, ...fee }) => fee),
    coupon_lines: input.coupon
      ? [{ id: ids.next(), code: input.coupon.code, discount: money(discountNet), discount_tax: money(discountTax), meta_data: [] }]
      : [],
    refunds: [],
    payment_url: '',
    is_editable: false,
    needs_payment: !paid,
    needs_processing: true,
  };
}
