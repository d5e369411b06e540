import type { Contact, Item } from 'xero-node';
import type { LedgerCustomerChanges, LedgerItemChanges } from '../../domain/accounting-target.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import type { XeroApi } from './xero-api.js';
import { whereString } from './where-literal.js';

/**
 * Updates of a linked contact or item: read it, send (POST with its ContactID/ItemID) only the fields that differ
 * from what Xero holds, so a retry after a lost answer sends nothing and fields we never send stay as they are.
 * The Idempotency-Key carries the record's UpdatedDateUTC as read: a later edit back to an earlier value is a new
 * write, never a replay of the old one.
 */
export async function updateXeroContact(api: XeroApi, contactId: string, changes: LedgerCustomerChanges): Promise<Contact> {
  const current = (await api.call(`contact ${contactId}`, (sdk, tenant) => sdk.getContact(tenant, contactId))).contacts?.[0];
  if (!current) throw new LedgerRejectedError('not-found', `Xero has no contact ${contactId} any more: it was linked to this customer. Unlink or restore it, then retry.`, `GET Contacts/${contactId}: none`);
  const fields: Contact = {};
  if (changes.displayName !== undefined && current.name !== changes.displayName) fields.name = changes.displayName;
  if (changes.givenName !== undefined && current.firstName !== changes.givenName) fields.firstName = changes.givenName;
  if (changes.familyName !== undefined && current.lastName !== changes.familyName) fields.lastName = changes.familyName;
  if (changes.email !== undefined && current.emailAddress !== changes.email) fields.emailAddress = changes.email;
  if (Object.keys(fields).length === 0) return current;
  const contact: Contact = { contactID: contactId, ...fields };
  const key = xeroIdempotencyKey(`contact-update:${contactId}:${updatedAt(current.updatedDateUTC)}`, contact);
  const body = await api.call(`contact '${current.name}'`, (sdk, tenant) => sdk.updateContact(tenant, contactId, { contacts: [contact] }, key));
  return body.contacts![0]!;
}

/**
 * The item whose Code is `code` (the engine's id of a Xero item). A changed price is sent with the item's sales
 * account and tax type as read: whether Xero keeps the parts of SalesDetails an update leaves out is not certain
 * (FIDELITY.md: [U]), and sent whole it is the same under both readings.
 */
export async function updateXeroItem(api: XeroApi, code: string, changes: LedgerItemChanges): Promise<Item> {
  const current = (await api.call(`item ${code}`, (sdk, tenant) => sdk.getItems(tenant, undefined, `Code==${whereString(code)}`))).items?.[0];
  if (!current?.itemID) throw new LedgerRejectedError('not-found', `Xero has no item with code "${code}" any more: it was linked to this product. Restore it, then retry.`, `GET Items where Code==${code}: none`);
  const fields: Item = { code: current.code };
  if (changes.name !== undefined && current.name !== changes.name) fields.name = changes.name;
  const sales = current.salesDetails ?? {};
  if (changes.unitPrice !== undefined && Number(sales.unitPrice ?? 0) !== Number(changes.unitPrice)) {
    fields.salesDetails = { ...(sales.accountCode ? { accountCode: sales.accountCode } : {}), ...(sales.taxType ? { taxType: sales.taxType } : {}), unitPrice: Number(changes.unitPrice) };
  }
  if (Object.keys(fields).length === 1) return current;
  const itemId = current.itemID;
  const key = xeroIdempotencyKey(`item-update:${itemId}:${updatedAt(current.updatedDateUTC)}`, fields);
  const body = await api.call(`item '${current.name ?? code}'`, (sdk, tenant) => sdk.updateItem(tenant, itemId, { items: [fields] }, undefined, key));
  return body.items![0]!;
}

function updatedAt(value: Date | string | undefined): string {
  if (value === undefined) return 'never';
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? String(value).replace(/[^0-9]/g, '') : String(ms);
}
