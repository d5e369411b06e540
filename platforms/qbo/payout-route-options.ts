import { payoutAccountOptions, QUICKBOOKS_PAYOUT_ACCOUNTS, type PayoutAccountNames } from '../payout-account-options.js';

export { payoutAccountNames } from '../payout-account-options.js';

/** QuickBooks Online account names are at most 100 characters (Intuit's API reference for Account.Name). */
const ACCOUNT_NAME_MAX = 100;

/**
 * Where a route's money goes in QuickBooks Online, by account name. Unset (""), sales go to Undeposited Funds as
 * before and payouts wait for the accounts to be chosen. Changing one applies to documents booked from then on.
 */
export const QBO_PAYOUT_ROUTE_OPTIONS = payoutAccountOptions(ACCOUNT_NAME_MAX, QUICKBOOKS_PAYOUT_ACCOUNTS);

/** The route's accounts by name, "" where it chose none. */
export type QboPayoutAccountNames = PayoutAccountNames;
