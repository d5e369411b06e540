import { describe, expect, it } from 'vitest';
import type { LedgerSaleListing } from '../domain/accounting-target.js';
import type { CreatedOrderSummary } from '../domain/commerce-source.js';
import type { CommercePayoutRef } from '../domain/commerce-payout.js';
import { bookedOrderHeader, bookedPayoutHeader } from '../domain/ledger-document-ownership.js';
import { reconcilePayouts, type PayoutAuditInput } from '../domain/payout-reconciliation.js';
import { reconcile, type AuditInput } from '../domain/reconciliation-report.js';

const range = { from: '2026-11-01', to: '2026-11-30' };

function order(id: string, total: string, currency = 'USD', extra: Partial<CreatedOrderSummary> = {}): CreatedOrderSummary {
  return { id, name: `#${id}`, createdAt: '2026-11-10T10:00:00.000Z', total, currency, cancelled: false, ...extra };
}

function receipt(id: string, orderId: string, total: string, extra: Partial<LedgerSaleListing> = {}): LedgerSaleListing {
  return { id, docNumber: orderId, date: '2026-11-10', total, currency: null, kind: 'sales receipt', marker: `${bookedOrderHeader('Shopify #1', `#${orderId}`, orderId)}\nCustomer note: hi`, ...extra };
}

function audit(input: Partial<AuditInput>) {
  return reconcile({
    routeId: 'r1',
    range,
    sourceName: 'Shopify #1',
    ledgerName: 'QuickBooks Online #1',
    storeOrders: [],
    ledgerDocuments: [],
    syncRows: [],
    payouts: { checked: false, note: 'Payouts are not compared: the ledger cannot list them.' },
    ...input,
  });
}

describe('A reconciliation audit compares shop and ledger and says how to fix each difference', () => {
  it('finds nothing to fix when every order has one document at its amount', () => {
    const report = audit({ storeOrders: [order('1001', '107.25')], ledgerDocuments: [receipt('42', '1001', '107.25')] });
    expect(report.lines).toEqual([]);
    expect(report.summary).toEqual({
      missing_in_ledger: 0,
      document_without_order: 0,
      duplicate_document: 0,
      amount_mismatch: 0,
      payout_missing_in_ledger: 0,
      deposit_without_payout: 0,
      payout_amount_mismatch: 0,
    });
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


describe('The payouts half of an audit compares each paid payout with its deposit', () => {
  const payout = (id: string, net: string, extra: Partial<CommercePayoutRef> = {}): CommercePayoutRef => ({ id, issuedAt: '2026-11-10T08:00:00.000Z', status: 'PAID', direction: 'deposit', currency: 'USD', net, ...extra });
  const deposit = (id: string, payoutId: string, total: string, extra: Partial<LedgerSaleListing> = {}): LedgerSaleListing => ({
    id,
    docNumber: `PO-${payoutId}`,
    date: '2026-11-10',
    total,
    currency: 'USD',
    kind: 'deposit',
    marker: bookedPayoutHeader('Shopify #1', payoutId),
    ...extra,
  });
  const compare = (input: Partial<PayoutAuditInput>) =>
    reconcilePayouts({ routeId: 'r1', range, sourceName: 'Shopify #1', ledgerName: 'QuickBooks Online #1', documentKind: 'deposit', payouts: [], deposits: [], rows: [], ...input });

  it('asks to replay a paid payout with no deposit, to fix a parked one first, and leaves payouts not paid yet alone', () => {
    const lines = compare({
      payouts: [payout('1', '10.00'), payout('2', '20.00'), payout('3', '5.00', { status: 'IN_TRANSIT' }), payout('4', '4.00', { direction: 'withdrawal' })],
      rows: [{ payoutId: '2', status: 'waiting_for_orders', lastErrorMessage: 'Payout 2 waits for #1001 to be booked first.', ledgerDocumentId: null }],
    });
    expect(lines).toEqual([
      expect.objectContaining({ kind: 'payout_missing_in_ledger', payoutId: '1', fix: 'Replay payout 1: POST /routes/r1/payouts/1/sync.' }),
      expect.objectContaining({ kind: 'payout_missing_in_ledger', payoutId: '2', message: expect.stringContaining('waits for #1001'), fix: expect.stringContaining('/payouts/2/retry') }),
    ]);
  });

  it('reports a deposit at another amount, a second deposit, and a deposit of a payout that paid nothing; ignores the bank\'s other deposits', () => {
    const lines = compare({
      payouts: [payout('1', '81.12'), payout('2', '9.00'), payout('5', '3.00', { status: 'FAILED' })],
      deposits: [
        deposit('70', '1', '80.12'),
        deposit('71', '2', '9.00'),
        deposit('72', '2', '9.00'),
        deposit('73', '5', '3.00'),
        deposit('74', '6', '6.00'),
        deposit('75', '7', '1.00', { marker: 'Interest' }),
        deposit('76', '8', '1.00', { marker: bookedPayoutHeader('Shopify #2', '8') }),
      ],
      rows: [{ payoutId: '2', status: 'synced', lastErrorMessage: null, ledgerDocumentId: '72' }],
    });
    expect(lines.map((l) => [l.kind, l.payoutId, l.documents.map((d) => d.id)])).toEqual([
      ['payout_amount_mismatch', '1', ['70']],
      ['deposit_without_payout', '2', ['72', '71']],
      ['deposit_without_payout', '5', ['73']],
      ['deposit_without_payout', '6', ['74']],
    ]);
    expect(lines[0]!.fix).toBe('Correct deposit PO-1 (id 70) in QuickBooks Online #1 to 81.12 USD.');
    expect(lines[1]!.fix).toBe('Void deposit 71, a second deposit of payout 2 (kept: 72).');
    expect(lines[2]!.message).toContain('the shop says payout 5 is failed');
    expect(lines[3]!.message).toContain('the shop lists no payout 6 issued from 2026-11-01 to 2026-11-30');
  });
});
