import type { CommerceCustomer, CommerceOrder } from '../domain/commerce-order.js';

/** Who an order with neither a name nor an email (a guest) books under, unless the route names a fallback customer. */
export const GUEST_CUSTOMER_NAME = 'Online customer';

/**
 * Display names to try for an order's customer, most natural first. Ledgers forbid ":" in names
 * and want them unique across contacts, so later forms add the email or the shop's customer id.
 * `guestName`: the route's fallback customer, for orders that name nobody.
 */
export function customerNameCandidates(order: CommerceOrder, guestName?: string | null): string[] {
  return personNameCandidates(order.customer, order.customer?.email ?? order.email, guestName);
}

/** The same name forms for a store's customer seen on its own (the customer sync) or through an order. */
export function personNameCandidates(customer: CommerceCustomer | null, email: string | null, guestName?: string | null): string[] {
  const person = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ').trim();
  const base = (person || email || guestName?.trim() || GUEST_CUSTOMER_NAME).replace(/:/g, ' ');
  const candidates = [base];
  if (email && email !== base) candidates.push(`${base} (${email})`.replace(/:/g, ' '));
  if (customer?.id) candidates.push(`${base} (customer ${customer.id.replace(/^gid:\/\/shopify\/Customer\//, '')})`);
  return candidates;
}
