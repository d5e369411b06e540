import { randomUUID } from 'node:crypto';
import { defined, isNumber, round2, tooLong } from './field-rules.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';

export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export interface LineOutcome {
  line: XeroRecord;
  errors: string[];
}

const ACCOUNT_TYPES_FOR_SALES = new Set(['REVENUE', 'SALES', 'OTHERINCOME', 'CURRENT', 'CURRLIAB', 'EQUITY', 'BANK']);

/** Which accounts a line may name: an invoice's the sales side; spend and receive money any account but a bank account [S]. */
export type LineAccounts = 'sales' | 'any-but-bank';

function lineAccountAllowed(type: string, accounts: LineAccounts): boolean {
  return accounts === 'sales' ? ACCOUNT_TYPES_FOR_SALES.has(type) : type !== 'BANK';
}

/**
 * One line of a sale document (invoice or receive-money): references checked against the organisation,
 * amounts and tax computed from its own rates, rounded per line to 2 decimals.
 */
export function saleLine(
  org: XeroOrganisation,
  input: XeroRecord,
  amountTypes: LineAmountTypes,
  requireAccount: boolean,
  unitDp: 2 | 4 = 2,
  allowDiscount = true,
  /** Which of the item's details give the line its account and tax: spend money takes the purchase side [S]. */
  itemDetails: 'SalesDetails' | 'PurchaseDetails' = 'SalesDetails',
  accounts: LineAccounts = 'sales',
): LineOutcome {
  const errors: string[] = [];
  const line: XeroRecord = { LineItemID: randomUUID() };
  // A line of text alone (no item, quantity, price or account) is a note on the document, worth nothing [S].
  if (isTextOnly(input)) {
    const tooLongText = tooLong('Description', input.Description, 4000);
    return tooLongText ? { line, errors: [tooLongText] } : { line: { ...line, Description: input.Description, LineAmount: 0, TaxAmount: 0, Tracking: [] }, errors: [] };
  }
  const itemCode = typeof input.ItemCode === 'string' && input.ItemCode !== '' ? input.ItemCode : null;
  const item = itemCode ? org.item(itemCode) : undefined;
  if (itemCode && !item) errors.push(`Item code '${itemCode}' is not valid`);
  const sales = (item?.[itemDetails] ?? {}) as XeroRecord;
  const description = typeof input.Description === 'string' && input.Description !== '' ? input.Description : item ? String(item.Description ?? item.Name) : '';
  if (description === '' && !itemCode) errors.push('Description must be at least 1 character(s) long.');
  errors.push(...defined(tooLong('Description', description, 4000)));

  const quantity = input.Quantity === undefined ? 1 : input.Quantity;
  // Unit prices are taken to 2 decimals unless the call opts in to 4 with `unitdp=4` [C: Rounding in Xero].
  const rawUnit = input.UnitAmount === undefined ? (sales.UnitPrice ?? 0) : input.UnitAmount;
  const unitAmount = isNumber(rawUnit) ? Math.round(rawUnit * 10 ** unitDp) / 10 ** unitDp : rawUnit;
  if (!isNumber(quantity)) errors.push('Quantity must be a number.');
  if (!isNumber(unitAmount)) errors.push('Unit Price must be a number.');
  const discountRate = input.DiscountRate;
  const discountAmount = input.DiscountAmount;
  if (discountRate !== undefined && discountAmount !== undefined) errors.push('Only one of DiscountRate and DiscountAmount may be specified.');
  if (!allowDiscount && (discountRate !== undefined || discountAmount !== undefined)) errors.push('Discounts can only be applied to sales invoices (ACCREC).');

  const accountCode = typeof input.AccountCode === 'string' && input.AccountCode !== '' ? input.AccountCode : typeof sales.AccountCode === 'string' ? sales.AccountCode : null;
  const account = accountCode ? org.account({ Code: accountCode }) : undefined;
  if (accountCode && (!account || account.Status !== 'ACTIVE' || !lineAccountAllowed(String(account.Type), accounts))) {
    errors.push(`Account code '${accountCode}' is not a valid code for this document.`);
  } else if (!accountCode && requireAccount) {
    errors.push("Account code '' is not a valid code for this document.");
  }

  const taxType = typeof input.TaxType === 'string' && input.TaxType !== '' ? input.TaxType : typeof sales.TaxType === 'string' ? sales.TaxType : account ? String(account.TaxType ?? 'NONE') : 'NONE';
  const taxRate = org.taxRate(taxType);
  if (amountTypes !== 'NoTax' && (!taxRate || taxRate.Status !== 'ACTIVE' || taxRate.CanApplyToRevenue !== true)) {
    errors.push(`The TaxType code ${taxType} does not exist or cannot be used for this type of transaction.`);
  }
  if (errors.length > 0 || !isNumber(quantity) || !isNumber(unitAmount)) return { line, errors };

  const gross = quantity * unitAmount;
  const discount = isNumber(discountAmount) ? discountAmount : isNumber(discountRate) ? (gross * discountRate) / 100 : 0;
  const expected = round2(gross - discount);
  if (isNumber(input.LineAmount) && round2(input.LineAmount) !== expected) {
    return { line, errors: [`The line total ${round2(input.LineAmount).toFixed(2)} does not match the expected line total ${expected.toFixed(2)}`] };
  }
  const rate = amountTypes === 'NoTax' ? 0 : Number(taxRate?.EffectiveRate ?? 0);
  const computedTax = amountTypes === 'Inclusive' ? round2((expected * rate) / (100 + rate)) : round2((expected * rate) / 100);
  // The tax amount may be overridden where Xero's calculation is not what the seller charged [C: API docs].
  const tax = amountTypes === 'NoTax' ? 0 : isNumber(input.TaxAmount) ? round2(input.TaxAmount) : computedTax;
  Object.assign(line, {
    ...(item ? { ItemCode: item.Code, Item: { ItemID: item.ItemID, Name: item.Name, Code: item.Code } } : {}),
    Description: description,
    Quantity: quantity,
    UnitAmount: unitAmount,
    ...(accountCode ? { AccountCode: account!.Code, AccountID: account!.AccountID } : {}),
    TaxType: amountTypes === 'NoTax' ? 'NONE' : taxType,
    TaxAmount: tax,
    LineAmount: expected,
    ...(isNumber(discountRate) ? { DiscountRate: discountRate } : {}),
    ...(isNumber(discountAmount) ? { DiscountAmount: discountAmount } : {}),
    Tracking: [],
  });
  return { line, errors: [] };
}

function isTextOnly(input: XeroRecord): boolean {
  return typeof input.Description === 'string' && input.Description !== '' && ['ItemCode', 'Quantity', 'UnitAmount', 'LineAmount', 'AccountCode', 'TaxType', 'DiscountRate', 'DiscountAmount'].every((field) => input[field] === undefined);
}

/** SubTotal, TotalTax and Total of accepted lines: Inclusive line amounts hold their tax. */
export function documentTotals(lines: XeroRecord[], amountTypes: LineAmountTypes): { SubTotal: number; TotalTax: number; Total: number } {
  let net = 0;
  let tax = 0;
  for (const line of lines) {
    const amount = Number(line.LineAmount);
    const lineTax = Number(line.TaxAmount);
    tax += lineTax;
    net += amountTypes === 'Inclusive' ? amount - lineTax : amount;
  }
  const SubTotal = round2(net);
  const TotalTax = round2(tax);
  return { SubTotal, TotalTax, Total: round2(SubTotal + TotalTax) };
}
