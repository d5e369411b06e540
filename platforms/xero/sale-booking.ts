import type { LedgerDateRange, LedgerDocumentRef, LedgerSale, LedgerSaleListing, LedgerTaxSetup } from '../../domain/accounting-target.js';

/**
 * How a paid sale becomes a Xero document, and how a booked one is found again by its number. One per
 * document kind the route can choose (invoice and payment, or receive money); the target delegates to it.
 */
export interface XeroSaleBooking {
  /** What the bookkeeper sees it called: "invoice". */
  readonly kind: string;
  find(docNumber: string): Promise<LedgerDocumentRef | null>;
  /** Looks the number up first and books only when it is absent; the Idempotency-Key comes from `idempotencyKey`. */
  book(receipt: LedgerSale, setup: LedgerTaxSetup, idempotencyKey: string): Promise<LedgerDocumentRef>;
  /** The live documents of this kind dated in the range, every page read, ours and others'. */
  listBetween(range: LedgerDateRange): Promise<LedgerSaleListing[]>;
}

export const XERO_SALE_DOCUMENTS = ['invoice-and-payment', 'receive-money'] as const;
export type XeroSaleDocument = (typeof XERO_SALE_DOCUMENTS)[number];

/** The route option (`saleDocument`) a sync route into Xero may set; the deployment's XERO_SALE_DOCUMENT is its default. */
export function xeroSaleDocumentOption(deploymentDefault: XeroSaleDocument | undefined) {
  return {
    name: 'saleDocument',
    allowedValues: XERO_SALE_DOCUMENTS,
    description: 'what a paid order becomes in Xero: an AUTHORISED invoice with its payment, or a receive-money bank transaction',
    defaultValue: deploymentDefault ?? 'invoice-and-payment',
  } as const;
}

export function isXeroSaleDocument(value: string | undefined): value is XeroSaleDocument {
  return (XERO_SALE_DOCUMENTS as readonly (string | undefined)[]).includes(value);
}

/** What each document is called in messages to the bookkeeper. */
export const INVOICE = 'invoice';
export const RECEIVE_MONEY = 'receive-money transaction';

/** Xero's dates arrive as Date objects from xero-node, or as Xero's `/Date(ms+0000)/` text; YYYY-MM-DD for writing back. */
export function isoDay(raw: unknown): string {
  if (raw instanceof Date) return raw.toISOString().slice(0, 10);
  const ms = typeof raw === 'string' ? /^\/Date\((-?\d+)/.exec(raw)?.[1] : undefined;
  if (ms !== undefined) return new Date(Number(ms)).toISOString().slice(0, 10);
  return typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw) ? raw.slice(0, 10) : new Date().toISOString().slice(0, 10);
}

/** Voided and deleted documents no longer count in the books. */
export function isLive(document: { status?: unknown }): boolean {
  return String(document.status) !== 'DELETED' && String(document.status) !== 'VOIDED';
}

/** Voided and deleted documents still hold their number, but a live one is the answer when there is one. */
export function preferLive<T extends { status?: unknown }>(documents: T[]): T | null {
  const live = documents.filter(isLive);
  return live[0] ?? documents[0] ?? null;
}
