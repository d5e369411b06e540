import { LedgerSettingMissingError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { PerIntegrationCache } from './per-integration-cache.js';
import { qboQueryString } from './query-literal.js';

/**
 * An account as the route's options name it. `currency`: its CurrencyRef (with multicurrency on, a bank account may be
 * in a foreign one), null when QuickBooks names none: the home currency (Intuit: "If no currency is listed … the
 * account is in your company's Home currency").
 */
export interface QboNamedAccount {
  id: string;
  name: string;
  currency: string | null;
}

/** Accounts by name, per company: a route's clearing account costs one lookup an hour, not one per order. */
const accountIds = new PerIntegrationCache<QboNamedAccount | null>(60 * 60 * 1000);

/** An account chosen by name in the route's options (clearingAccount, payoutBankAccount...). */
export async function accountNamed(client: QboClient, cacheKey: string, name: string): Promise<QboNamedAccount | null> {
  return accountIds.get(`${cacheKey}|${name.toLowerCase()}`, async () => {
    const result = await client.query(`select * from Account where Name = ${qboQueryString(name)}`, `the account "${name}"`);
    const account = ((result.Account ?? []) as QboEntity[])[0];
    if (!account) return null;
    const currency = (account.CurrencyRef as { value?: unknown } | undefined)?.value;
    return { id: String(account.Id), name: String(account.Name), currency: typeof currency === 'string' && currency !== '' ? currency : null };
  });
}

/** Drops what was read of the name (the ledger refused the account: deleted, made inactive, renamed). */
export function forgetAccountNamed(cacheKey: string, name: string): void {
  accountIds.forget(`${cacheKey}|${name.toLowerCase()}`);
}

/** The account the route chose for `option`, or a refusal saying which setting to choose or which account to create. */
export async function requireAccountNamed(client: QboClient, cacheKey: string, option: string, name: string, purpose: string): Promise<QboNamedAccount> {
  if (name === '') {
    throw new LedgerSettingMissingError(
      option,
      `No account is chosen for ${purpose} in QuickBooks Online: choose one for the route (PUT /routes/<route>/ledger-options {"${option}": "<account name>"}), then retry.`,
      `route option ${option} is unset`,
    );
  }
  const account = await accountNamed(client, cacheKey, name);
  if (!account) {
    throw new LedgerSettingMissingError(
      option,
      `QuickBooks Online has no active account named "${name}" (chosen for ${purpose}): create it in QuickBooks or choose another account for the route (${option}), then retry.`,
      `select * from Account where Name = '${name}' found nothing`,
    );
  }
  return account;
}
