import type { CommerceOrder } from '../domain/commerce-order.js';

/**
 * Display names to try for an order's customer, most natural first. Ledgers forbid ":" in names
 * and want them unique across contacts, so later forms add the email or the shop's customer id.
 */
export function customerNameCandidates(order: CommerceOrder): string[] {
  const customer = order.customer;
  const email = customer?.email ?? order.email;
  const person = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ').trim();
  const base = (person || email || 'Online customer').replace(/:/g, ' ');
  const candidates = [base];
  if (email && email !== base) candidates.push(`${base} (${email})`.replace(/:/g, ' '));
  if (customer?.id) candidates.push(`${base} (customer ${customer.id.replace(/^gid:\/\/shopify\/Customer\//, '')})`);
  return candidates;
}
