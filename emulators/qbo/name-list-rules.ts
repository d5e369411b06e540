import type { QboCompany } from './company.js';
import { validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';
import { checkLength } from './text-limits.js';
import { checkCurrencyUsable } from './currency-rules.js';

function requiredFault(nowMs: number, field: string) {
  return validationFault(nowMs, {
    Message: 'Required param missing, need to supply the required value for the API',
    Detail: `Required parameter ${field} is missing in the request`,
    code: '2020',
    element: field,
  });
}

function duplicateNameFault(nowMs: number, name: string, existingId: string) {
  return validationFault(nowMs, {
    Message: 'Duplicate Name Exists Error',
    Detail: `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. Id=${existingId} Name=${name}`,
    code: '6240',
    element: '',
  });
}

function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.localeCompare(b, 'en', { sensitivity: 'accent' }) === 0;
}

/**
 * Customer create: DisplayName unique across customers, vendors and employees (active or not), no ':'. `selfId`:
 * the customer being updated, whose own name is no conflict.
 */
export function validateCustomer(company: QboCompany, body: QboRecord, nowMs: number, selfId?: string): QboRecord {
  const given = body.GivenName;
  const family = body.FamilyName;
  const displayName =
    typeof body.DisplayName === 'string' && body.DisplayName.trim() !== ''
      ? body.DisplayName
      : [given, family].filter((part) => typeof part === 'string' && part !== '').join(' ');
  if (displayName === '') throw requiredFault(nowMs, 'DisplayName');
  // Names are joined with ':' into FullyQualifiedName (Parent:Child), so a name may not contain one [S; wording U].
  if (displayName.includes(':')) {
    throw validationFault(nowMs, {
      Message: 'A business validation error has occurred while processing your request',
      Detail: 'Business Validation Error: The name cannot contain a colon (:).',
      code: '6000',
      element: 'DisplayName',
    });
  }
  checkLength(nowMs, 'DisplayName', displayName, 500);
  checkLength(nowMs, 'GivenName', given, 100);
  checkLength(nowMs, 'FamilyName', family, 100);
  const email = (body.PrimaryEmailAddr as QboRecord | undefined)?.Address;
  checkLength(nowMs, 'PrimaryEmailAddr.Address', email, 100);
  // Display names are unique across customers, vendors and employees [C].
  const existing = ['Customer', 'Vendor', 'Employee']
    .flatMap((entity) => company.all(entity).filter((other) => entity !== 'Customer' || other.Id !== selfId))
    .find((other) => sameName(other.DisplayName, displayName));
  if (existing) throw duplicateNameFault(nowMs, displayName, String(existing.Id));
  const currency = (body.CurrencyRef as QboRecord | undefined)?.value;
  if (typeof currency === 'string') checkCurrencyUsable(company, currency, nowMs);
  return {
    ...body,
    DisplayName: displayName,
    FullyQualifiedName: displayName,
    PrintOnCheckName: displayName,
    Active: body.Active ?? true,
    CurrencyRef: body.CurrencyRef ?? { value: company.homeCurrency },
    Balance: 0,
  };
}

/** Item create: Name required, ≤ 100 and unique; Sku ≤ 100 and not unique. `selfId`: the item being updated. */
export function validateItem(company: QboCompany, body: QboRecord, nowMs: number, selfId?: string): QboRecord {
  const name = body.Name;
  if (typeof name !== 'string' || name.trim() === '') throw requiredFault(nowMs, 'Name');
  checkLength(nowMs, 'Name', name, 100);
  checkLength(nowMs, 'Sku', body.Sku, 100);
  const existing = company.all('Item').find((item) => item.Id !== selfId && sameName(item.Name, name));
  if (existing) {
    throw validationFault(nowMs, {
      Message: 'Duplicate Name Exists Error',
      Detail: `The name supplied already exists. : Id=${String(existing.Id)}`,
      code: '6240',
    });
  }
  return { Type: 'NonInventory', UnitPrice: 0, ...body, FullyQualifiedName: name, Active: body.Active ?? true };
}
