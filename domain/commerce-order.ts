/**
 * An order as every commerce source reports it, in the shop's own currency.
 * Amounts are decimal strings ("10.00") so no float ever touches money.
 */
export interface CommerceTaxLine {
  /** Jurisdiction or tax name as the shop shows it, e.g. "VAT" or "CA State Tax". */
  title: string;
  /** Rate as a fraction: 0.2 for 20 %. */
  rate: number;
  amount: string;
}

export interface CommerceOrderLine {
  id: string;
  sku: string | null;
  title: string;
  quantity: number;
  /** Unit price before discounts. */
  unitPrice: string;
  /** Total discount allocated to this line (all units). */
  discount: string;
  taxable: boolean;
  taxLines: CommerceTaxLine[];
}

export interface CommerceShippingLine {
  title: string;
  price: string;
  taxLines: CommerceTaxLine[];
}

export interface CommerceCustomer {
  id: string | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface CommerceOrder {
  /** The platform's numeric order id as a string (Shopify legacyResourceId). */
  id: string;
  /** Display number, e.g. "#1001". */
  name: string;
  createdAt: string;
  updatedAt: string;
  currency: string;
  taxesIncluded: boolean;
  financialStatus: string;
  cancelledAt: string | null;
  note: string | null;
  email: string | null;
  customer: CommerceCustomer | null;
  /**
   * Why the customer's name and email are missing although the order has a customer, when the platform
   * withholds them (Shopify's protected customer data); the order books under the route's fallback customer.
   */
  customerDataWithheld?: string | null;
  lines: CommerceOrderLine[];
  shippingLines: CommerceShippingLine[];
  taxLines: CommerceTaxLine[];
  totalDiscount: string;
  totalTax: string;
  totalShipping: string;
  /** At checkout: what the ledger document books. */
  total: string;
  /** After edits and refunds, as the shop shows it now: what later updates are compared with. */
  currentTotal: string;
}
