import { randomUUID } from 'node:crypto';
import { contactFromReference, contactSummary, createContact } from './contact-rules.js';
import { defined, isIsoDate, tooLong } from './field-rules.js';
import { documentTotals, saleLine, type LineAmountTypes } from './line-items.js';
import { sameText, type XeroOrganisation, type XeroRecord } from './organisation.js';
import { dateMs, msDate } from './wire-format.js';
import { currencyError, currencyRateOf } from './currency-rules.js';

const TYPES = new Set(['ACCREC', 'ACCPAY']);
const CREATE_STATUSES = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
const AMOUNT_TYPES = new Set(['Exclusive', 'Inclusive', 'NoTax']);

/** Query options of a write that change how it is read (`unitdp=4`). */
export interface WriteOptions {
  unitDp: 2 | 4;
}

export type Outcome = { ok: true; record: XeroRecord } | { ok: false; errors: string[] };

/** Validates a new invoice as Xero does and, when it passes, stores it with the totals Xero computes. */
export function createInvoice(org: XeroOrganisation, input: XeroRecord, options: WriteOptions = { unitDp: 2 }): Outcome {
  const errors: string[] = [];
  const type = input.Type;
  if (typeof type !== 'string' || !TYPES.has(type)) errors.push('Invoice Type must be specified and be ACCREC or ACCPAY.');
  const status = input.Status === undefined ? 'DRAFT' : input.Status;
  if (typeof status !== 'string' || !CREATE_STATUSES.has(status)) errors.push(`Invoice status ${String(status)} cannot be set through the API on a new invoice.`);
  const amountTypes = (input.LineAmountTypes ?? 'Exclusive') as LineAmountTypes;
  if (!AMOUNT_TYPES.has(amountTypes)) errors.push(`LineAmountTypes ${String(amountTypes)} is not valid.`);
  const contactRef = input.Contact && typeof input.Contact === 'object' ? (input.Contact as XeroRecord) : {};
  const contact = contactFromReference(org, contactRef);
  if (contact.error) errors.push(contact.error);
  const date = input.Date ?? new Date(org.nowMs).toISOString().slice(0, 10);
  if (!isIsoDate(date)) errors.push('Date is not a valid date.');
  if (input.DueDate !== undefined && !isIsoDate(input.DueDate)) errors.push('Due Date is not a valid date.');
  if (status === 'AUTHORISED' && type === 'ACCREC' && input.DueDate === undefined) errors.push('Due Date is required.');
  const currency = String(input.CurrencyCode ?? org.baseCurrency);
  errors.push(...defined(currencyError(org, currency)));
  errors.push(...defined(tooLong('Invoice Number', input.InvoiceNumber, 255), tooLong('Reference', input.Reference, 255)));
  if (type === 'ACCPAY' && input.Reference !== undefined) errors.push('Reference can only be set on sales invoices (ACCREC).');
  const number = typeof input.InvoiceNumber === 'string' && input.InvoiceNumber.trim() !== '' ? input.InvoiceNumber.trim() : null;
  if (type === 'ACCREC' && number && org.invoices.some((invoice) => invoice.Type === 'ACCREC' && sameText(invoice.InvoiceNumber, number))) {
    errors.push('Invoice # must be unique.');
  }
  const lineInputs = Array.isArray(input.LineItems) ? (input.LineItems as XeroRecord[]) : [];
  if (status !== 'DRAFT' && lineInputs.length === 0) errors.push('One or more line items must be specified');
  const lines = lineInputs.map((line) => saleLine(org, line, amountTypes, status !== 'DRAFT', options.unitDp, type === 'ACCREC'));
  for (const line of lines) errors.push(...line.errors);
  if (errors.length > 0) return { ok: false, errors };

  const contactRecord = contact.contact ?? createContact(org, { Name: contact.createName });
  const accepted = lines.map((line) => line.line);
  const totals = documentTotals(accepted, amountTypes);
  const now = org.nowMs;
  const record: XeroRecord = {
    Type: type,
    InvoiceID: randomUUID(),
    InvoiceNumber: number ?? (type === 'ACCREC' ? org.nextInvoiceNumber() : ''),
    ...(input.Reference !== undefined ? { Reference: input.Reference } : { Reference: '' }),
    Contact: contactSummary(contactRecord),
    Date: msDate(dateMs(String(date).slice(0, 10))),
    ...(input.DueDate !== undefined ? { DueDate: msDate(dateMs(String(input.DueDate).slice(0, 10)))} : {}),
    Status: status,
    LineAmountTypes: amountTypes,
    LineItems: accepted,
    ...totals,
    TotalDiscount: 0,
    AmountDue: totals.Total,
    AmountPaid: 0,
    AmountCredited: 0,
    CurrencyCode: currency,
    CurrencyRate: currencyRateOf(org, input, currency),
    IsDiscounted: false,
    HasAttachments: false,
    HasErrors: false,
    SentToContact: false,
    Payments: [],
    CreditNotes: [],
    Prepayments: [],
    Overpayments: [],
    UpdatedDateUTC: msDate(now),
  };
  org.invoices.push(record);
  return { ok: true, record };
}
