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
  /** What the ledger line says, when not the title (a refund of an amount alone: "Refund of order #1001 (amount only)"). */
  ledgerDescription?: string;
  /** A SKU mapping key that, when the route maps it, books this line in place of the line's own SKU (the route's refunds item). */
  mappingKey?: string;
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
  /**
   * The same order in the buyer's currency, when they paid in another than the shop's (Shopify's presentmentMoney);
   * absent when there is no such split. A route may book these amounts instead (domain/booking-currency.ts).
   */
  presentment?: CommerceOrder;
  /**
   * The shop's own currency, on an order in another one that has no shop-currency side (a WooCommerce order a
   * multi-currency plugin charged in the buyer's currency): the order's amounts are the sale's, and a route books
   * them as it books a buyer's currency (domain/booking-currency.ts).
   */
  shopCurrency?: string;
  /**
   * The shop's current total in its own currency, on an order whose amounts are the buyer's: what the shop's later
   * updates (in the shop's currency) are compared with.
   */
  shopCurrentTotal?: string;
  /** The shop's total before refunds in its own currency, beside shopCurrentTotal. */
  shopTotal?: string;
  /** Set once the sync chose the amounts it books (domain/booking-currency.ts): how they relate to the ledger's currency. */
  exchange?: OrderExchange;
}

/** How an order's amounts stand to the ledger's home currency, as the sync chose them. */
export interface OrderExchange {
  /** The ledger's home currency. */
  homeCurrency: string;
  /**
   * Units of the home currency per one unit of the order's currency, when known from the shop's own two amounts
   * (shop and presentment); null when the ledger is to use its own rate, and absent on home-currency amounts.
   */
  rate: string | null;
  /**
   * Home-currency amounts booked in place of what the buyer paid (a ledger without multicurrency): the original
   * currency, total and rate, for the document's memo ("Paid EUR 92.50 at 1.081081 USD per EUR").
   */
  convertedFrom?: { currency: string; total: string; rate: string };
}
