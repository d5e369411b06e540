import type { Account } from 'xero-node';
import { LedgerSettingMissingError } from '../../domain/platform-errors.js';
import { PerIntegrationCache } from '../qbo/per-integration-cache.js';
import type { XeroApi } from './xero-api.js';
import { whereString } from './where-literal.js';

/** A Xero account as payouts use it: bank accounts are named by AccountID, lines by Code. */
export interface XeroAccount {
  accountID: string;
  code: string | null;
  name: string;
  type: string;
  currencyCode: string | null;
}

/** Accounts by name, per organisation: a route's clearing account costs one lookup an hour, not one per order. */
const accounts = new PerIntegrationCache<XeroAccount | null>(60 * 60 * 1000);

function toXeroAccount(account: Account): XeroAccount {
  return {
    accountID: String(account.accountID),
    code: account.code ? String(account.code) : null,
    name: String(account.name),
    type: String(account.type),
    currencyCode: account.currencyCode ? String(account.currencyCode) : null,
  };
}

/** The active account of this name (Xero keeps names unique: "Please enter a unique Name."), or null. */
export function xeroAccountNamed(api: XeroApi, cacheKey: string, name: string): Promise<XeroAccount | null> {
  return accounts.get(`${cacheKey}|${name.toLowerCase()}`, async () => {
    const body = await api.call(`the account "${name}"`, (client, tenant) => client.getAccounts(tenant, undefined, `Name==${whereString(name)}`));
    const found = (body.accounts ?? []).find((account) => String(account.name).toLowerCase() === name.toLowerCase() && String(account.status) === 'ACTIVE');
    return found ? toXeroAccount(found) : null;
  });
}

/** Drops what was read of the name (Xero refused the account: archived, renamed, deleted). */
export function forgetXeroAccountNamed(cacheKey: string, name: string): void {
  accounts.forget(`${cacheKey}|${name.toLowerCase()}`);
}

/**
 * The account the route chose for `option`, or a refusal saying which setting to choose or which account to create.
 * `bank`: it must be a BANK account (transfers and bank transactions move money only between those); `code`: it must
 * have a code (lines and payments name accounts by code).
 */
export async function requireXeroAccountNamed(
  api: XeroApi,
  cacheKey: string,
  option: string,
  name: string,
  purpose: string,
  needs: { bank: boolean; code: boolean },
): Promise<XeroAccount> {
  if (name === '') {
    throw new LedgerSettingMissingError(
      option,
      `No account is chosen for ${purpose} in Xero: choose one for the route (PUT /routes/<route>/ledger-options {"${option}": "<account name>"}), then retry.`,
      `route option ${option} is unset`,
    );
  }
  const account = await xeroAccountNamed(api, cacheKey, name);
  if (!account) {
    // Not kept: the bookkeeper creates the account and retries at once.
    forgetXeroAccountNamed(cacheKey, name);
    throw new LedgerSettingMissingError(
      option,
      `Xero has no active account named "${name}" (chosen for ${purpose}): create it in Xero or choose another account for the route (${option}), then retry.`,
      `GET /Accounts where Name=="${name}" found nothing active`,
    );
  }
  if (needs.bank && account.type !== 'BANK') {
    throw new LedgerSettingMissingError(
      option,
      `Xero account "${name}" (chosen for ${purpose}) is a ${account.type} account, but Xero moves payouts only between bank accounts: add "${name}" as a bank account in Xero or choose one for the route (${option}), then retry.`,
      `account ${account.accountID} has Type ${account.type}`,
    );
  }
  if (needs.code && account.code === null) {
    throw new LedgerSettingMissingError(
      option,
      `Xero account "${name}" (chosen for ${purpose}) has no code, which its lines need: give it a code in Xero's chart of accounts, then retry.`,
      `account ${account.accountID} has no Code`,
    );
  }
  return account;
}
