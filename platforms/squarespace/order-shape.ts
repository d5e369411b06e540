/**
 * The parts of Squarespace's order (Orders API 1.0) and transaction document (Transactions API 1.0) the mapping
 * reads, in Squarespace's names. Documented fields are always present but may be null [S]; money is
 * `{currency, value}` with value a decimal string (a number in some captures: both are read).
 */
export interface SquarespaceMoney {
  currency: string;
  value: string | number;
}

export interface SquarespaceAddress {
  firstName?: string | null;
  lastName?: string | null;
}

export interface SquarespaceOrder {
  id: string;
  /** A string ("1042"); some clients have seen a number. */
  orderNumber: string | number;
  createdOn: string;
  modifiedOn: string;
  testmode?: boolean | null;
  customerEmail: string | null;
  customerId: string | null;
  billingAddress: SquarespaceAddress | null;
  fulfillmentStatus: 'PENDING' | 'FULFILLED' | 'CANCELED' | string;
  paymentState?: string | null;
  priceTaxInterpretation: 'EXCLUSIVE' | 'INCLUSIVE' | string | null;
  lineItems: Array<{
    id: string;
    productName: string | null;
    sku: string | null;
    quantity: number;
    unitPricePaid: SquarespaceMoney | null;
  }> | null;
  shippingLines: Array<{ method: string | null; amount: SquarespaceMoney | null }> | null;
  discountLines: Array<{ name: string | null; promoCode: string | null; amount: SquarespaceMoney | null }> | null;
  subtotal: SquarespaceMoney | null;
  shippingTotal: SquarespaceMoney | null;
  discountTotal: SquarespaceMoney | null;
  taxTotal: SquarespaceMoney | null;
  refundedTotal: SquarespaceMoney | null;
  grandTotal: SquarespaceMoney;
}

export interface SquarespaceTax {
  amount: SquarespaceMoney | null;
  /** A fraction as a string: "0.08". */
  rate: string | number | null;
  name: string | null;
  jurisdiction?: string | null;
}

/** A refund of a payment, made in Squarespace (one made at the gateway never appears) [C/S]. */
export interface SquarespaceRefund {
  id: string;
  amount: SquarespaceMoney | null;
  refundedOn: string;
  externalTransactionId?: string | null;
}

export interface SquarespaceTransactionDocument {
  id: string;
  salesOrderId: string | null;
  voided: boolean;
  payments?: Array<{ id: string; refunds: SquarespaceRefund[] | null }> | null;
  salesLineItems: Array<{ id: string; discountAmount: SquarespaceMoney | null; taxes: SquarespaceTax[] | null }> | null;
  shippingLineItems: Array<{ id: string; taxes: SquarespaceTax[] | null }> | null;
}
