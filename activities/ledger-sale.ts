import type { LedgerLimits, LedgerSale } from '../domain/accounting-target.js';
import { conversionNote } from '../domain/booking-currency.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import type { MappedOrderLines } from '../domain/order-mapping.js';
import type { FieldTruncator } from './field-truncator.js';

/**
 * The document a ledger books for an order (or for a refund in the shape of one): mapped lines, totals, our
 * marker opening the internal note, texts fitted to the ledger's lengths (full text kept by the truncator).
 */
export async function ledgerSaleOf(input: {
  order: CommerceOrder;
  docNumber: string;
  lines: MappedOrderLines;
  customerId: string;
  marker: string;
  truncator: FieldTruncator;
  limits: LedgerLimits;
  /** The document's date (YYYY-MM-DD); the order's own date by default. */
  date?: string;
}): Promise<LedgerSale> {
  const { order, marker, truncator, limits } = input;
  // Home-currency amounts of a sale paid in another currency say so right under the marker (the first line).
  const converted = conversionNote(order);
  const noteBody = [marker, ...(converted ? [converted] : []), ...(order.note ? [`Customer note: ${order.note}`] : [])].join('\n');
  const internalNote = await truncator.fit('internalNote', noteBody, limits.internalNote);
  const customerMemo = order.note ? await truncator.fit('customerMemo', order.note, limits.customerMemo) : null;
  const lines = [];
  for (const [index, line] of input.lines.lines.entries()) {
    lines.push({ ...line, description: await truncator.fit(`lines[${index}].description`, line.description, limits.lineDescription) });
  }
  return {
    docNumber: input.docNumber,
    date: input.date ?? order.createdAt.slice(0, 10),
    currency: order.currency,
    ...(order.exchange?.rate ? { exchangeRate: order.exchange.rate } : {}),
    customerId: input.customerId,
    taxesIncluded: order.taxesIncluded,
    lines,
    discount: input.lines.discount,
    shipping: input.lines.shipping,
    saleTaxCodeId: input.lines.txnTaxCodeId ?? null,
    totalTax: order.totalTax,
    total: order.total,
    marker,
    internalNote,
    customerMemo,
  };
}
