import type { AccountingTarget } from '../domain/accounting-target.js';
import { DisplayNameTakenError } from '../domain/platform-errors.js';
import { ledgerRefusalWait, SyncErrorType } from '../domain/sync-error-types.js';
import type { FieldTruncator } from './field-truncator.js';
import { againstPlatform, syncFailure } from './sync-failures.js';

/** A person of the store as a ledger customer is made of them: the name forms to try, most natural first. */
export interface LedgerCustomerRequest {
  names: string[];
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  currency: string;
  /** Business identity the ledger's idempotency key starts with ("cust:<route>:<customer or order id>"). */
  keyBase: string;
  /** Who it is for, in the bookkeeper's words: "the customer of order #1001", "customer Chloé Dubois". */
  whose: string;
}

/**
 * Finds the ledger's customer (by email, else by the first name form) or creates one, trying each name form the
 * ledger refuses as taken. Shared by an order's customer step and the customer sync, so both make the same customer.
 */
export async function findOrCreateLedgerCustomer(
  ledger: { target: AccountingTarget; integration: { id: string; displayName: string; grantGeneration: number } },
  truncator: FieldTruncator,
  request: LedgerCustomerRequest,
): Promise<{ id: string; displayName: string; created: boolean }> {
  const { target, integration } = ledger;
  const { names, email, currency } = request;
  const first = await truncator.fit('customer.displayName', names[0]!, target.limits.customerDisplayName);
  const found = await againstPlatform(integration, () => target.findCustomer({ email, displayName: first, currency }));
  if (found) return { id: found.id, displayName: found.displayName, created: false };
  const givenName = request.givenName ? await truncator.fit('customer.givenName', request.givenName, target.limits.personName) : null;
  const familyName = request.familyName ? await truncator.fit('customer.familyName', request.familyName, target.limits.personName) : null;
  let refusal: DisplayNameTakenError | null = null;
  for (const candidate of names) {
    const displayName = await truncator.fit('customer.displayName', candidate, target.limits.customerDisplayName);
    const outcome = await againstPlatform(integration, () =>
      target
        .createCustomer(
          { displayName, givenName, familyName, email: email && email.length <= target.limits.email ? email : null, currency },
          `${request.keyBase}:${displayName}:${currency}`,
        )
        .then(
          (created) => ({ created }),
          (error: unknown) => {
            // The ledger wants display names unique across its contacts: try the next form.
            if (!(error instanceof DisplayNameTakenError)) throw error;
            return { taken: error };
          },
        ),
    );
    if ('created' in outcome) return { id: outcome.created.id, displayName: outcome.created.displayName, created: true };
    refusal = outcome.taken;
  }
  throw syncFailure(SyncErrorType.LedgerRejected, `${integration.displayName} already uses every name we tried for ${request.whose} (${names.join('; ')}). Rename the existing contact and retry.`, {
    detail: `duplicate display name on every candidate${refusal ? ` (code ${refusal.code}: ${refusal.detail})` : ''}`,
    integrationId: integration.id,
    waitingOn: ledgerRefusalWait(refusal?.code ?? 'name-taken'),
  });
}
