import type { PartialDataPolicy, ShopifyGraphqlError } from './shopify-admin-client.js';

/**
 * Shopify's protected customer data: an app not approved for customer names or emails gets ACCESS_DENIED on
 * each such field, with null in its place and the rest of the order intact. That is no reason to stop booking
 * (connecting again cannot grant it; only Shopify's approval can), so those errors, and only those, are accepted.
 */
const PROTECTED_CUSTOMER_FIELDS = new Set(['email', 'firstName', 'lastName', 'displayName', 'defaultEmailAddress', 'phone']);

function isWithheldCustomerField(error: ShopifyGraphqlError): boolean {
  if (error.extensions?.code !== 'ACCESS_DENIED') return false;
  const path = (error.path ?? []).filter((p): p is string => typeof p === 'string');
  const field = path[path.length - 1];
  if (!field || !PROTECTED_CUSTOMER_FIELDS.has(field)) return false;
  // order.email, or order.customer.<field>
  return path[0] === 'order' && (path.length === 2 || (path.length === 3 && path[1] === 'customer'));
}

export const onlyCustomerDataWithheld: PartialDataPolicy = (errors, data) =>
  errors.every(isWithheldCustomerField) && !!(data as { order?: unknown } | null)?.order;

/** Plain words for the order's row: why it books under the fallback customer. */
export function withheldReason(errors: ShopifyGraphqlError[]): string {
  const fields = [...new Set(errors.map((e) => String(e.path?.[e.path.length - 1] ?? '')))].filter(Boolean);
  const what = fields.some((f) => f === 'email' || f === 'defaultEmailAddress') && fields.some((f) => f !== 'email' && f !== 'defaultEmailAddress')
    ? 'names and emails'
    : fields.every((f) => f === 'email' || f === 'defaultEmailAddress')
      ? 'emails'
      : 'names';
  return `Shopify does not share customer ${what} with ledgerbridge (the app is not approved for protected customer data), so this order is booked under the route's fallback customer. Only Shopify's approval of the app for that data changes this.`;
}
