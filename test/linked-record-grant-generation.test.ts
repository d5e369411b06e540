import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { FieldTruncator } from '../activities/field-truncator.js';
import { ownedCustomerFields, updateLinkedCustomer } from '../activities/linked-record-updates.js';
import { ownedFieldHashes } from '../activities/owned-field-hashes.js';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { CredentialsInvalidError } from '../domain/platform-errors.js';
import { SyncErrorType } from '../domain/sync-error-types.js';

/**
 * Keeping a linked ledger customer in step calls the ledger like every other activity: a credentials failure there
 * carries the grant generation it ran under, so the health workflow can tell a replaced grant's late failure (ignored)
 * from the current grant's (reconnect required).
 */
describe('linked record updates and the grant they ran under', () => {
  it("a credentials failure of the ledger's update carries the integration's grant generation", async () => {
    const revoked = new CredentialsInvalidError('revoked', 'QuickBooks Online #1 refused the connection: reconnect it.', 'invalid_grant');
    // Only the email changed: no name to fit, so no truncator is asked.
    const target = { limits: { customerDisplayName: 100, personName: 25, email: 100 }, updateCustomer: async () => Promise.reject(revoked) } as unknown as AccountingTarget;
    const before = { names: ['Ada Lovelace'], givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.com' };
    const link = { ledgerId: '58', ledgerName: 'Ada Lovelace', writtenHashes: ownedFieldHashes(ownedCustomerFields(before)) };
    const ledger = { target, integration: { id: 'qbo-1', displayName: 'QuickBooks Online #1', grantGeneration: 3 } };

    const failure = await updateLinkedCustomer(ledger, null as unknown as FieldTruncator, link, { ...before, email: 'ada@lovelace.example' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe(SyncErrorType.CredentialsInvalid);
    expect((failure as ApplicationFailure).details?.[0]).toMatchObject({ integrationId: 'qbo-1', waitingOn: 'qbo-1', grantGeneration: 3 });
  });
});
