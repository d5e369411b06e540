import type { LedgerSaleListing } from './accounting-target.js';
import type { CreatedOrderSummary } from './commerce-source.js';
import { fromMinor, toMinor } from './money.js';
import { markedOrder } from './ledger-document-ownership.js';

/**
 * A reconciliation audit's comparison of one route's shop and ledger over a date range, and the fix for every
 * difference, in a bookkeeper's words. Pure: the activity gathers both sides, this decides.
 */

export type AuditLineKind =
  | 'missing_in_ledger'
  | 'document_without_order'
  | 'duplicate_document'
  | 'amount_mismatch'
  /** A paid payout with no deposit in the ledger. */
  | 'payout_missing_in_ledger'
  /** A deposit booked for a payout that paid nothing into the bank, or a second deposit of one. */
  | 'deposit_without_payout'
  /** A deposit whose amount is not what the payout put in the bank. */
  | 'payout_amount_mismatch';

export interface AuditDocument {
  id: string;
  docNumber: string;
  total: string;
  currency: string | null;
}

export interface AuditLine {
  kind: AuditLineKind;
  orderId: string | null;
  orderName: string | null;
  /** The payout a payout line is about. */
  payoutId?: string;
  documents: AuditDocument[];
  /** What is wrong. */
  message: string;
  /** What to do about it. */
  fix: string;
}

/** What ledgerbridge knows of an order on this route (its order_syncs row). */
export interface AuditSyncRow {
  orderId: string;
  orderName: string | null;
  status: string;
  lastErrorMessage: string | null;
  ledgerDocumentId: string | null;
}

/** The payouts half of an audit: its lines, or why payouts were not compared (the shop or the ledger cannot list them). */
export type PayoutComparison = { checked: true; lines: AuditLine[] } | { checked: false; note: string };

export interface AuditInput {
  routeId: string;
  range: { from: string; to: string };
  /** "Shopify #1": our markers name the shop's integration, so another shop's documents in the same ledger are left out. */
  sourceName: string;
  ledgerName: string;
  /** The shop's orders created in the range; null when the shop cannot list them (the rows stand in). */
  storeOrders: CreatedOrderSummary[] | null;
  ledgerDocuments: LedgerSaleListing[];
  syncRows: AuditSyncRow[];
  /** The payouts compared (domain/payout-reconciliation.ts), or why they were not. */
  payouts: PayoutComparison;
}

export interface AuditReport {
  routeId: string;
  from: string;
  to: string;
  ledgerName: string;
  storeOrders: number;
  ledgerDocuments: number;
  /** How the shop's side was read. */
  storeSide: 'store_listing' | 'ledgerbridge_records';
  summary: Record<AuditLineKind, number>;
  lines: AuditLine[];
  /** The fixes grouped, one sentence each: "Replay these 3 orders: #1001, #1002, #1003 …". */
  fixes: string[];
  payouts: { checked: boolean; note: string };
}

const BOOKED = new Set(['synced']);
const PARKED = new Set(['waiting', 'failed', 'halted']);

export function reconcile(input: AuditInput): AuditReport {
  const { ledgerName } = input;
  const lines: AuditLine[] = [];
  const rowsById = new Map(input.syncRows.map((row) => [row.orderId, row]));
  const orders: CreatedOrderSummary[] =
    input.storeOrders ??
    // Without a store listing, the orders ledgerbridge saw are the shop's side (no total: amounts are not compared).
    input.syncRows.filter((row) => row.status !== 'skipped').map((row) => ({ id: row.orderId, name: row.orderName ?? row.orderId, createdAt: '', total: '', currency: '', cancelled: false }));
  const ordersById = new Map(orders.map((order) => [order.id, order]));

  // The ledger's documents by the order their marker names; documents of another shop sharing the ledger are not ours to judge.
  const byOrder = new Map<string, LedgerSaleListing[]>();
  const unmarked: LedgerSaleListing[] = [];
  for (const document of input.ledgerDocuments) {
    const owner = markedOrder(document.marker);
    if (!owner) {
      unmarked.push(document);
      continue;
    }
    if (!owner.order.startsWith(`${input.sourceName} order `)) continue;
    const list = byOrder.get(owner.orderId) ?? [];
    list.push(document);
    byOrder.set(owner.orderId, list);
  }

  const missing: CreatedOrderSummary[] = [];
  for (const order of orders) {
    const documents = byOrder.get(order.id) ?? [];
    const row = rowsById.get(order.id);
    if (documents.length === 0) {
      if (order.cancelled || row?.status === 'skipped') continue;
      if (row && PARKED.has(row.status)) {
        lines.push({
          kind: 'missing_in_ledger',
          orderId: order.id,
          orderName: order.name,
          documents: [],
          message: `Order ${order.name} is not in ${ledgerName}: it is parked in ledgerbridge (${row.status})${row.lastErrorMessage ? `: ${row.lastErrorMessage}` : '.'}`,
          fix: `Fix what order ${order.name} waits for (its page says what), then retry it; it books by itself once fixed.`,
        });
      } else {
        missing.push(order);
        lines.push({
          kind: 'missing_in_ledger',
          orderId: order.id,
          orderName: order.name,
          documents: [],
          message: row && BOOKED.has(row.status)
            ? `Order ${order.name} is marked booked in ledgerbridge, but ${ledgerName} has no document for it in this range (deleted in the ledger?).`
            : `Order ${order.name} is not in ${ledgerName}${row ? ` (ledgerbridge shows it ${row.status})` : ' and ledgerbridge never saw it'}.`,
          fix: `Replay order ${order.name}: POST /routes/${input.routeId}/orders/${order.id}/sync.`,
        });
      }
      continue;
    }
    const kept = keptDocument(documents, row);
    if (documents.length > 1) {
      for (const extra of documents.filter((d) => d !== kept)) {
        lines.push({
          kind: 'duplicate_document',
          orderId: order.id,
          orderName: order.name,
          documents: [auditDocument(kept), auditDocument(extra)],
          message: `Order ${order.name} is in ${ledgerName} twice: ${extra.kind} ${extra.docNumber} (id ${extra.id}) duplicates ${kept.kind} ${kept.docNumber} (id ${kept.id}).`,
          // Xero keeps sale numbers unique, so its second copy of an order carries another number.
          fix: `Void document ${extra.id}, a duplicate of ${kept.id} (${extra.docNumber === kept.docNumber ? `both numbered ${kept.docNumber}` : `numbered ${extra.docNumber} and ${kept.docNumber}`}), then release the route.`,
        });
      }
    }
    if (order.total !== '' && amountsDiffer(order, kept)) {
      lines.push({
        kind: 'amount_mismatch',
        orderId: order.id,
        orderName: order.name,
        documents: [auditDocument(kept)],
        message: `${ledgerName} has ${kept.total}${kept.currency ? ` ${kept.currency}` : ''} on ${kept.kind} ${kept.docNumber} (id ${kept.id}); the shop charged ${order.total} ${order.currency} for order ${order.name}.`,
        fix: `Correct ${kept.kind} ${kept.docNumber} (id ${kept.id}) in ${ledgerName} to ${fromMinor(toMinor(order.total, order.currency), order.currency)} ${order.currency}, or check the order's tax and discounts.`,
      });
    }
  }

  for (const [orderId, documents] of byOrder) {
    if (ordersById.has(orderId)) continue;
    const first = documents[0]!;
    const label = markedOrder(first.marker)?.order ?? `order id ${orderId}`;
    for (const document of documents) {
      lines.push({
        kind: 'document_without_order',
        orderId,
        orderName: null,
        documents: [auditDocument(document)],
        message: `${document.kind} ${document.docNumber} (id ${document.id}) in ${ledgerName} is booked for ${label}, which the shop does not list among the orders created from ${input.range.from} to ${input.range.to}.`,
        fix: `Check ${label} in the shop: if it was deleted or is a test order, void document ${document.id}.`,
      });
    }
  }
  for (const document of unmarked) {
    lines.push({
      kind: 'document_without_order',
      orderId: null,
      orderName: null,
      documents: [auditDocument(document)],
      message: `${document.kind} ${document.docNumber} (id ${document.id}) in ${ledgerName} was not booked by ledgerbridge and matches no order (entered by hand or by another tool).`,
      fix: `Check document ${document.id}: if it books a shop order a second time, void it.`,
    });
  }
  if (input.payouts.checked) lines.push(...input.payouts.lines);

  const summary = emptyAuditSummary();
  for (const line of lines) summary[line.kind]++;
  return {
    routeId: input.routeId,
    from: input.range.from,
    to: input.range.to,
    ledgerName,
    storeOrders: orders.length,
    ledgerDocuments: input.ledgerDocuments.length,
    storeSide: input.storeOrders ? 'store_listing' : 'ledgerbridge_records',
    summary,
    lines,
    fixes: groupedFixes(input.routeId, lines, missing),
    payouts: input.payouts.checked ? { checked: true, note: `Paid payouts compared with their deposits in ${ledgerName}.` } : { checked: false, note: input.payouts.note },
  };
}

export function emptyAuditSummary(): Record<AuditLineKind, number> {
  return { missing_in_ledger: 0, document_without_order: 0, duplicate_document: 0, amount_mismatch: 0, payout_missing_in_ledger: 0, deposit_without_payout: 0, payout_amount_mismatch: 0 };
}

/** The document to keep of several for one order (or payout): the one ledgerbridge recorded, else the first booked (lowest id). */
export function keptDocument(documents: LedgerSaleListing[], row: { ledgerDocumentId: string | null } | undefined): LedgerSaleListing {
  const recorded = row?.ledgerDocumentId ? documents.find((d) => d.id === row.ledgerDocumentId) : undefined;
  return recorded ?? [...documents].sort((a, b) => compareIds(a.id, b.id))[0]!;
}

function compareIds(a: string, b: string): number {
  return /^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b);
}

function amountsDiffer(order: CreatedOrderSummary, document: LedgerSaleListing): boolean {
  if (document.currency && document.currency !== order.currency) return true;
  return toMinor(order.total, order.currency) !== toMinor(document.total, order.currency);
}

export function auditDocument(document: LedgerSaleListing): AuditDocument {
  return { id: document.id, docNumber: document.docNumber, total: document.total, currency: document.currency };
}

function groupedFixes(routeId: string, lines: AuditLine[], missing: CreatedOrderSummary[]): string[] {
  const fixes: string[] = [];
  if (missing.length > 0) {
    const names = missing.map((order) => order.name).join(', ');
    fixes.push(
      `Replay ${missing.length === 1 ? 'this order' : `these ${missing.length} orders`}: ${names} (POST /routes/${routeId}/orders/<order id>/sync for each; an order already booked says so and writes nothing).`,
    );
  }
  for (const line of lines) if (line.kind !== 'missing_in_ledger' || line.documents.length > 0 || !missing.some((order) => order.id === line.orderId)) fixes.push(line.fix);
  return fixes;
}
