import { defined, isNumber, tooLong } from './field-rules.js';
import type { Outcome } from './invoice-rules.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';
import { msDate } from './wire-format.js';

/** A new item: Code ≤ 30 (the SKU), Name ≤ 50, descriptions ≤ 4000 [C: spec]; codes unique per organisation [U]. */
export function createItem(org: XeroOrganisation, input: XeroRecord): Outcome {
  const code = typeof input.Code === 'string' ? input.Code.trim() : '';
  const sales = (input.SalesDetails && typeof input.SalesDetails === 'object' ? input.SalesDetails : {}) as XeroRecord;
  const errors = itemErrors(org, input, null);
  if (errors.length > 0) return { ok: false, errors };
  const record = org.addItem({
    code,
    name: typeof input.Name === 'string' && input.Name !== '' ? input.Name : code,
    ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
    ...(typeof sales.AccountCode === 'string' ? { salesAccountCode: sales.AccountCode } : {}),
    ...(typeof sales.TaxType === 'string' ? { salesTaxType: sales.TaxType } : {}),
    ...(isNumber(sales.UnitPrice) ? { unitPrice: sales.UnitPrice } : {}),
    ...(input.IsSold === false ? { isSold: false } : {}),
  });
  return { ok: true, record };
}

/**
 * An update of an item (POST Items/{ItemID}): `Code` is required in every item [C: xero-node Item model, `code`
 * not optional]; the fields sent change and the others stay. A `SalesDetails` sent replaces the item's whole block
 * (what it omits is cleared): whether Xero merges it instead is not documented [U], this is the stricter reading.
 */
export function updateItem(org: XeroOrganisation, item: XeroRecord, input: XeroRecord): Outcome {
  const errors = itemErrors(org, input, String(item.ItemID));
  if (errors.length > 0) return { ok: false, errors };
  for (const key of ['Code', 'Name', 'Description', 'IsSold', 'SalesDetails'] as const) {
    if (input[key] !== undefined) item[key] = key === 'Code' ? String(input.Code).trim() : input[key];
  }
  item.UpdatedDateUTC = msDate(org.nowMs);
  return { ok: true, record: item };
}

/** What Xero refuses in an item's fields (`selfId`: the item being updated, whose own code is no conflict). */
function itemErrors(org: XeroOrganisation, input: XeroRecord, selfId: string | null): string[] {
  const code = typeof input.Code === 'string' ? input.Code.trim() : '';
  const sales = (input.SalesDetails && typeof input.SalesDetails === 'object' ? input.SalesDetails : {}) as XeroRecord;
  const holder = code !== '' ? org.item(code) : undefined;
  return defined(
    code === '' ? 'Item Code must be specified.' : null,
    tooLong('Item Code', input.Code, 30),
    tooLong('Item Name', input.Name, 50),
    tooLong('Description', input.Description, 4000),
    tooLong('Purchase Description', input.PurchaseDescription, 4000),
    holder && holder.ItemID !== selfId ? `Item code '${code}' already exists.` : null,
    typeof sales.AccountCode === 'string' && !org.account({ Code: sales.AccountCode }) ? `Account code '${sales.AccountCode}' is not a valid code for this document.` : null,
    typeof sales.TaxType === 'string' && !org.taxRate(sales.TaxType) ? `The TaxType code ${sales.TaxType} does not exist or cannot be used for this type of transaction.` : null,
  );
}
