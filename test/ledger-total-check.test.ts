import { describe, expect, it } from 'vitest';
import { ledgerTotalMismatch, totalsAgree } from '../activities/ledger-total-check.js';
import type { CommerceOrder } from '../domain/commerce-order.js';

/** The words a bookkeeper reads when QuickBooks' total is not the shop's. */
const order = { id: '1', name: '#1001', currency: 'USD', total: '60.33', totalTax: '4.33' } as CommerceOrder;
const document = { id: '42', docNumber: '1001', total: '61.02', kind: 'sales receipt' };
const sale = { lines: [{ itemId: '9', description: 'Mug', quantity: 1, unitPrice: '56.00', amount: '56.00', taxCodeId: null }], shipping: null, saleTaxCodeId: '7' };

describe('ledger total check', () => {
  it('a cent apart is a difference', () => {
    expect(totalsAgree({ ...document, total: '60.33' }, order)).toBe(true);
    expect(totalsAgree({ ...document, total: '60.34' }, order)).toBe(false);
  });

  it('names both totals, the tax code used, the receipt already booked and the way out', () => {
    const failure = ledgerTotalMismatch({
      order,
      document,
      sale,
      taxSetup: { mode: 'per-sale', country: 'US' },
      taxCodes: [{ id: '7', name: 'CA 2019', ratePercent: 8.5, active: true }],
      ledgerName: 'QuickBooks Online #1',
      integrationId: 'qbo-1',
    });
    expect(failure.type).toBe('LedgerTotalMismatch');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      'QuickBooks Online #1 computed 61.02, the shop charged 60.33 for order #1001: check tax code "CA 2019" (8.5 %) against the shop\'s tax (4.33 USD). ' +
        'Sales receipt 1001 (id 42) is in QuickBooks Online #1 already: correct it there so its total is 60.33, then retry the order; it will not be booked twice.',
    );
    expect(failure.details?.[0]).toMatchObject({ integrationId: 'qbo-1', waitingOn: 'ledger-total:1001' });
  });

  it('with automated sales tax, points at what QuickBooks computes from', () => {
    const failure = ledgerTotalMismatch({ order, document, sale: { ...sale, saleTaxCodeId: null }, taxSetup: { mode: 'ledger-computed', country: 'US' }, taxCodes: [], ledgerName: 'QuickBooks Online #1', integrationId: 'qbo-1' });
    expect(failure.message).toContain('works out the sales tax itself (automated sales tax)');
  });
});
