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

  it('a cent or so on a taxed sale is named as rounding, with the tax to set', () => {
    const rounded = { id: '2', name: '#US1004', currency: 'USD', total: '29.40', totalTax: '1.14' } as CommerceOrder;
    const taxedLines = [
      { itemId: '9', description: 'Mug', quantity: 1, unitPrice: '8.13', amount: '8.13', taxCodeId: null, taxable: true, tax: '0.33' },
      { itemId: '9', description: 'Mug, large', quantity: 1, unitPrice: '20.13', amount: '20.13', taxCodeId: null, taxable: true, tax: '0.81' },
    ];
    const failure = ledgerTotalMismatch({
      order: rounded,
      document: { id: '43', docNumber: 'US1004', total: '29.39', kind: 'sales receipt' },
      sale: { lines: taxedLines, shipping: null, saleTaxCodeId: '7' },
      taxSetup: { mode: 'per-sale', country: 'US' },
      taxCodes: [{ id: '7', name: 'NY State Tax', ratePercent: 4, active: true }],
      ledgerName: 'QuickBooks Online #1',
      integrationId: 'qbo-1',
    });
    expect(failure.message).toBe(
      'QuickBooks Online #1 computed 29.39, the shop charged 29.40 for order #US1004: a difference of 0.01 USD, as rounding makes it ' +
        '(the shop rounds tax on each line, QuickBooks Online #1 once per rate, and QuickBooks Online #1 did not keep the shop\'s tax of 1.14 USD); ' +
        'set the sales receipt\'s tax to 1.14. Sales receipt US1004 (id 43) is in QuickBooks Online #1 already: correct it there so its total is 29.40, ' +
        'then retry the order; it will not be booked twice.',
    );
    // A ledger that rounds each line (Xero) is not said to round once per rate.
    const xeroLine = [{ itemId: 'TS', description: 'Refund of order #1001 (amount only)', quantity: 1, unitPrice: '8.37', amount: '8.37', taxCodeId: 'OUTPUT2', tax: '1.68' }];
    const perLine = ledgerTotalMismatch({
      order: { id: '3', name: '#1001', currency: 'GBP', total: '10.05', totalTax: '1.68' } as CommerceOrder,
      document: { id: 'cn-1', docNumber: '1001-R1', total: '10.04', kind: 'credit note' },
      sale: { lines: xeroLine, shipping: null, saleTaxCodeId: null },
      taxSetup: { mode: 'per-line', country: 'GB' },
      taxCodes: [],
      ledgerName: 'Xero #1',
      integrationId: 'xero-1',
      taxRounding: 'per-line',
    });
    expect(perLine.message).toContain("as rounding makes it (Xero #1 rounds each line's tax on its net, and Xero #1 did not keep the shop's tax of 1.68 GBP); set the credit note's tax to 1.68.");
    // Beyond a cent a taxed line it is a rate, not rounding.
    const farOff = ledgerTotalMismatch({
      order: rounded,
      document: { id: '43', docNumber: 'US1004', total: '30.45' },
      sale: { lines: taxedLines, shipping: null, saleTaxCodeId: '7' },
      taxSetup: { mode: 'per-sale', country: 'US' },
      taxCodes: [{ id: '7', name: 'Old CA rate', ratePercent: 7.75, active: true }],
      ledgerName: 'QuickBooks Online #1',
      integrationId: 'qbo-1',
    });
    expect(farOff.message).toContain('check tax code "Old CA rate" (7.75 %)');
  });
});
