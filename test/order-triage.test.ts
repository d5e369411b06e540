import { describe, expect, it } from 'vitest';
import { currentDetailsFor, orderTriage } from '../domain/order-triage.js';

const waiting = (code: string, waitingOn: string | null, message = 'message for the bookkeeper') => ({
  status: 'waiting',
  waitingOn,
  lastError: { code, message },
  truncatedCount: 0,
});

/** The console's diagnosis and next step: the bookkeeper's triage, one case each. */
describe('order triage', () => {
  it('credentials: reconnect the integration the failure names', () => {
    const triage = orderTriage(waiting('CredentialsInvalid', 'qbo-1', 'Your credentials are invalid or expired.'));
    expect(triage).toEqual({
      diagnosis: 'Your credentials are invalid or expired.',
      nextStep: 'Reconnect the integration; the order goes on by itself once it is Connected.',
      step: { kind: 'reconnect', integrationId: 'qbo-1' },
    });
  });

  it('an unknown SKU or tax: map it', () => {
    expect(orderTriage(waiting('SkuNotFound', 'sku:TEE-BLU-L')).step).toEqual({ kind: 'map_sku', sku: 'TEE-BLU-L' });
    expect(orderTriage(waiting('SkuNotFound', 'sku:TEE-BLU-L')).nextStep).toBe('Map the SKU TEE-BLU-L to an item of your ledger; the order books as soon as it is saved.');
    expect(orderTriage(waiting('TaxCodeUnmapped', 'tax:CA State Tax@7.25')).step).toEqual({ kind: 'map_tax', taxKey: 'CA State Tax@7.25' });
  });

  it('throttled, a day’s quota, an outage: nothing to do', () => {
    for (const code of ['Throttled', 'DailyQuotaExhausted', 'PlatformUnavailable']) {
      const triage = orderTriage({ ...waiting(code, null), status: 'failed' });
      expect(triage.step).toEqual({ kind: 'nothing' });
      expect(triage.nextStep).toBe('Nothing to do: ledgerbridge waits and tries again by itself.');
    }
  });

  it('a refusal by the ledger: fix it, then Retry', () => {
    expect(orderTriage({ ...waiting('LedgerRejected', 'ledger:6000'), status: 'failed' }).step).toEqual({ kind: 'fix_then_retry' });
  });

  it('a field too long: booked, shortened, the full text shown', () => {
    const triage = orderTriage({ status: 'synced', waitingOn: null, lastError: null, truncatedCount: 1 });
    expect(triage.step).toEqual({ kind: 'done' });
    expect(triage.nextStep).toBe("Nothing to do: 1 field(s) were too long for the ledger and were shortened; the order's page shows their full text.");
  });

  it("reads the workflow's state as Temporal UI's current details", () => {
    expect(currentDetailsFor('waiting_for_fix', 'sku:TEE-BLU-L')).toBe('waiting for a SKU mapping: TEE-BLU-L');
    expect(currentDetailsFor('waiting_for_fix', 'tax:VAT@20')).toBe('waiting for a tax mapping: VAT@20');
    expect(currentDetailsFor('waiting_for_reconnect', 'qbo-1')).toBe('waiting for a reconnect of qbo-1');
    expect(currentDetailsFor('syncing', null)).toBe('syncing');
  });
});
