import { describe, expect, it } from 'vitest';
import type { CreditNote, Payment } from 'xero-node';
import { CreditNoteBooking } from '../platforms/xero/credit-note-booking.js';
import type { XeroApi } from '../platforms/xero/xero-api.js';

/**
 * A credit note of ours found by its number (a re-run, a lost answer) is paid out to the customer only when its total
 * is the shop's refund: one Xero totalled otherwise waits for the bookkeeper's correction (the refund parks on the
 * total check), so the customer is never paid a wrong amount. Xero's calls are answered here as xero-node hands them.
 */
function ledgerHolding(note: Partial<CreditNote>) {
  const payments: Payment[] = [];
  const api = {
    call: async (_subject: string, call: (accounting: unknown, tenant: string) => Promise<{ body: unknown }>) =>
      (
        await call(
          {
            getCreditNotes: async () => ({ body: { creditNotes: [note] } }),
            createPayments: async (_tenant: string, body: { payments: Payment[] }) => {
              payments.push(...body.payments);
              return { body: { payments: body.payments } };
            },
          },
          'tenant-1',
        )
      ).body,
  } as unknown as XeroApi;
  const booking = new CreditNoteBooking(api, { paymentAccountCode: '090', shippingAccountCode: '200' });
  return { booking, payments };
}

const ours = (total: number): Partial<CreditNote> => ({
  creditNoteID: 'cn-1',
  creditNoteNumber: '1001-C',
  reference: 'WooCommerce #1 order #1001 (id 1001) refund cancellation, booked by ledgerbridge.',
  status: 'AUTHORISED' as unknown as CreditNote['status'],
  total,
  remainingCredit: total,
  date: '2026-11-30',
  currencyCode: 'GBP' as unknown as CreditNote['currencyCode'],
});

describe('a found Xero credit note is paid out only when it comes to the refund', () => {
  it('53.00 found for a refund of 53.01: returned for the total check, nothing paid out', async () => {
    const { booking, payments } = ledgerHolding(ours(53));
    expect(await booking.find('1001-C', '53.01')).toMatchObject({ docNumber: '1001-C', total: '53.00' });
    expect(payments).toEqual([]);
  });

  it('53.01 found for a refund of 53.01 (corrected by the bookkeeper): paid out once, in full', async () => {
    const { booking, payments } = ledgerHolding(ours(53.01));
    await booking.find('1001-C', '53.01');
    expect(payments.map((payment) => [payment.amount, payment.reference])).toEqual([[53.01, '1001-C']]);
  });

  it('one entered by hand, or found by a lookup that names no total, keeps the earlier rules', async () => {
    const byHand = ledgerHolding({ ...ours(53), reference: 'typed by the bookkeeper' });
    await byHand.booking.find('1001-C', '53.00');
    expect(byHand.payments).toEqual([]);
    const noTotal = ledgerHolding(ours(53));
    await noTotal.booking.find('1001-C');
    expect(noTotal.payments.map((payment) => payment.amount)).toEqual([53]);
  });
});
