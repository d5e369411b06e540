import { randomUUID } from 'node:crypto';
import { contactFromReference, contactSummary, createContact } from './contact-rules.js';
import { defined, isIsoDate, tooLong } from './field-rules.js';
import type { Outcome, WriteOptions } from './invoice-rules.js';
import { documentTotals, saleLine, type LineAmountTypes } from './line-items.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';
import { dateMs, msDate } from './wire-format.js';
import { currencyError, currencyRateOf } from './currency-rules.js';

const TYPES = new Set(['ACCRECCREDIT', 'ACCPAYCREDIT']);
const CREATE_STATUSES = new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
const AMOUNT_TYPES = new Set(['Exclusive', 'Inclusive', 'NoTax']);

/**
 * Validates a new credit note as Xero does (emulators/xero/FIDELITY.md, "Credit notes") and stores it with the
 * totals Xero computes. An AUTHORISED one holds its total as `RemainingCredit`, which a refund payment
 * (payment-rules.ts) or an allocation uses up. Line discounts are refused: whether Xero takes them on credit notes
 * is not confirmed [U], and the product sends none.
 */
export function createCreditNote(org: XeroOrganisation, input: XeroRecord, options: WriteOptions = { unitDp: 2 }): Outcome {
  const errors: string[] = [];
  const type = input.Type;
  if (typeof type !== 'string' || !TYPES.has(type)) errors.push('Credit Note Type must be specified and be ACCRECCREDIT or ACCPAYCREDIT.');
  const status = input.Status === undefined ? 'DRAFT' : input.Status;
  if (typeof status !== 'string' || !CREATE_STATUSES.has(status)) errors.push(`Credit note status ${String(status)} cannot be set through the API on a new credit note.`);
  const amountTypes = (input.LineAmountTypes ?? 'Exclusive') as LineAmountTypes;
  if (!AMOUNT_TYPES.has(amountTypes)) errors.push(`LineAmountTypes ${String(amountTypes)} is not valid.`);
  const contact = contactFromReference(org, (input.Contact && typeof input.Contact === 'object' ? input.Contact : {}) as XeroRecord);
  if (contact.error) errors.push(contact.error);
  const date = input.Date ?? new Date(org.nowMs).toISOString().slice(0, 10);
  if (!isIsoDate(date)) errors.push('Date is not a valid date.');
  // Like an invoice's: a currency set up in the organisation, at the rate sent or the day's (FIDELITY.md, currencies).
  const currency = String(input.CurrencyCode ?? org.baseCurrency);
  errors.push(...defined(currencyError(org, currency)));
  errors.push(...defined(tooLong('Credit Note Number', input.CreditNoteNumber, 255), tooLong('Reference', input.Reference, 255)));
  // The model: "ACCRECCREDIT only – additional reference number" [C: xero-node CreditNote.reference].
  if (type === 'ACCPAYCREDIT' && input.Reference !== undefined) errors.push('Reference can only be set on sales credit notes (ACCRECCREDIT).');
  const lineInputs = Array.isArray(input.LineItems) ? (input.LineItems as XeroRecord[]) : [];
  if (status !== 'DRAFT' && lineInputs.length === 0) errors.push('One or more line items must be specified');
  const lines = lineInputs.map((line) => saleLine(org, line, amountTypes, status !== 'DRAFT', options.unitDp, false));
  for (const line of lines) errors.push(...line.errors);
  if (errors.length > 0) return { ok: false, errors };

  const contactRecord = contact.contact ?? createContact(org, { Name: contact.createName });
  const accepted = lines.map((line) => line.line);
  const totals = documentTotals(accepted, amountTypes);
  const number = typeof input.CreditNoteNumber === 'string' && input.CreditNoteNumber.trim() !== '' ? input.CreditNoteNumber.trim() : null;
  const record: XeroRecord = {
    Type: type,
    CreditNoteID: randomUUID(),
    CreditNoteNumber: number ?? (type === 'ACCRECCREDIT' ? org.nextCreditNoteNumber() : ''),
    Reference: typeof input.Reference === 'string' ? input.Reference : '',
    Contact: contactSummary(contactRecord),
    Date: msDate(dateMs(String(date).slice(0, 10))),
    Status: status,
    LineAmountTypes: amountTypes,
    LineItems: accepted,
    ...totals,
    RemainingCredit: status === 'AUTHORISED' ? totals.Total : 0,
    CurrencyCode: currency,
    CurrencyRate: currencyRateOf(org, input, currency),
    HasAttachments: false,
    HasErrors: false,
    SentToContact: false,
    Allocations: [],
    Payments: [],
    UpdatedDateUTC: msDate(org.nowMs),
  };
  org.creditNotes.push(record);
  return { ok: true, record };
}
