import { describe, expect, it } from 'vitest';
import type { LedgerSaleListing } from '../domain/accounting-target.js';
import type { CreatedOrderSummary } from '../domain/commerce-source.js';
import { bookedOrderHeader } from '../domain/ledger-document-ownership.js';
import { reconcile, type AuditInput } from '../domain/reconciliation-report.js';

const range = { from: '2026-11-01', to: '2026-11-30' };

function order(id: string, total: string, currency = 'USD', extra: Partial<CreatedOrderSummary> = {}): CreatedOrderSummary {
  return { id, name: `#${id}`, createdAt: '2026-11-10T10:00:00.000Z', total, currency, cancelled: false, ...extra };
}

function receipt(id: string, orderId: string, total: string, extra: Partial<LedgerSaleListing> = {}): LedgerSaleListing {
  return { id, docNumber: orderId, date: '2026-11-10', total, currency: null, kind: 'sales receipt', marker: `${bookedOrderHeader('Shopify #1', `#${orderId}`, orderId)}\nCustomer note: hi`, ...extra };
}

function audit(input: Partial<AuditInput>) {
  return reconcile({ routeId: 'r1', range, sourceName: 'Shopify #1', ledgerName: 'QuickBooks Online #1', storeOrders: [], ledgerDocuments: [], syncRows: [], ...input });
}

describe('A reconciliation audit compares shop and ledger and says how to fix each difference', () => {
  it('finds nothing to fix when every order has one document at its amount', () => {
    const report = audit({ storeOrders: [order('1001', '107.25')], ledgerDocuments: [receipt('42', '1001', '107.25')] });
    expect(report.lines).toEqual([]);
    expect(report.summary).toEqual({ missing_in_ledger: 0, document_without_order: 0, duplicate_document: 0, amount_mismatch: 0, payout_unmatched: 0 });
    expect(report.payouts).toEqual({ checked: false, note: expect.stringContaining('not compared') });
  });

  it('asks to replay the orders missing in the ledger, together, and to fix a parked one first', () => {
    const report = audit({
      storeOrders: [order('1001', '10.00'), order('1002', '10.00'), order('1003', '10.00'), order('1004', '10.00'), order('1005', '9.00', 'USD', { cancelled: true })],
      syncRows: [
        { orderId: '1002', orderName: '#1002', status: 'synced', lastErrorMessage: null, ledgerDocumentId: '9' },
        { orderId: '1004', orderName: '#1004', status: 'waiting', lastErrorMessage: 'SKU "TEE" matches no item.', ledgerDocumentId: null },
      ],
    });
    expect(report.summary.missing_in_ledger).toBe(4);
    expect(report.fixes[0]).toBe(
      'Replay these 3 orders: #1001, #1002, #1003 (POST /routes/r1/orders/<order id>/sync for each; an order already booked says so and writes nothing).',
    );
    expect(report.lines.find((l) => l.orderId === '1002')?.message).toContain('marked booked in ledgerbridge');
    expect(report.lines.find((l) => l.orderId === '1004')).toMatchObject({ message: expect.stringContaining('SKU "TEE" matches no item.'), fix: expect.stringContaining('then retry it') });
    expect(report.lines.some((l) => l.orderId === '1005')).toBe(false);
  });

  it('names the duplicate to void and the document to keep (the one ledgerbridge recorded)', () => {
    const report = audit({
      storeOrders: [order('1001', '107.25')],
      ledgerDocuments: [receipt('1042', '1001', '107.25'), receipt('1043', '1001', '107.25')],
      syncRows: [{ orderId: '1001', orderName: '#1001', status: 'synced', lastErrorMessage: null, ledgerDocumentId: '1042' }],
    });
    expect(report.lines).toEqual([
      expect.objectContaining({ kind: 'duplicate_document', orderName: '#1001', fix: 'Void document 1043, a duplicate of 1042 (both numbered 1001), then release the route.' }),
    ]);
  });

  it('reports amounts that differ in the currency\'s own minor units, and only those', () => {
    const report = audit({
      storeOrders: [order('1', '107.25'), order('2', '1000', 'JPY'), order('3', '1.234', 'KWD'), order('4', '1.230', 'KWD'), order('5', '10.00', 'EUR')],
      ledgerDocuments: [receipt('41', '1', '107.75'), receipt('42', '2', '1000.00'), receipt('43', '3', '1.23'), receipt('44', '4', '1.23'), receipt('45', '5', '10.00', { currency: 'USD' })],
    });
    expect(report.lines.map((l) => [l.kind, l.orderId])).toEqual([
      ['amount_mismatch', '1'],
      ['amount_mismatch', '3'],
      ['amount_mismatch', '5'],
    ]);
    expect(report.lines[0]!.message).toBe('QuickBooks Online #1 has 107.75 on sales receipt 1 (id 41); the shop charged 107.25 USD for order #1.');
    expect(report.lines[1]!.fix).toContain('to 1.234 KWD');
  });

  it('reports documents with no order in the range, ours and hand-entered, and leaves another shop\'s alone', () => {
    const report = audit({
      storeOrders: [],
      ledgerDocuments: [
        receipt('50', '999', '5.00'),
        receipt('51', '1001', '5.00', { marker: 'Cash sale at the market' }),
        receipt('52', '1001', '5.00', { marker: bookedOrderHeader('Shopify #2', '#1001', '1001') }),
      ],
    });
    expect(report.lines).toEqual([
      expect.objectContaining({ kind: 'document_without_order', orderId: '999', fix: 'Check Shopify #1 order #999 in the shop: if it was deleted or is a test order, void document 50.' }),
      expect.objectContaining({ kind: 'document_without_order', orderId: null, fix: expect.stringContaining('Check document 51') }),
    ]);
  });

  it('takes ledgerbridge\'s own records as the shop\'s side when the shop cannot list orders, and says so', () => {
    const report = audit({
      storeOrders: null,
      ledgerDocuments: [receipt('42', '1001', '10.00')],
      syncRows: [
        { orderId: '1001', orderName: '#1001', status: 'synced', lastErrorMessage: null, ledgerDocumentId: '42' },
        { orderId: '1002', orderName: '#1002', status: 'synced', lastErrorMessage: null, ledgerDocumentId: '43' },
      ],
    });
    expect(report.storeSide).toBe('ledgerbridge_records');
    expect(report.lines.map((l) => [l.kind, l.orderId])).toEqual([['missing_in_ledger', '1002']]);
  });
});

