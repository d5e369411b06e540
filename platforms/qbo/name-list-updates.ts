import type { LedgerCustomerChanges, LedgerItemChanges } from '../../domain/accounting-target.js';
import type { CompanyCurrencies } from './company-tax-setup.js';
import { displayNameInCurrency } from '../../domain/customer-currency-name.js';
import { currencyOfCustomer } from './customer-currency.js';
import type { QboEntity } from './qbo-client.js';

/**
 * The Customer fields of a sparse update that differ from the record as read. A foreign-currency customer keeps its
 * currency in its name ("Chloé Dubois (EUR)"), as when it was created; its CurrencyRef is never sent (read-only).
 */
export function customerFieldsToWrite(current: QboEntity, changes: LedgerCustomerChanges, company: CompanyCurrencies, nameLimit: number): QboEntity {
  const fields: QboEntity = {};
  if (changes.displayName !== undefined) {
    const name = displayNameInCurrency(changes.displayName, currencyOfCustomer(current, company), company, nameLimit);
    if (current.DisplayName !== name) fields.DisplayName = name;
  }
  if (changes.givenName !== undefined && current.GivenName !== changes.givenName) fields.GivenName = changes.givenName;
  if (changes.familyName !== undefined && current.FamilyName !== changes.familyName) fields.FamilyName = changes.familyName;
  const email = (current.PrimaryEmailAddr as { Address?: unknown } | undefined)?.Address;
  if (changes.email !== undefined && email !== changes.email) fields.PrimaryEmailAddr = { Address: changes.email };
  return fields;
}

/** The Item fields of a sparse update that differ from the record as read (a price compared as a number). */
export function itemFieldsToWrite(current: QboEntity, changes: LedgerItemChanges): QboEntity {
  const fields: QboEntity = {};
  if (changes.name !== undefined && current.Name !== changes.name) fields.Name = changes.name;
  if (changes.unitPrice !== undefined && Number(current.UnitPrice ?? 0) !== Number(changes.unitPrice)) fields.UnitPrice = Number(changes.unitPrice);
  return fields;
}
