/**
 * What the Shopify emulator stores, in its own terms. Amounts are decimal strings in the shop's currency;
 * ids are the numeric (legacy) ids as strings because real ones outgrow 2^53.
 */
export interface EmulatedTaxLine {
  title: string;
  rate: number;
  amount: string;
}

export interface EmulatedLineItem {
  id: string;
  title: string;
  sku: string | null;
  variantId: string | null;
  quantity: number;
  /** Quantity after refunds and removals. */
  currentQuantity: number;
  unitPrice: string;
  /** Discount allocated to the whole line. */
  discount: string;
  /** The discount applications that make up `discount` (a code and an automatic discount…); absent: one. */
  discountAllocations?: string[];
  taxable: boolean;
  taxLines: EmulatedTaxLine[];
}

export interface EmulatedShippingLine {
  id: string;
  title: string;
  code: string | null;
  price: string;
  discountedPrice: string;
  taxLines: EmulatedTaxLine[];
}

/** Shopify's RefundLineItemRestockType (Admin GraphQL enum). */
export type RestockType = 'CANCEL' | 'LEGACY_RESTOCK' | 'NO_RESTOCK' | 'RETURN';

export interface EmulatedRefundLine {
  id: string;
  lineItemId: string;
  quantity: number;
  restockType: RestockType;
  /** Unit price of the line item at checkout. */
  price: string;
  /** price × quantity less the refunded share of the line's discount. */
  subtotal: string;
  totalTax: string;
}

/** A refund of an order: lines, shipping and one successful REFUND transaction for its total. */
export interface EmulatedRefund {
  id: string;
  createdAt: string;
  note: string | null;
  lines: EmulatedRefundLine[];
  /** Shipping given back (its shipping line), null when none. */
  shipping: { shippingLineId: string; subtotal: string; tax: string } | null;
  /** Sum of the lines, shipping and (taxes not included) tax: the REFUND transaction's amount. */
  total: string;
  transactionId: string;
}

export type FinancialStatus =
  | 'AUTHORIZED'
  | 'EXPIRED'
  | 'PAID'
  | 'PARTIALLY_PAID'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING'
  | 'REFUNDED'
  | 'VOIDED';

export interface EmulatedOrder {
  id: string;
  name: string;
  number: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  financialStatus: FinancialStatus;
  currency: string;
  presentmentCurrency: string;
  /** presentment amount = shop amount × this rate. */
  presentmentRate: number;
  taxesIncluded: boolean;
  note: string | null;
  email: string | null;
  customerId: string | null;
  lineItems: EmulatedLineItem[];
  shippingLines: EmulatedShippingLine[];
  /** Oldest first; absent on orders made before the emulator kept refunds. */
  refunds?: EmulatedRefund[];
}

export interface EmulatedCustomer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EmulatedVariant {
  id: string;
  title: string;
  sku: string | null;
  price: string;
}

export interface EmulatedProduct {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  variants: EmulatedVariant[];
}

export interface EmulatedShop {
  id: string;
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  /** Whether our app is installed; uninstalling revokes every token. */
  installed: boolean;
  /** Scopes the merchant granted the app. */
  grantedScopes: string[];
  /** The app is not approved for protected customer data (names, emails): those fields answer ACCESS_DENIED. */
  customerDataWithheld: boolean;
}

export interface EmulatedToken {
  accessToken: string;
  shop: string;
  kind: 'offline' | 'expiring';
  issuedAt: string;
  /** ISO; null for non-expiring offline tokens. */
  expiresAt: string | null;
  revoked: boolean;
  refreshToken: string | null;
  refreshTokenExpiresAt: string | null;
  refreshTokenUsed: boolean;
  /** The expiring token this one was refreshed into (it revoked this one by replacing it). */
  replacedBy: string | null;
  /** When the access token first authenticated an API call. */
  firstUsedAt: string | null;
  /** Revoked by uninstall or by hand, not by a refresh: no grace. */
  revokedHard?: boolean;
}

export interface AuthorizationCode {
  code: string;
  shop: string;
  clientId: string;
  scopes: string[];
  used: boolean;
}
