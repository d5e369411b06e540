import type { Amounts } from '../../domain/money.js';
import { transactionAmounts } from './transaction-currency.js';
import { checkCurrencyUsable, exchangeFields } from './currency-rules.js';
import type { QboCompany } from './company.js';
import { invalidReferenceFault, objectNotFoundFault, validationFault } from './fault-bodies.js';
import type { QboRecord } from './query-evaluation.js';
import { checkLength } from './text-limits.js';
import { checkLineTaxCodes, computeTax, type TaxableLine, type TaxInclusiveLineReading } from './sales-tax-rules.js';
import { applyTotalTaxOverride, type TotalTaxOverride } from './tax-override-rules.js';

const INACTIVE_DETAIL = "Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.";
const SHIPPING_ITEM_ID = 'SHIPPING_ITEM_ID';
/** The seeded Undeposited Funds account (company.ts). */
const UNDEPOSITED_FUNDS_ID = '9004';

function refValue(ref: unknown): string | null {
  if (ref && typeof ref === 'object' && 'value' in ref) return String((ref as QboRecord).value);
  return null;
}

function amountCents(value: unknown, money: Amounts): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return money.minor(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return money.minor(value);
  return null;
}

/** Looks up a referenced list entity: 2500 when it does not exist, 610 when inactive. */
function requireActive(company: QboCompany, nowMs: number, entity: string, id: string, element: string): QboRecord {
  const record = company.get(entity, id);
  if (!record) throw invalidReferenceFault(nowMs, `Invalid Reference Id : ${entity} ${id} does not exist`, element);
  if (record.Active === false) {
    const name = String(record.Name ?? record.DisplayName ?? id);
    throw objectNotFoundFault(nowMs, `Object Not Found : ${INACTIVE_DETAIL} ${entity}: ${name} (Id=${id})`, element);
  }
  return record;
}

export interface SalesReceiptOptions {
  allowDuplicateDocNumber: boolean;
  /** The sales form being created: a refund receipt follows the sales receipt's rules (both are SalesTransactions). */
  entity?: 'SalesReceipt' | 'RefundReceipt';
  /** How tax-inclusive line amounts are read (unconfirmed; see sales-tax-rules.ts). Default `net-amount`. */
  taxInclusiveLineReading?: TaxInclusiveLineReading;
  /** What a client's TxnTaxDetail.TotalTax does (partly unconfirmed; see tax-override-rules.ts). Default `honoured`. */
  totalTaxOverride?: TotalTaxOverride;
}

/** Validates a SalesReceipt create the way QBO does and returns the record to store, with totals computed. */
/**
 * Validates a RefundReceipt create: a sales form like the sales receipt (lines, tax, numbering), and
 * DepositToAccountRef is required, naming a Bank or Other Current Asset account (FIDELITY.md).
 */
export function validateRefundReceipt(company: QboCompany, body: QboRecord, nowMs: number, options: SalesReceiptOptions): QboRecord {
  const accountId = refValue(body.DepositToAccountRef);
  if (accountId === null) {
    throw validationFault(nowMs, {
      Message: 'Required param missing, need to supply the required value for the API',
      Detail: 'Required parameter DepositToAccountRef is missing in the request',
      code: '2020',
      element: 'DepositToAccountRef',
    });
  }
  const account = requireActive(company, nowMs, 'Account', accountId, 'DepositToAccountRef');
  if (account.AccountType !== 'Bank' && account.AccountType !== 'Other Current Asset') {
    throw validationFault(nowMs, {
      Message: 'A business validation error has occurred while processing your request',
      Detail: `Business Validation Error: Account ${String(account.Name)} cannot be used as the refund from account; choose a Bank or Other Current Asset account.`,
      code: '6000',
      element: 'DepositToAccountRef',
    });
  }
  return validateSalesReceipt(company, body, nowMs, { ...options, entity: 'RefundReceipt' });
}

export function validateSalesReceipt(company: QboCompany, body: QboRecord, nowMs: number, options: SalesReceiptOptions): QboRecord {
  if (body.Id !== undefined) {
    throw validationFault(nowMs, { Message: 'Unsupported Operation', Detail: 'The emulator supports SalesReceipt create only', code: '500' });
  }
  const lines = body.Line;
  if (!Array.isArray(lines) || lines.length === 0) {
    throw validationFault(nowMs, {
      Message: 'Required param missing, need to supply the required value for the API',
      Detail: 'Required parameter Line is missing in the request',
      code: '2020',
      element: 'Line',
    });
  }
  checkLength(nowMs, 'DocNumber', body.DocNumber, 21);
  checkLength(nowMs, 'PrivateNote', body.PrivateNote, 4000);
  checkLength(nowMs, 'CustomerMemo', (body.CustomerMemo as QboRecord | undefined)?.value, 1000);
  checkLength(nowMs, 'PaymentRefNum', body.PaymentRefNum, 21);

  const currency = refValue(body.CurrencyRef) ?? company.homeCurrency;
  if (!company.preferences.multiCurrencyEnabled) checkCurrencyUsable(company, currency, nowMs);
  const money = transactionAmounts(company, body);
  const customerId = refValue(body.CustomerRef);
  if (customerId !== null) requireActive(company, nowMs, 'Customer', customerId, 'CustomerRef');
  const txnTaxCodeId = refValue((body.TxnTaxDetail as QboRecord | undefined)?.TxnTaxCodeRef);
  if (txnTaxCodeId !== null) requireActive(company, nowMs, 'TaxCode', txnTaxCodeId, 'TxnTaxCodeRef');

  let itemsCents = 0;
  let discountCents = 0;
  const storedLines: QboRecord[] = [];
  const salesLines: TaxableLine[] = [];
  lines.forEach((raw: unknown, index: number) => {
    const line = (raw ?? {}) as QboRecord;
    checkLength(nowMs, `Line[${index}].Description`, line.Description, 4000);
    const amount = amountCents(line.Amount, money);
    switch (line.DetailType) {
      case 'SalesItemLineDetail': {
        const detail = (line.SalesItemLineDetail ?? {}) as QboRecord;
        const itemId = refValue(detail.ItemRef);
        if (itemId === null) throw invalidReferenceFault(nowMs, 'Invalid Reference Id : Line is missing ItemRef', 'ItemRef');
        const isShipping = itemId === SHIPPING_ITEM_ID;
        if (isShipping && !company.preferences.allowShipping) {
          throw invalidReferenceFault(nowMs, 'Invalid Reference Id : shipping is not enabled for this company (SalesFormsPrefs.AllowShipping)', 'ItemRef');
        }
        if (!isShipping) requireActive(company, nowMs, 'Item', itemId, 'ItemRef');
        const taxCodeId = refValue(detail.TaxCodeRef);
        // US line codes are checked with the other lines' below (6100); elsewhere a code is a TaxCode reference.
        if (taxCodeId !== null && company.country !== 'US') requireActive(company, nowMs, 'TaxCode', taxCodeId, 'TaxCodeRef');
        if (amount === null) {
          throw validationFault(nowMs, {
            Message: 'Required param missing, need to supply the required value for the API',
            Detail: 'Required parameter Line.Amount is missing in the request',
            code: '2020',
            element: 'Line.Amount',
          });
        }
        if (typeof detail.Qty === 'number' && typeof detail.UnitPrice === 'number') {
          const expected = money.minor(detail.Qty * detail.UnitPrice);
          if (Math.abs(expected - amount) > 0) {
            throw validationFault(nowMs, {
              Message: 'Amount calculation incorrect in the request',
              Detail: `Amount is not equal to UnitPrice * Qty. Supplied value:${money.amount(amount)}`,
              code: '6070',
              element: 'Line.Amount',
            });
          }
        }
        if (!isShipping) itemsCents += amount;
        const stored = { ...line, SalesItemLineDetail: { ...detail } };
        salesLines.push({ record: stored, detail: stored.SalesItemLineDetail, amountCents: amount, isShipping });
        storedLines.push({ ...stored, Id: String(storedLines.length + 1), LineNum: storedLines.length + 1 });
        return;
      }
      case 'DiscountLineDetail': {
        const detail = (line.DiscountLineDetail ?? {}) as QboRecord;
        const percent = typeof detail.DiscountPercent === 'number' ? detail.DiscountPercent : null;
        discountCents += detail.PercentBased === true && percent !== null ? Math.round((itemsCents * percent) / 100) : (amount ?? 0);
        break;
      }
      case 'DescriptionOnly':
      case 'SubTotalLineDetail':
        break;
      default:
        throw validationFault(nowMs, {
          Message: 'Invalid Enumeration',
          Detail: `Invalid Enumeration : ${String(line.DetailType)}`,
          code: '2170',
          element: 'DetailType',
        });
    }
    if (line.DetailType !== 'SubTotalLineDetail') storedLines.push({ ...line, Id: String(storedLines.length + 1), LineNum: storedLines.length + 1 });
  });

  checkLineTaxCodes(company, salesLines, nowMs);
  const docNumber = resolveDocNumber(company, body, nowMs, options);
  // The tax comes from the company's own rates; a TotalTax the client sends overrides it as the variant says.
  const computed = computeTax(company, body, salesLines, discountCents, options.taxInclusiveLineReading ?? 'net-amount');
  const tax = applyTotalTaxOverride(company, body, salesLines, computed, options.totalTaxOverride ?? 'honoured');
  const totalCents = tax.linesTotalCents - discountCents + tax.totalTaxCents;
  const subtotalCents = salesLines.filter((line) => !line.isShipping).reduce((sum, line) => sum + money.minor(Number(line.record.Amount)), 0);
  const subtotalLine = { Amount: Number(money.amount(subtotalCents)), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} };
  const today = new Date(nowMs).toISOString().slice(0, 10);
  return {
    ...body,
    DocNumber: docNumber,
    TxnDate: body.TxnDate ?? today,
    CurrencyRef: { value: currency },
    ...(company.country === 'US' ? {} : { GlobalTaxCalculation: body.GlobalTaxCalculation ?? 'TaxExcluded' }),
    Line: [...storedLines, subtotalLine],
    TxnTaxDetail: {
      ...(tax.txnTaxCodeId === null ? {} : { TxnTaxCodeRef: { value: tax.txnTaxCodeId } }),
      TotalTax: Number(money.amount(tax.totalTaxCents)),
      ...(tax.taxLines.length > 0 ? { TaxLine: tax.taxLines } : {}),
      ...(tax.reviewStatus ? { TaxReviewStatus: tax.reviewStatus } : {}),
    },
    TotalAmt: Number(money.amount(totalCents)),
    Balance: 0,
    // Without one, QBO deposits a receipt's money to Undeposited Funds (FIDELITY.md).
    DepositToAccountRef: body.DepositToAccountRef ?? { value: UNDEPOSITED_FUNDS_ID, name: 'Undeposited Funds' },
    ...exchangeFields(company, body, currency, Number(money.amount(totalCents))),
  };
}

function resolveDocNumber(company: QboCompany, body: QboRecord, nowMs: number, options: SalesReceiptOptions): string | undefined {
  const entity = options.entity ?? 'SalesReceipt';
  const receipts = company.all(entity);
  if (!company.preferences.customTxnNumbers) {
    // Without custom numbering QBO numbers documents itself: last numeric DocNumber + 1.
    const highest = Math.max(1000, ...receipts.map((r) => Number(r.DocNumber)).filter((n) => Number.isFinite(n)));
    return String(highest + 1);
  }
  if (typeof body.DocNumber !== 'string' || body.DocNumber === '') return undefined;
  const docNumber = body.DocNumber;
  const existing = receipts.find((receipt) => receipt.DocNumber === docNumber);
  if (existing && !options.allowDuplicateDocNumber) {
    throw validationFault(nowMs, {
      Message: 'Duplicate Document Number Error',
      Detail: `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${entity === 'RefundReceipt' ? 'Refund Receipt' : 'Sales Receipt'} with TxnId=${String(existing.Id)}`,
      code: '6140',
      element: '',
    });
  }
  return docNumber;
}
