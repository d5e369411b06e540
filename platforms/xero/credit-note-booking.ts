import { CreditNote, type Payment } from 'xero-node';
import type { LedgerDocumentRef, LedgerRefund, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { fromMinor, normalizeAmount, toMinor } from '../../domain/money.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import { CREDIT_NOTE, type XeroRefundBooking } from './refund-booking.js';
import type { StatedTaxRates } from './stated-line-tax.js';
import { isoDay, preferLive } from './sale-booking.js';
import { ownershipReference, type SaleAccounts } from './sale-invoice-payload.js';
import { saleLineAmountTypes, saleLines, xeroCurrencyRate } from './sale-lines.js';
import type { XeroApi } from './xero-api.js';
import { whereString } from './where-literal.js';

/** Our header closes the first line of every Reference we write (domain/ledger-document-ownership.ts). */
const BOOKED_BY_US = /, booked by ledgerbridge\.$/;

function toDocumentRef(note: CreditNote): LedgerDocumentRef {
  return {
    id: String(note.creditNoteID),
    docNumber: String(note.creditNoteNumber ?? ''),
    total: normalizeAmount(Number(note.total ?? 0), String(note.currencyCode ?? 'USD')),
    kind: CREDIT_NOTE,
    marker: note.reference ?? null,
  };
}

/**
 * A refund as an AUTHORISED sales credit note (ACCRECCREDIT) numbered after the sale ("1001-R1"), the refunded
 * lines with the sale's items and tax types, then its refund payment out of the bank account the sale was paid
 * into: the sale's invoice is paid, so the credit is paid out rather than allocated to it. Lines go without
 * discounts (a discounted line as one unit at its refunded amount): whether Xero takes line discounts on credit
 * notes is not confirmed (emulators/xero/FIDELITY.md). Xero's uniqueness of credit note numbers is not confirmed
 * either: the lookup before every write and the Idempotency-Key keep a retry from booking twice.
 */
export class CreditNoteBooking implements XeroRefundBooking {
  readonly kind = CREDIT_NOTE;

  constructor(
    private readonly api: XeroApi,
    private readonly accounts: SaleAccounts,
  ) {}

  /** `total`: what the shop gave back; a note found with another total is not paid out (the refund waits on it). */
  async find(docNumber: string, total?: string): Promise<LedgerDocumentRef | null> {
    const note = await this.findCreditNote(docNumber);
    if (!note) return null;
    await this.finishRefundPayment(note, total === undefined ? null : { total });
    return toDocumentRef(note);
  }

  async book(refund: LedgerRefund, setup: LedgerTaxSetup, idempotencyKey: string, rates: StatedTaxRates): Promise<LedgerDocumentRef> {
    const existing = await this.findCreditNote(refund.docNumber);
    if (existing) return this.paidOut(existing, refund);
    const payload: CreditNote = {
      type: CreditNote.TypeEnum.ACCRECCREDIT,
      contact: { contactID: refund.customerId },
      date: refund.date,
      creditNoteNumber: refund.docNumber,
      reference: ownershipReference(refund.marker),
      currencyCode: refund.currency as unknown as CreditNote['currencyCode'],
      // The sale's rate: the refund gives back what the sale took, with no exchange gain or loss between them.
      ...xeroCurrencyRate(refund),
      status: CreditNote.StatusEnum.AUTHORISED,
      lineAmountTypes: saleLineAmountTypes(refund, setup),
      lineItems: saleLines(refund, this.accounts.shippingAccountCode, 'folded', rates),
    };
    const key = xeroIdempotencyKey(`credit:${idempotencyKey}`, payload);
    const body = await this.api.call(`credit note ${refund.docNumber}`, (api, tenant) => api.createCreditNotes(tenant, { creditNotes: [payload] }, undefined, undefined, key));
    return this.paidOut(body.creditNotes![0]!, refund);
  }

  private async paidOut(note: CreditNote, refund: LedgerRefund): Promise<LedgerDocumentRef> {
    await this.finishRefundPayment(note, refund);
    return toDocumentRef(note);
  }

  private async findCreditNote(docNumber: string): Promise<CreditNote | null> {
    const where = `Type=="ACCRECCREDIT" AND CreditNoteNumber==${whereString(docNumber)}`;
    const body = await this.api.call('a credit note lookup', (api, tenant) => api.getCreditNotes(tenant, undefined, where));
    // The where clause may ignore case; the number must match exactly.
    return preferLive((body.creditNotes ?? []).filter((note) => note.creditNoteNumber === docNumber));
  }

  /**
   * A credit note we booked whose credit is still all there gets its refund payment now (also when a crash came
   * between the two); one entered by hand, or already paid out or allocated, is left alone. So is one whose total is
   * not the shop's refund (Xero totalled it otherwise): the total check parks the refund, and once the bookkeeper has
   * corrected the note, the retry finds it and pays out what it holds; the customer is never paid a wrong amount.
   */
  private async finishRefundPayment(note: CreditNote, refund: Pick<LedgerRefund, 'total'> & { date?: string } | null): Promise<void> {
    const ours = BOOKED_BY_US.test(note.reference ?? '');
    const remaining = Number(note.remainingCredit ?? 0);
    const untouched = String(note.status) === 'AUTHORISED' && remaining > 0 && remaining === Number(note.total ?? 0);
    if (!ours || !untouched) return;
    // Xero keeps two decimals in every currency (its amounts are not in the currency's own minor units).
    const remainingCents = toMinor(remaining.toFixed(2), 'XXX2');
    if (refund !== null && remainingCents !== toMinor(refund.total, 'XXX2')) return;
    const cents = remainingCents;
    const payment: Payment = {
      creditNote: { creditNoteID: String(note.creditNoteID) },
      account: { code: this.accounts.paymentAccountCode },
      // The refund's own date; for a note found later, the note's (xero-node may hand it over as Xero's /Date()/ text).
      date: refund?.date ?? isoDay(note.date),
      amount: Number(fromMinor(cents, 'XXX2')),
      reference: String(note.creditNoteNumber),
      // Paid out at the credit note's own rate, as the sale's payment was at the invoice's (notes §12).
      ...(typeof note.currencyRate === 'number' && note.currencyRate !== 1 ? { currencyRate: note.currencyRate } : {}),
    };
    // Keyed by the credit note: every retry of this refund payment, from any run, is the same request.
    const key = xeroIdempotencyKey(`refund-payment:${String(note.creditNoteID)}`, payment);
    await this.api.call(`the refund payment of credit note ${String(note.creditNoteNumber)}`, (api, tenant) => api.createPayments(tenant, { payments: [payment] }, undefined, key));
    Object.assign(note, { remainingCredit: remaining - payment.amount! });
  }
}
