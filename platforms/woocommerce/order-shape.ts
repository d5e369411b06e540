/**
 * The parts of a wc/v3 order the mapping reads, with WooCommerce's own names and types
 * (emulators/woocommerce/schema-facts.json): money is strings, ids integers, dates without an offset.
 */
export interface WooLineTax {
  /** The tax rate id: the order's tax_lines[].rate_id. */
  id: number;
  total: string;
  subtotal?: string;
}

export interface WooOrder {
  id: number;
  number: string;
  status: string;
  currency: string;
  prices_include_tax: boolean;
  date_created_gmt: string;
  date_modified_gmt: string;
  discount_total: string;
  shipping_total: string;
  total: string;
  total_tax: string;
  customer_id: number;
  customer_note: string;
  billing: { first_name?: string; last_name?: string; email?: string } | null;
  line_items: Array<{
    id: number;
    name: string;
    sku: string;
    quantity: number;
    subtotal: string;
    subtotal_tax: string;
    total: string;
    total_tax: string;
    taxes: WooLineTax[];
  }>;
  tax_lines: Array<{ id: number; rate_id: number; label: string; compound: boolean; tax_total: string; shipping_tax_total: string; rate_percent?: number }>;
  shipping_lines: Array<{ id: number; method_title: string; total: string; total_tax: string; taxes: WooLineTax[] }>;
  fee_lines: Array<{ id: number; name: string; tax_status: string; total: string; total_tax: string; taxes: WooLineTax[] }>;
  coupon_lines: Array<{ id: number; code: string; discount: string; discount_tax: string }>;
  refunds: Array<{ id: number; reason: string; total: string }>;
}
