import type { Invoice } from 'xero-node';
import { saleListing, type LedgerDateRange, type LedgerDocumentRef, type LedgerSale, type LedgerSaleListing, type LedgerTaxSetup } from '../../domain/accounting-target.js';
import { normalizeAmount } from '../../domain/money.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import { allPages, whereDateBetween } from './date-range-listing.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import { toSaleInvoice, toSalePayment, type SaleAccounts } from './sale-invoice-payload.js';
import { INVOICE, isLive, isoDay, preferLive, type XeroSaleBooking } from './sale-booking.js';
import type { XeroApi } from './xero-api.js';

/** Our header closes the first line of every Reference we write (domain/ledger-document-ownership.ts). */
const BOOKED_BY_US = /\), booked by ledgerbridge\.$/;

function toDocumentRef(invoice: Invoice): LedgerDocumentRef {
  return {
    id: String(invoice.invoiceID),
    docNumber: String(invoice.invoiceNumber ?? ''),
    total: normalizeAmount(Number(invoice.total ?? 0), String(invoice.currencyCode ?? 'USD')),
    kind: INVOICE,
    marker: invoice.reference ?? null,
  };
}

/**
 * A paid sale as an AUTHORISED sales invoice numbered with the order's number, and its payment into the
 * configured bank account. Xero keeps ACCREC numbers unique, so a lost answer can never book twice; an invoice
 * we booked whose payment was lost (a crash between the two) is paid when it is found again.
 */
export class InvoiceAndPaymentBooking implements XeroSaleBooking {
  readonly kind = INVOICE;

  constructor(
    private readonly api: XeroApi,
    private readonly accounts: SaleAccounts,
  ) {}

  async find(docNumber: string): Promise<LedgerDocumentRef | null> {
    const invoice = await this.findInvoice(docNumber);
    if (!invoice) return null;
    await this.finishPayment(invoice, null);
    return toDocumentRef(invoice);
  }

  async book(receipt: LedgerSale, setup: LedgerTaxSetup, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const existing = await this.findInvoice(receipt.docNumber);
    if (existing) return this.settled(existing, receipt.total);
    let invoice: Invoice;
    try {
      const payload = toSaleInvoice(receipt, setup, this.accounts);
      const key = xeroIdempotencyKey(`invoice:${idempotencyKey}`, payload);
      const body = await this.api.call(`sales invoice ${receipt.docNumber}`, (api, tenant) => api.createInvoices(tenant, { invoices: [payload] }, undefined, undefined, key));
      invoice = body.invoices![0]!;
    } catch (error) {
      // Already booked (a lost answer, another run): the existing invoice is the result.
      if (error instanceof LedgerRejectedError && error.code === 'duplicate-number') {
        const booked = await this.findInvoice(receipt.docNumber);
        if (booked) return this.settled(booked, receipt.total);
      }
      throw error;
    }
    return this.settled(invoice, receipt.total);
  }

  /** Sales invoices dated in the range: `where` on Type and Date, 100 a page. */
  async listBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]> {
    const where = `Type=="ACCREC" AND ${whereDateBetween(range)}`;
    const invoices = await allPages(
      async (page) => (await this.api.call('the listing of sales invoices', (api, tenant) => api.getInvoices(tenant, undefined, where, undefined, undefined, undefined, undefined, undefined, page))).invoices ?? [],
      'sales invoices',
    );
    return invoices.filter(isLive).map((invoice) => saleListing(toDocumentRef(invoice), INVOICE, isoDay(invoice.date), invoice.currencyCode ? String(invoice.currencyCode) : null));
  }

  private async settled(invoice: Invoice, shopTotal: string): Promise<LedgerDocumentRef> {
    await this.finishPayment(invoice, shopTotal);
    return toDocumentRef(invoice);
  }

  private async findInvoice(docNumber: string): Promise<Invoice | null> {
    const body = await this.api.call('a lookup', (api, tenant) => api.getInvoices(tenant, undefined, 'Type=="ACCREC"', undefined, undefined, [docNumber]));
    return preferLive(body.invoices ?? []);
  }

  /** An invoice we booked that is still unpaid gets its payment now; one entered by hand is left alone. */
  private async finishPayment(invoice: Invoice, shopTotal: string | null): Promise<void> {
    const ours = BOOKED_BY_US.test(invoice.reference ?? '');
    const unpaid = String(invoice.status) === 'AUTHORISED' && Number(invoice.amountPaid ?? 0) === 0 && Number(invoice.amountDue ?? 0) > 0;
    if (!ours || !unpaid) return;
    const payment = toSalePayment(
      { invoiceID: String(invoice.invoiceID), amountDue: Number(invoice.amountDue), invoiceNumber: String(invoice.invoiceNumber) },
      shopTotal,
      isoDay(invoice.date),
      this.accounts.paymentAccountCode,
      { code: String(invoice.currencyCode ?? 'USD'), rate: typeof invoice.currencyRate === 'number' ? invoice.currencyRate : null },
    );
    // Keyed by the invoice: every retry of this payment, from any run, is the same request.
    const key = xeroIdempotencyKey(`payment:${String(invoice.invoiceID)}`, payment);
    await this.api.call(`the payment of sales invoice ${String(invoice.invoiceNumber)}`, (api, tenant) => api.createPayments(tenant, { payments: [payment] }, undefined, key));
    Object.assign(invoice, { amountPaid: payment.amount, amountDue: Number(invoice.amountDue) - Number(payment.amount) });
  }
}
