import { randomUUID } from 'node:crypto';
import { amountsIn, fromMinor } from '../../domain/money.js';
import { hexId } from './order-builder.js';

/** A site user as a test or the demo asks for one (Profiles API 1.0). */
export interface SquarespaceProfileInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  /** Has orders or donations; a newsletter subscriber is not a customer. */
  isCustomer?: boolean;
  hasAccount?: boolean;
}

/** A product as the merchant adds one (Products API v2); each variant its own SKU (optional, unique per site [S]). */
export interface SquarespaceProductInput {
  name: string;
  id?: string;
  type?: 'PHYSICAL' | 'DIGITAL' | 'SERVICE' | 'GIFT_CARD';
  variants: Array<{ id?: string; sku?: string | null; price: string; salePrice?: string; attributes?: Record<string, string> }>;
}

/**
 * A Profile (`GET /1.0/profiles/{ids}`) [C: retrieve-specific-profiles example]: `id email firstName lastName
 * hasAccount isCustomer createdOn address acceptsMarketing transactionsSummary`; no modifiedOn.
 */
export function buildProfile(input: SquarespaceProfileInput, id: string, createdOn: string, currency: string): Record<string, unknown> {
  const zero = { currency, value: '0.00' };
  return {
    id,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email,
    hasAccount: input.hasAccount ?? false,
    isCustomer: input.isCustomer ?? false,
    createdOn,
    address: null,
    acceptsMarketing: false,
    transactionsSummary: { orderCount: 0, totalOrderAmount: zero, totalRefundAmount: zero, firstOrderSubmittedOn: null, lastOrderSubmittedOn: null },
  };
}

/**
 * A Product v2 (`GET /v2/commerce/products/{ids}`) [S: squarespace.md §4]: variants
 * `{id (UUID), sku, pricing{basePrice, salePrice, onSale}, stock{quantity, unlimited}, attributes}`, Money as
 * decimal strings.
 */
export function buildProduct(input: SquarespaceProductInput, at: string, currency: string): Record<string, unknown> {
  const { minor } = amountsIn(currency);
  const money = (value: string) => ({ currency, value: fromMinor(minor(value), currency) });
  const slug = input.name.toLowerCase().replace(/\W+/g, '-');
  return {
    id: input.id ?? hexId(),
    type: input.type ?? 'PHYSICAL',
    storePageId: hexId(),
    name: input.name,
    description: '',
    url: `/store/p/${slug}`,
    urlSlug: slug,
    tags: [],
    isVisible: true,
    createdOn: at,
    modifiedOn: at,
    variants: input.variants.map((variant) => ({
      id: variant.id ?? randomUUID(),
      sku: variant.sku ?? null,
      pricing: { basePrice: money(variant.price), salePrice: money(variant.salePrice ?? variant.price), onSale: variant.salePrice !== undefined },
      stock: { quantity: 10, unlimited: false },
      attributes: variant.attributes ?? {},
      shippingMeasurements: null,
      image: null,
    })),
    images: [],
  };
}
