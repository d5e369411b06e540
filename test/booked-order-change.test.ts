import { describe, expect, it } from 'vitest';
import { bookedOrderChange } from '../domain/booked-order-change.js';

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
});
