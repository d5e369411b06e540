import { childNamed, childText, type XmlElement } from '../../platforms/qbd/xml-tree.js';
import type { QbdCustomer, QbdItem, QbdItemType } from './company-data.js';
import type { HandledRequest, QbdCompany } from './company.js';
import { itemRet } from './qbxml-rets.js';
import { statusEditSequenceOutOfDate, statusNameInUse, statusObjectNotFound, statusOk, type QbxmlStatus } from './qbxml-status.js';

/**
 * Modifications of list records (`CustomerMod`, `ItemServiceMod`, `ItemNonInventoryMod`, `ItemInventoryMod`): the
 * record by its `ListID`, which must exist (3120), with its current `EditSequence` (else 3200: someone saved it since
 * it was read, notes §6 [C], §9 [S]); a new `Name` must be free (3100, as on adds). Only the elements sent change;
 * the record gets a new EditSequence. Schema order and lengths are checked before (company-emulator.ts).
 */

const lower = (s: string) => s.toLowerCase();
const fail = (status: QbxmlStatus): HandledRequest => ({ status, rets: [] });

/** Why the Mod cannot touch `record`, or null: it must be there and be read at its current EditSequence. */
function staleOrMissing(record: { editSequence: string } | undefined, mod: XmlElement): QbxmlStatus | null {
  if (!record) return statusObjectNotFound(childText(mod, 'ListID') ?? '');
  const sent = childText(mod, 'EditSequence') ?? '';
  return sent === record.editSequence ? null : statusEditSequenceOutOfDate(sent);
}

/** Sets `field` from `element` when the Mod sends it. */
function take<T extends object>(record: T, mod: XmlElement | undefined, element: string, field: keyof T): void {
  const value = mod ? childText(mod, element) : undefined;
  if (value !== undefined) (record as Record<keyof T, unknown>)[field] = value;
}

export function customerMod(company: QbdCompany, rq: XmlElement): HandledRequest {
  const mod = childNamed(rq, 'CustomerMod')!;
  const customer = company.customers.find((c) => c.listId === childText(mod, 'ListID'));
  const refused = staleOrMissing(customer, mod);
  if (refused || !customer) return fail(refused!);
  const name = childText(mod, 'Name');
  if (name !== undefined) {
    // Customers share one name list with vendors, employees and other names (as on CustomerAdd).
    const taken = company.customers.some((c) => c !== customer && lower(c.name) === lower(name)) || (company.seed.otherNames ?? []).some((n) => lower(n) === lower(name));
    if (taken) return fail(statusNameInUse(name));
  }
  const fields: [string, keyof QbdCustomer][] = [['Name', 'name'], ['CompanyName', 'companyName'], ['FirstName', 'firstName'], ['LastName', 'lastName'], ['Phone', 'phone'], ['Email', 'email']];
  for (const [element, field] of fields) take(customer, mod, element, field);
  const active = childText(mod, 'IsActive');
  if (active !== undefined) customer.isActive = active !== 'false';
  customer.editSequence = company.nextEditSequence(customer.editSequence);
  return { status: statusOk(), rets: [company.customerRet(customer)] };
}

/**
 * An item's Mod of its own type (an `ItemServiceMod` of a non-inventory item finds nothing to modify: played as
 * 3120, [U]). The sales price: `SalesPrice` on an inventory item, `SalesOrPurchaseMod/Price` (or
 * `SalesAndPurchaseMod/SalesPrice`) on the others. Item names are unique across every item type (notes §7 [S]).
 */
export function itemMod(company: QbdCompany, rq: XmlElement, type: QbdItemType): HandledRequest {
  const element = `Item${type}Mod`;
  const mod = childNamed(rq, element)!;
  const item = company.items.find((i) => i.listId === childText(mod, 'ListID') && i.type === type);
  const refused = staleOrMissing(item, mod);
  if (refused || !item) return fail(refused!);
  const name = childText(mod, 'Name');
  if (name !== undefined && company.items.some((i) => i !== item && lower(i.name) === lower(name))) return fail(statusNameInUse(name));
  take(item, mod, 'Name', 'name');
  take(item, mod, 'ManufacturerPartNumber', 'manufacturerPartNumber');
  const active = childText(mod, 'IsActive');
  if (active !== undefined) item.isActive = active !== 'false';
  if (type === 'Inventory') {
    take<QbdItem>(item, mod, 'SalesPrice', 'price');
    take<QbdItem>(item, mod, 'SalesDesc', 'description');
  } else {
    take<QbdItem>(item, childNamed(mod, 'SalesOrPurchaseMod'), 'Price', 'price');
    take<QbdItem>(item, childNamed(mod, 'SalesOrPurchaseMod'), 'Desc', 'description');
    take<QbdItem>(item, childNamed(mod, 'SalesAndPurchaseMod'), 'SalesPrice', 'price');
    take<QbdItem>(item, childNamed(mod, 'SalesAndPurchaseMod'), 'SalesDesc', 'description');
  }
  item.editSequence = company.nextEditSequence(item.editSequence);
  return { status: statusOk(), rets: [itemRet(item, company.taxCodeListId)] };
}
