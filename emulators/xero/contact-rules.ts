import { defined, tooLong } from './field-rules.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';
import { currencyError } from './currency-rules.js';
import type { Outcome } from './invoice-rules.js';
import { msDate } from './wire-format.js';

const WRITABLE = ['Name', 'FirstName', 'LastName', 'EmailAddress', 'ContactNumber', 'AccountNumber', 'ContactStatus', 'DefaultCurrency', 'TaxNumber'];

/** What Xero refuses in a new contact (or an updated one, `selfId`, whose own name is no conflict); empty: accepted. */
export function contactErrors(org: XeroOrganisation, input: XeroRecord, selfId?: string): string[] {
  const name = typeof input.Name === 'string' ? input.Name.trim() : '';
  const taken =
    name !== '' &&
    org.contacts.some((c) => c.ContactID !== selfId && c.ContactStatus === 'ACTIVE' && typeof c.Name === 'string' && c.Name.toLowerCase() === name.toLowerCase());
  return defined(
    name === '' ? 'The contact name must be specified.' : null,
    tooLong('Contact Name', input.Name, 255),
    tooLong('First Name', input.FirstName, 255),
    tooLong('Last Name', input.LastName, 255),
    tooLong('Email Address', input.EmailAddress, 255),
    tooLong('Contact Number', input.ContactNumber, 50),
    tooLong('Account Number', input.AccountNumber, 50),
    typeof input.EmailAddress === 'string' && input.EmailAddress !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.EmailAddress)
      ? 'Email address must be valid.'
      : null,
    typeof input.DefaultCurrency === 'string' ? currencyError(org, input.DefaultCurrency) : null,
    taken ? `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.` : null,
  );
}

/**
 * An update of a contact: only the fields sent change, the others keep their values [C: xero-node updateContact,
 * "a single Contact object with properties to update"]; the result must pass the rules of a new contact.
 */
export function updateContact(org: XeroOrganisation, contact: XeroRecord, input: XeroRecord): Outcome {
  const changes: XeroRecord = {};
  for (const key of WRITABLE) if (input[key] !== undefined) changes[key] = key === 'Name' && typeof input.Name === 'string' ? input.Name.trim() : input[key];
  const errors = contactErrors(org, { ...contact, ...changes }, String(contact.ContactID));
  if (errors.length > 0) return { ok: false, errors };
  Object.assign(contact, changes, { UpdatedDateUTC: msDate(org.nowMs) });
  return { ok: true, record: contact };
}

export function createContact(org: XeroOrganisation, input: XeroRecord): XeroRecord {
  const fields: XeroRecord = {};
  for (const key of WRITABLE) if (input[key] !== undefined) fields[key] = input[key];
  if (typeof fields.Name === 'string') fields.Name = fields.Name.trim();
  return org.insertContact(fields);
}

/** A contact named on an invoice by Name only that does not exist yet is created with it [S]. */
export function contactFromReference(org: XeroOrganisation, ref: XeroRecord): { contact: XeroRecord | null; error: string | null; createName?: string } {
  if (typeof ref.ContactID === 'string' && ref.ContactID !== '') {
    const contact = org.contactById(ref.ContactID);
    return contact ? { contact, error: null } : { contact: null, error: `Contact with ID ${ref.ContactID} could not be found.` };
  }
  if (typeof ref.Name === 'string' && ref.Name.trim() !== '') {
    const name = ref.Name.trim().toLowerCase();
    const existing = org.contacts.find((c) => c.ContactStatus === 'ACTIVE' && String(c.Name).toLowerCase() === name);
    if (existing) return { contact: existing, error: null };
    const errors = contactErrors(org, ref);
    // Created only once the whole document is accepted (see createNamedContact).
    return errors.length > 0 ? { contact: null, error: errors[0]! } : { contact: null, error: null, createName: ref.Name.trim() };
  }
  return { contact: null, error: 'A Contact must be specified for this type of transaction' };
}

export function contactSummary(contact: XeroRecord): XeroRecord {
  return { ContactID: contact.ContactID, Name: contact.Name, ...(contact.EmailAddress ? { EmailAddress: contact.EmailAddress } : {}), HasValidationErrors: false };
}

