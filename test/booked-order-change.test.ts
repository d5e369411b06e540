import { describe, expect, it } from 'vitest';
import { bookedOrderChange, bookedOrderChangeMessage } from '../domain/booked-order-change.js';

describe('what changed in an order after it was booked', () => {
  it('compares amounts, not their spelling', () => {
    expect(bookedOrderChange('24.00', { currentTotal: '24', cancelledAt: null })).toBeNull();
    expect(bookedOrderChange('24.00', { currentTotal: '23.99', cancelledAt: null })).toEqual({ kind: 'total_changed', bookedTotal: '24.00', shopTotal: '23.99' });
  });

  it('a cancellation is reported whatever the total says', () => {
    expect(bookedOrderChange('24.00', { currentTotal: '24.00', cancelledAt: '2026-11-25T10:00:00Z' })).toEqual({ kind: 'cancelled', bookedTotal: '24.00' });
    expect(bookedOrderChange(null, { currentTotal: null, cancelledAt: '2026-11-25T10:00:00Z' })).toEqual({ kind: 'cancelled', bookedTotal: null });
  });

  it('says nothing when either total is unknown or unreadable, rather than guess', () => {
    expect(bookedOrderChange(null, { currentTotal: '30.00', cancelledAt: null })).toBeNull();
    expect(bookedOrderChange('24.00', { currentTotal: null, cancelledAt: null })).toBeNull();
    expect(bookedOrderChange('24.00', { currentTotal: 'thirty', cancelledAt: null })).toBeNull();
  });

  it('a cancellation tells the bookkeeper not to void the document where ledgerbridge books the reversal, and to void it elsewhere', () => {
    const names = { orderName: '#1001', ledgerName: 'QuickBooks Online #1', docNumber: '1001', documentKind: 'sales receipt' };
    expect(bookedOrderChangeMessage({ kind: 'cancelled', bookedTotal: '24.00' }, { ...names, reversalKind: 'refund receipt' })).toBe(
      'Order #1001 was cancelled in the shop after it was booked in QuickBooks Online #1 as sales receipt 1001. ' +
        "ledgerbridge books its reversal as a refund receipt in QuickBooks Online #1 (see the order's refunds); do not void or delete sales receipt 1001 as well.",
    );
    expect(bookedOrderChangeMessage({ kind: 'cancelled', bookedTotal: '24.00' }, { ...names, ledgerName: 'Xero #1', documentKind: 'invoice', reversalKind: null })).toContain(
      'void or delete invoice 1001 in Xero #1 if the sale did not happen',
    );
  });

  it('where the ledger books refunds, a lower total the refunds account for is no change, whether or not the shop takes refunded shipping off it', () => {
    // Sale 62.10; a refund of one 24.00 shirt and 4.50 shipping (28.50 in all).
    const refunded = { lines: '24.00', total: '28.50' };
    const booked = { saleTotal: '62.10' };
    expect(bookedOrderChange('62.10', { currentTotal: '38.10', cancelledAt: null, refunded }, booked)).toBeNull();
    expect(bookedOrderChange('62.10', { currentTotal: '33.60', cancelledAt: null, refunded }, booked)).toBeNull();
    // Booked after an earlier refund (booked total 38.10 then): the sale's total is what refunds come off.
    expect(bookedOrderChange('38.10', { currentTotal: '30.10', cancelledAt: null, refunded: { lines: '32.00', total: '32.00' } }, booked)).toBeNull();
    // An edit besides the refund, a ledger that books no refunds, or an update that says nothing of refunds: reported.
    expect(bookedOrderChange('62.10', { currentTotal: '46.10', cancelledAt: null, refunded }, booked)).toEqual({ kind: 'total_changed', bookedTotal: '62.10', shopTotal: '46.10' });
    expect(bookedOrderChange('62.10', { currentTotal: '38.10', cancelledAt: null, refunded }, null)).toEqual({ kind: 'total_changed', bookedTotal: '62.10', shopTotal: '38.10' });
    expect(bookedOrderChange('62.10', { currentTotal: '38.10', cancelledAt: null }, booked)).toEqual({ kind: 'total_changed', bookedTotal: '62.10', shopTotal: '38.10' });
    // Rows booked before the sale's total was kept compare with the booked total.
    expect(bookedOrderChange('62.10', { currentTotal: '38.10', cancelledAt: null, refunded }, { saleTotal: null })).toBeNull();
  });
});
